package org.clientregistry.linking;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.clientregistry.store.LinkFacts;

/**
 * The records this replica created lately, with where it put them: when another replica's records turn up later
 * (history following), these are the ones that may have been created without seeing them (see LateJoins). How long
 * one is kept depends on following, not on the clock alone: a record goes once a following round has read the
 * server from after its creation (less a margin), so a replica that could not follow for a while still has every
 * record it created meanwhile when it catches up.
 */
final class RecentCreations {
  /**
   * Kept this long before the time following has read from: longer than one transaction may stay in flight (two
   * transactions that missed each other overlapped) plus clock differences between this process and the server.
   */
  static final long MARGIN_MILLIS = 120_000;
  /** Memory bound: a replica that cannot follow for hours keeps its newest records only. */
  private static final int MAX = 50_000;

  record Created(String sourceId, int version, String goldenId, LinkFacts link, long atMillis) {}

  private final Deque<Created> recent = new ArrayDeque<>();

  synchronized void add(List<SubmissionResult> results, long nowMillis) {
    for (SubmissionResult r : results) {
      if (r.created() && r.record().goldenId() != null) {
        recent.addLast(new Created(r.record().id(), r.record().version(), r.record().goldenId(), r.record().link(),
            nowMillis));
      }
    }
    while (recent.size() > MAX) {
      recent.removeFirst();
    }
  }

  /**
   * The records that may have missed what a following round reading from {@code followedFromMillis} (the server's
   * time) brought, oldest first; older ones are forgotten.
   */
  synchronized List<Created> since(long followedFromMillis) {
    while (!recent.isEmpty() && recent.peekFirst().atMillis() < followedFromMillis - MARGIN_MILLIS) {
      recent.removeFirst();
    }
    return new ArrayList<>(recent);
  }
}
