package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.clientregistry.matching.IndexSnapshot;
import org.clientregistry.store.IndexSnapshotPlace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the matching index on disk between runs, so that a restart reads it back (seconds at a million records)
 * instead of rebuilding it from every stored record. Only for a store this process alone writes, and only when
 * nothing can have changed in between: the snapshot is written at a clean stop, once no write is under way, with
 * a token the store keeps as its last write; it is read at the next start only if the store still had that token
 * when it opened (opening takes it), the decision rules and matching code are those that made it, and the file is
 * whole. Whatever the outcome the file is then removed: a snapshot is read at most once.
 */
public final class IndexSnapshots {
  private static final Logger LOG = LoggerFactory.getLogger(IndexSnapshots.class);
  /** For stores other writers share (a FHIR server), or when switched off: the index is always rebuilt. */
  public static final IndexSnapshots NONE = new IndexSnapshots(null, null);

  private final IndexSnapshotPlace place;
  private final WorkerExecutor worker;

  public IndexSnapshots(IndexSnapshotPlace place, WorkerExecutor worker) {
    this.place = place;
    this.worker = worker;
  }

  /** Reads the snapshot into the state's empty index when it may be used; completes with whether it was. */
  public Future<Boolean> restore(MatchingState state) {
    if (place == null) {
      return Future.succeededFuture(false);
    }
    return worker.executeBlocking(() -> {
      Path file = place.indexSnapshotFile();
      if (!Files.exists(file)) {
        return false;
      }
      try {
        Optional<String> token = place.indexSnapshotToken();
        String fingerprint = IndexSnapshot.fingerprint(state.rules());
        if (token.isEmpty() || fingerprint == null) {
          LOG.info("Matching index snapshot not used: {}; loading the index from the store", token.isEmpty()
              ? "the last stop was not clean, or the store was opened since" : "the matching code cannot be read");
          return false;
        }
        long started = System.nanoTime();
        IndexSnapshot.read(file, new IndexSnapshot.Header(fingerprint, token.get()), state.index());
        LOG.info("Matching index read from its snapshot: {} source records in {} ms", state.index().size(),
            (System.nanoTime() - started) / 1_000_000);
        return true;
      } catch (IOException | RuntimeException e) {
        LOG.warn("Matching index snapshot not used ({}); loading the index from the store", e.getMessage());
        return false;
      } finally {
        Files.deleteIfExists(file);
      }
    }, false);
  }

  /**
   * Writes the index to disk and has the store keep its token. Call at a clean stop, once the store takes no more
   * writes; never fails (a snapshot not kept only means the next start rebuilds the index).
   */
  public Future<Void> keep(MatchingState state) {
    if (place == null) {
      return Future.succeededFuture();
    }
    String token = UUID.randomUUID().toString();
    Path file = place.indexSnapshotFile();
    return worker.executeBlocking(() -> {
      String fingerprint = IndexSnapshot.fingerprint(state.rules());
      if (fingerprint == null) {
        LOG.info("Matching index not kept on disk: the matching code cannot be read");
        return false;
      }
      long started = System.nanoTime();
      long bytes = IndexSnapshot.write(state.index(), new IndexSnapshot.Header(fingerprint, token), file);
      LOG.info("Matching index kept on disk for the next start: {} source records, {} MB in {} ms",
          state.index().size(), bytes >> 20, (System.nanoTime() - started) / 1_000_000);
      return true;
    }, false)
        .compose(written -> written ? place.keepIndexSnapshotToken(token) : Future.succeededFuture())
        .recover(e -> {
          LOG.warn("Matching index not kept on disk ({}); the next start loads it from the store", e.getMessage());
          return worker.executeBlocking(() -> Files.deleteIfExists(file), false).<Void>mapEmpty()
              .otherwiseEmpty();
        });
  }
}
