package org.clientregistry.matching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The index's compact parts against plain Java collections doing the same work. */
class CompactIndexPartsTest {

  @Test
  void postingsAgreeWithAMapOfListsThroughAddsRemovesAndGrowth() {
    Postings postings = new Postings();
    Map<Integer, List<Integer>> model = new HashMap<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int step = 0; step < 200_000; step++) {
      // Few keys, so that lists form, shrink back to single cells, and deletions shift probe chains.
      int key = random.nextInt(5_000) * 0x10001;
      int slot = random.nextInt(300);
      List<Integer> list = model.computeIfAbsent(key, k -> new ArrayList<>());
      if (random.nextInt(3) == 0 && !list.isEmpty()) {
        Integer victim = list.get(random.nextInt(list.size()));
        list.remove(victim);
        postings.remove(key, victim);
      } else {
        list.add(slot);
        assertEquals(list.size(), postings.add(key, slot), "an add tells the key's new size");
      }
      if (list.isEmpty()) {
        model.remove(key);
      }
    }
    assertEquals(model.size(), postings.keyCount());
    for (int k = 0; k < 5_000; k++) {
      int key = k * 0x10001;
      List<Integer> seen = new ArrayList<>();
      postings.forEach(key, slot -> seen.add(slot));
      assertEquals(model.getOrDefault(key, List.of()), seen, "key " + k);
    }
  }

  @Test
  void intSetAgreesWithAHashSetThroughGrowthAndZero() {
    IntSet set = new IntSet();
    java.util.Set<Integer> model = new java.util.HashSet<>();
    SplittableRandom random = new SplittableRandom(11);
    for (int step = 0; step < 50_000; step++) {
      int v = random.nextInt(4) == 0 ? random.nextInt(-3, 3) : random.nextInt();
      assertEquals(model.add(v), set.add(v));
    }
    IntSet copy = new IntSet();
    copy.addAll(set);
    assertEquals(model.size(), copy.size());
    for (int v : model) {
      assertTrue(copy.contains(v));
    }
    for (int probe = 0; probe < 10_000; probe++) {
      int v = random.nextInt();
      assertEquals(model.contains(v), copy.contains(v));
    }
    assertTrue(new IntSet().isEmpty());
    assertFalse(copy.isEmpty());
  }

  @Test
  void postingsVisitStopsWhenAsked() {
    Postings postings = new Postings();
    for (int s = 0; s < 10; s++) {
      postings.add(42, s);
    }
    List<Integer> seen = new ArrayList<>();
    postings.forEach(42, slot -> seen.add(slot) && seen.size() < 3);
    assertEquals(List.of(0, 1, 2), seen);
  }

  @Test
  void idTableKeepsUuidsAsLongsAndAnyOtherIdAsItIs() {
    IdTable ids = new IdTable();
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      all.add(i % 10 == 0 ? "hapi-" + i : UUID.randomUUID().toString());
    }
    all.add("ABCDEF00-0000-0000-0000-000000000000"); // upper case: not canonical, kept as written
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i, ids.add(all.get(i)));
    }
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i, ids.find(all.get(i)));
      assertEquals(all.get(i), ids.id(i));
      assertEquals(i, ids.add(all.get(i)), "adding again gives the same slot");
    }
    assertEquals(-1, ids.find(UUID.randomUUID().toString()));
    assertEquals(-1, ids.find("hapi-x"));
    assertTrue(IdTable.isUuid("0f8fad5b-d9cb-469f-a165-70867728950e"));
    assertFalse(IdTable.isUuid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
    assertFalse(IdTable.isUuid("0f8fad5b-d9cb-469f-a165-70867728950"));
  }

  @Test
  void packedValuesRoundTripIncludingEmptySlotsAndNonAscii() {
    String[][] values = {{"jane", "janet"}, {}, {"nakato"}, {"1990-04-12"}, {"渡辺", "ñúñez", ""}};
    String[][] back = PackedValues.unpack(PackedValues.pack(values), values.length);
    assertEquals(values.length, back.length);
    for (int i = 0; i < values.length; i++) {
      assertArrayEquals(values[i], back[i]);
    }
    String longValue = "x".repeat(1000);
    assertEquals(longValue, PackedValues.unpack(PackedValues.pack(new String[][] {{longValue}}), 1)[0][0]);
  }
}
