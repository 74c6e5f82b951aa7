package org.clientregistry.matching;

import java.util.Arrays;

/**
 * The blocking postings: for each blocking key (as a 32-bit hash) the record slots that carry it, in the order
 * they were added. Most keys belong to one record, so a key with one record keeps it in the table cell itself and
 * only shared keys get a list: about 13 bytes per key instead of the hundred a map of strings to lists costs. Two
 * keys whose hashes collide merely share candidates, which the comparison then sorts out. Not thread-safe.
 */
final class Postings {
  /**
   * Open addressing with linear probing over pairs: table[2i] a key, table[2i+1] its cell (0 empty; slot + 1 for a
   * single record; -(list + 1) for a shared key). Key and cell share a cache line, which is what a lookup waits on.
   */
  private int[] table = new int[32];
  private int used;
  /** Shared keys' lists: [count, slot, slot, ...]; freed lists are reused. */
  private int[][] lists = new int[4][];
  private int[] freeLists = new int[4];
  private int freeCount;
  private int listCount;

  interface SlotConsumer {
    /** Returns false to stop. */
    boolean accept(int slot);
  }

  /** Visits the slots carrying {@code key}, oldest first, until the consumer says stop. */
  void forEach(int key, SlotConsumer consumer) {
    int i = find(key);
    if (i < 0) {
      return;
    }
    int cell = table[2 * i + 1];
    if (cell > 0) {
      consumer.accept(cell - 1);
      return;
    }
    int[] list = lists[-cell - 1];
    for (int k = 1; k <= list[0]; k++) {
      if (!consumer.accept(list[k])) {
        return;
      }
    }
  }

  /** Adds a slot to a key's postings; returns how many slots the key now has. */
  int add(int key, int slot) {
    int i = find(key);
    if (i < 0) {
      if ((used + 1) * 10 > capacity() * 7) {
        rehash(capacity() * 2);
      }
      i = probe(key);
      table[2 * i] = key;
      table[2 * i + 1] = slot + 1;
      used++;
      return 1;
    }
    int cell = table[2 * i + 1];
    if (cell > 0) {
      int list = newList(cell - 1, slot);
      table[2 * i + 1] = -(list + 1);
      return 2;
    }
    int[] list = lists[-cell - 1];
    if (list[0] + 1 == list.length) {
      list = Arrays.copyOf(list, list.length * 2);
      lists[-cell - 1] = list;
    }
    list[++list[0]] = slot;
    return list[0];
  }

  void remove(int key, int slot) {
    int i = find(key);
    if (i < 0) {
      return;
    }
    int cell = table[2 * i + 1];
    if (cell > 0) {
      if (cell - 1 == slot) {
        delete(i);
      }
      return;
    }
    int index = -cell - 1;
    int[] list = lists[index];
    int n = list[0];
    for (int k = 1; k <= n; k++) {
      if (list[k] == slot) {
        System.arraycopy(list, k + 1, list, k, n - k);
        list[0] = --n;
        break;
      }
    }
    if (n == 1) {
      table[2 * i + 1] = list[1] + 1;
      freeList(index);
    }
  }

  /** How many slots carry {@code key}. */
  int size(int key) {
    int i = find(key);
    if (i < 0) {
      return 0;
    }
    int cell = table[2 * i + 1];
    return cell > 0 ? 1 : lists[-cell - 1][0];
  }

  /** Distinct keys held (for tests and statistics). */
  int keyCount() {
    return used;
  }

  /** For an index snapshot: the table and the shared keys' lists, as they are. */
  void writeTo(SnapshotOutput out) throws java.io.IOException {
    out.writeInts(table, table.length);
    out.writeInt(used);
    out.writeInt(listCount);
    for (int i = 0; i < listCount; i++) {
      out.writeInts(lists[i], lists[i] == null ? 0 : lists[i][0] + 1);
    }
    out.writeInt(freeCount);
    out.writeInts(freeLists, freeCount);
  }

  /** Replaces these (empty) postings with those of a snapshot. */
  void readFrom(SnapshotInput in) throws java.io.IOException {
    int[] t = in.readInts(0);
    if (t == null || t.length < 2 || Integer.bitCount(t.length) != 1) {
      throw new java.io.IOException("the snapshot's postings are not well formed");
    }
    int keys = in.readInt();
    int n = in.readInt();
    if (n < 0 || n > t.length) {
      throw new java.io.IOException("the snapshot's postings are not well formed");
    }
    int[][] l = new int[Math.max(4, n)][];
    for (int i = 0; i < n; i++) {
      l[i] = in.readInts(0);
    }
    int free = in.readInt();
    int[] freed = in.readInts(4);
    if (free < 0 || freed == null || free > freed.length) {
      throw new java.io.IOException("the snapshot's postings are not well formed");
    }
    table = t;
    used = keys;
    listCount = n;
    lists = l;
    freeCount = free;
    freeLists = freed;
  }

  private int capacity() {
    return table.length / 2;
  }

  private int find(int key) {
    int mask = capacity() - 1;
    for (int i = spread(key) & mask; ; i = (i + 1) & mask) {
      if (table[2 * i + 1] == 0) {
        return -1;
      }
      if (table[2 * i] == key) {
        return i;
      }
    }
  }

  private int probe(int key) {
    int mask = capacity() - 1;
    int i = spread(key) & mask;
    while (table[2 * i + 1] != 0) {
      i = (i + 1) & mask;
    }
    return i;
  }

  /** Backward-shift deletion keeps every remaining key reachable from its home cell without tombstones. */
  private void delete(int hole) {
    int mask = capacity() - 1;
    table[2 * hole + 1] = 0;
    used--;
    for (int i = (hole + 1) & mask; table[2 * i + 1] != 0; i = (i + 1) & mask) {
      int home = spread(table[2 * i]) & mask;
      // Move the entry at i into the hole when its home does not lie cyclically in (hole, i].
      boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
      if (movable) {
        table[2 * hole] = table[2 * i];
        table[2 * hole + 1] = table[2 * i + 1];
        table[2 * i + 1] = 0;
        hole = i;
      }
    }
  }

  private void rehash(int newCapacity) {
    int[] old = table;
    table = new int[newCapacity * 2];
    for (int i = 0; i < old.length; i += 2) {
      if (old[i + 1] != 0) {
        int j = probe(old[i]);
        table[2 * j] = old[i];
        table[2 * j + 1] = old[i + 1];
      }
    }
  }

  private int newList(int first, int second) {
    int index;
    if (freeCount > 0) {
      index = freeLists[--freeCount];
    } else {
      if (listCount == lists.length) {
        lists = Arrays.copyOf(lists, listCount * 2);
      }
      index = listCount++;
    }
    lists[index] = new int[] {2, first, second, 0};
    return index;
  }

  private void freeList(int index) {
    lists[index] = null;
    if (freeCount == freeLists.length) {
      freeLists = Arrays.copyOf(freeLists, freeCount * 2);
    }
    freeLists[freeCount++] = index;
  }

  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
