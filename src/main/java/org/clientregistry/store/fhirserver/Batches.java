package org.clientregistry.store.fhirserver;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Work that goes to the FHIR server in groups, as the embedded store's writer groups its commits: while
 * {@code inFlight} groups are under way, what comes meanwhile waits and goes in the next group. Idle, an item goes
 * at once (alone); under load one request carries many. Items whose keys meet an earlier waiting item's wait for a
 * later group, in their order (two changes of one resource never share a transaction). {@code send} answers the
 * items of a group itself; the group's future only says when the next may go.
 */
final class Batches<T> {
  private final int inFlight;
  private final int maxItems;
  private final Function<T, Set<String>> keys;
  private final Function<List<T>, Future<?>> send;
  private final List<T> waiting = new ArrayList<>();
  private int sending;

  Batches(int inFlight, int maxItems, Function<T, Set<String>> keys, Function<List<T>, Future<?>> send) {
    this.inFlight = inFlight;
    this.maxItems = maxItems;
    this.keys = keys;
    this.send = send;
  }

  void add(T item) {
    synchronized (this) {
      waiting.add(item);
      if (sending >= inFlight) {
        return;
      }
      sending++;
    }
    next();
  }

  /** Sends what waits, then looks again; stops when nothing waits. */
  private void next() {
    List<T> group = new ArrayList<>();
    synchronized (this) {
      Set<String> taken = new HashSet<>();
      for (Iterator<T> it = waiting.iterator(); it.hasNext() && group.size() < maxItems; ) {
        T item = it.next();
        Set<String> k = keys.apply(item);
        boolean free = k.stream().noneMatch(taken::contains);
        taken.addAll(k); // a skipped item's keys too: a later item of the same resource must not overtake it
        if (group.isEmpty() || free) {
          group.add(item);
          it.remove();
        }
      }
      if (group.isEmpty()) {
        sending--;
        return;
      }
    }
    Future<?> sent;
    try {
      sent = send.apply(group);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(ar -> next());
  }
}
