package org.clientregistry.importer;

import java.io.IOException;

/** The records of one input file in order; read on the import's own thread, never on an event loop. */
public interface RowReader extends AutoCloseable {
  /** The next record, or null after the last. */
  ImportRow next() throws IOException;

  @Override
  void close() throws IOException;
}
