package org.clientregistry.linking;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.clientregistry.store.LinkFacts;

/**
 * The records this replica created lately, with where it put them: when another replica's records turn up later
 * (history following), these are the ones that may have been created without seeing them (see LateJoins).
 */
final class RecentCreations {
  /** Longer than a transaction may stay in flight plus a few rounds of history following. */
  static final long KEEP_MILLIS = 180_000;
  private static final int MAX = 20_000;

  record Created(String sourceId, int version, String goldenId, LinkFacts link, long atMillis) {}

  private final Deque<Created> recent = new ArrayDeque<>();

  synchronized void add(List<SubmissionResult> results, long nowMillis) {
    for (SubmissionResult r : results) {
      if (r.created() && r.record().goldenId() != null) {
        recent.addLast(new Created(r.record().id(), r.record().version(), r.record().goldenId(), r.record().link(),
            nowMillis));
      }
    }
    prune(nowMillis);
  }

  /** The records created within the last {@link #KEEP_MILLIS}, oldest first. */
  synchronized List<Created> since(long nowMillis) {
    prune(nowMillis);
    return new ArrayList<>(recent);
  }

  private void prune(long nowMillis) {
    while (!recent.isEmpty() && (recent.size() > MAX || recent.peekFirst().atMillis() < nowMillis - KEEP_MILLIS)) {
      recent.removeFirst();
    }
  }
}
