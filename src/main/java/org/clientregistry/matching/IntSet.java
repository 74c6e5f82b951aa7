package org.clientregistry.matching;

/**
 * A set of ints without boxing: open addressing with linear probing, 0 kept apart. For the index's common pair
 * keys, which every search and every write looks up. Not thread-safe.
 */
final class IntSet {
  private int[] table = new int[16];
  private int used;
  private boolean hasZero;

  boolean contains(int value) {
    if (value == 0) {
      return hasZero;
    }
    int mask = table.length - 1;
    for (int i = spread(value) & mask; table[i] != 0; i = (i + 1) & mask) {
      if (table[i] == value) {
        return true;
      }
    }
    return false;
  }

  /** Adds a value; false when it was there already. */
  boolean add(int value) {
    if (value == 0) {
      boolean added = !hasZero;
      hasZero = true;
      return added;
    }
    if (contains(value)) {
      return false;
    }
    if ((used + 1) * 2 > table.length) {
      int[] old = table;
      table = new int[old.length * 2];
      for (int v : old) {
        if (v != 0) {
          place(v);
        }
      }
    }
    place(value);
    used++;
    return true;
  }

  boolean isEmpty() {
    return used == 0 && !hasZero;
  }

  int size() {
    return used + (hasZero ? 1 : 0);
  }

  void addAll(IntSet other) {
    for (int v : other.table) {
      if (v != 0) {
        add(v);
      }
    }
    if (other.hasZero) {
      add(0);
    }
  }

  void writeTo(SnapshotOutput out) throws java.io.IOException {
    out.writeInt(used);
    out.writeBoolean(hasZero);
    out.writeInts(table, table.length);
  }

  /** Replaces this (empty) set with one from a snapshot. */
  void readFrom(SnapshotInput in) throws java.io.IOException {
    int n = in.readInt();
    boolean zero = in.readBoolean();
    int[] t = in.readInts(0);
    if (t == null || Integer.bitCount(t.length) != 1) {
      throw new java.io.IOException("the snapshot's key set is not well formed");
    }
    used = n;
    hasZero = zero;
    table = t;
  }

  private void place(int value) {
    int mask = table.length - 1;
    int i = spread(value) & mask;
    while (table[i] != 0) {
      i = (i + 1) & mask;
    }
    table[i] = value;
  }

  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
