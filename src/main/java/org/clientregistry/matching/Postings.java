package org.clientregistry.matching;

import java.util.Arrays;

/**
 * The blocking postings: for each blocking key (as a 32-bit hash) the record slots that carry it, in the order
 * they were added. Most keys belong to one record, so a key with one record keeps it in the table cell itself and
 * only shared keys get a list: about 13 bytes per key instead of the hundred a map of strings to lists costs. Two
 * keys whose hashes collide merely share candidates, which the comparison then sorts out. Not thread-safe.
 */
final class Postings {
  private int[] keys = new int[16];
  /** 0 empty; slot + 1 for a single record; -(list + 1) for a shared key. */
  private int[] cells = new int[16];
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
    int cell = cells[i];
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

  void add(int key, int slot) {
    int i = find(key);
    if (i < 0) {
      if ((used + 1) * 4 > keys.length * 3) {
        rehash(keys.length * 2);
      }
      i = probe(key);
      keys[i] = key;
      cells[i] = slot + 1;
      used++;
      return;
    }
    int cell = cells[i];
    if (cell > 0) {
      int list = newList(cell - 1, slot);
      cells[i] = -(list + 1);
      return;
    }
    int[] list = lists[-cell - 1];
    if (list[0] + 1 == list.length) {
      list = Arrays.copyOf(list, list.length * 2);
      lists[-cell - 1] = list;
    }
    list[++list[0]] = slot;
  }

  void remove(int key, int slot) {
    int i = find(key);
    if (i < 0) {
      return;
    }
    int cell = cells[i];
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
      cells[i] = list[1] + 1;
      freeList(index);
    }
  }

  /** Distinct keys held (for tests and statistics). */
  int keyCount() {
    return used;
  }

  private int find(int key) {
    int mask = keys.length - 1;
    for (int i = spread(key) & mask; ; i = (i + 1) & mask) {
      if (cells[i] == 0) {
        return -1;
      }
      if (keys[i] == key) {
        return i;
      }
    }
  }

  private int probe(int key) {
    int mask = keys.length - 1;
    int i = spread(key) & mask;
    while (cells[i] != 0) {
      i = (i + 1) & mask;
    }
    return i;
  }

  /** Backward-shift deletion keeps every remaining key reachable from its home cell without tombstones. */
  private void delete(int hole) {
    int mask = keys.length - 1;
    cells[hole] = 0;
    used--;
    for (int i = (hole + 1) & mask; cells[i] != 0; i = (i + 1) & mask) {
      int home = spread(keys[i]) & mask;
      // Move the entry at i into the hole when its home does not lie cyclically in (hole, i].
      boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
      if (movable) {
        keys[hole] = keys[i];
        cells[hole] = cells[i];
        cells[i] = 0;
        hole = i;
      }
    }
  }

  private void rehash(int capacity) {
    int[] oldKeys = keys;
    int[] oldCells = cells;
    keys = new int[capacity];
    cells = new int[capacity];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldCells[i] != 0) {
        int j = probe(oldKeys[i]);
        keys[j] = oldKeys[i];
        cells[j] = oldCells[i];
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
