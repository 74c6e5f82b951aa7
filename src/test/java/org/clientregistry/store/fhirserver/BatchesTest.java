package org.clientregistry.store.fhirserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Promise;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * How work goes out in groups: at once while fewer than the allowed groups are under way, else in the next group;
 * items that write what an earlier item of the group writes wait for a later group, in their order.
 */
class BatchesTest {
  /** Items named "name:key1,key2"; groups wait until the test ends them, one by one. */
  private static final class Held {
    final List<List<String>> sent = new CopyOnWriteArrayList<>();
    final List<Promise<Void>> outcomes = new CopyOnWriteArrayList<>();
    final Batches<String> batches;

    Held(int inFlight, int maxItems) {
      batches = new Batches<>(inFlight, maxItems, Held::keys, group -> {
        Promise<Void> outcome = Promise.promise();
        sent.add(group.stream().map(i -> i.split(":")[0]).toList());
        outcomes.add(outcome);
        return outcome.future();
      });
    }

    private static Set<String> keys(String item) {
      String[] parts = item.split(":");
      return parts.length < 2 ? Set.of() : Set.of(parts[1].split(","));
    }

    void add(String... items) {
      for (String i : items) {
        batches.add(i);
      }
    }
  }

  @Test
  void itemsGoAtOnceWhileFewerGroupsThanAllowedAreUnderWayThenTogether() {
    Held held = new Held(2, 10);
    held.add("a", "b", "c", "d", "e");
    assertEquals(List.of(List.of("a"), List.of("b")), held.sent, "two under way, each alone");
    held.outcomes.get(1).complete();
    assertEquals(List.of("c", "d", "e"), held.sent.get(2), "what waited goes together");
    held.outcomes.get(0).fail("a failed group lets the next go too");
    held.add("f");
    assertEquals(List.of("f"), held.sent.get(3));
  }

  @Test
  void anItemWritingWhatAnEarlierItemWritesWaitsForALaterGroupInItsOrder() {
    Held held = new Held(1, 10);
    held.add("first", "a:g1", "b:g1,g2", "c:g3", "d:g2", "e");
    held.outcomes.get(0).complete();
    assertEquals(List.of("a", "c", "e"), held.sent.get(1), "d waits behind b, which writes g2 too");
    held.outcomes.get(1).complete();
    assertEquals(List.of("b"), held.sent.get(2));
    held.outcomes.get(2).complete();
    assertEquals(List.of("d"), held.sent.get(3));
  }

  @Test
  void groupsHaveABoundedSize() {
    Held held = new Held(1, 3);
    held.add("first", "a", "b", "c", "d");
    held.outcomes.get(0).complete();
    assertEquals(List.of("a", "b", "c"), held.sent.get(1));
    held.outcomes.get(1).complete();
    assertEquals(List.of("d"), held.sent.get(2));
    held.outcomes.get(2).complete();
    assertEquals(3, held.sent.size(), "nothing waits: nothing more is sent");
  }
}
