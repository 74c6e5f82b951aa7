package org.clientregistry.store;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A store that only this process writes can keep the matching index beside its data between runs (see
 * {@code linking.IndexSnapshots}). The token ties a snapshot to one state of the store: it is kept as the last
 * write before a clean stop and taken (removed) when the store next opens, so any process that opens the store
 * after the snapshot was written, and might write to it, leaves no token for the snapshot to match.
 */
public interface IndexSnapshotPlace {

  /** Where the snapshot file lives. */
  Path indexSnapshotFile();

  /** The token kept at the last clean stop, as taken when this store opened; empty when there was none. */
  Optional<String> indexSnapshotToken();

  /** Keeps the token for the next open (after the snapshot file is safely written). */
  Future<Void> keepIndexSnapshotToken(String token);
}
