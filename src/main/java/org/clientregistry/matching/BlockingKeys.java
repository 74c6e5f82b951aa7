package org.clientregistry.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Blocking keys derived from the rules. For each rule set we work out which fields a pair reaching the potential
 * threshold must agree on. When every such pair must pass at least two of the keyed fields, a key combines the cheap
 * keys of two fields (a candidate must agree on two fields at once, which keeps candidate lists short as the
 * registry grows); otherwise one field's key is enough. Light fields (such as gender) are left out of the keys
 * whenever the weights guarantee that a potential match still passes two (or one) of the others, because a key on
 * a field with few values finds half the registry. Each field's cheap keys come from its algorithm (the value
 * itself, a phonetic code, digit halves), chosen so that values passing the comparison very likely share one.
 * Partner fields (compared in either order, {@code anyOrderWith}) share one key space and both contribute the keys
 * of both fields' values, so that records with given and family names swapped still meet.
 */
public final class BlockingKeys {
  private static final int MAX_KEYS_PER_FIELD = 6;

  private final DecisionRules rules;
  private final Plan[] plans;

  /**
   * Which fields of a rule set carry keys, and whether keys pair two fields; with pairs, which pairs (positions in
   * {@code fields}) and, for each pair, the fields that can narrow it ({@code narrowing[p]}, positions; empty when
   * some minimal matching set is the pair itself, so that it must always be searched whole).
   */
  record Plan(int[] fields, boolean pairs, int[][] keyPairs, int[][] narrowing) {
    Plan(int[] fields, boolean pairs) {
      this(fields, pairs, pairs ? allPairs(fields.length) : new int[0][]);
    }

    /** Every pair keyed, none narrowed. */
    private Plan(int[] fields, boolean pairs, int[][] keyPairs) {
      this(fields, pairs, keyPairs, new int[keyPairs.length][0]);
    }
  }

  /** Above this many keyed fields the subsets are not enumerated: every pair is keyed. */
  private static final int MAX_ENUMERATED_FIELDS = 16;

  public BlockingKeys(DecisionRules rules) {
    this.rules = rules;
    this.plans = rules.ruleSets().stream().map(BlockingKeys::plan).toArray(Plan[]::new);
  }

  /**
   * A field set D may be left unkeyed with pair keys when sum(weights of D) + the largest kept weight is below the
   * potential threshold: then any pair reaching it passes at least two kept fields. With single keys the condition
   * is sum(D) below the threshold. Greedy fields (which pass on missing values, invisible to keys) are always in D.
   */
  static Plan plan(RuleSet set) {
    List<FieldRule> fields = set.fields();
    double threshold = set.blockingThreshold();
    List<Integer> kept = new ArrayList<>();
    double dropped = 0;
    for (int i = 0; i < fields.size(); i++) {
      FieldRule f = fields.get(i);
      if (f.passesUnseen()) {
        dropped += weight(set, f);
      } else {
        kept.add(i);
      }
    }
    kept.sort(Comparator.comparingDouble(i -> weight(set, fields.get(i))));
    if (kept.size() >= 2 && dropped + weight(set, fields.get(kept.get(kept.size() - 1))) < threshold) {
      return selectivePairs(set, dropLight(set, kept, dropped, true));
    }
    if (!kept.isEmpty() && dropped < threshold) {
      return new Plan(dropLight(set, kept, dropped, false), false);
    }
    // The rules let a pair match without agreeing on any keyed field: key every non-greedy field, the best we can.
    return new Plan(kept.stream().mapToInt(Integer::intValue).toArray(), false);
  }

  /**
   * The pairs worth keying. A potential match passes some minimal set of keyed fields whose weights (with every
   * unkeyed field counted as passing, to be safe) reach the threshold; it is enough to key, for each such minimal
   * set, its most selective pair: the two heaviest fields (a high pass weight means values rarely agree by chance).
   * Pairs of weak fields (state and postcode) that no minimal set needs are not keyed: they would find many
   * candidates and no match the others miss. A pair keyed for larger minimal sets can be narrowed by the heaviest
   * other field of each: a match through that set agrees on it too (see {@link #narrowed}).
   */
  static Plan selectivePairs(RuleSet set, int[] keyed) {
    int n = keyed.length;
    if (n > MAX_ENUMERATED_FIELDS) {
      return new Plan(keyed, true);
    }
    double[] w = new double[n];
    double unkeyed = 0;
    java.util.Set<Integer> keyedSet = new HashSet<>();
    for (int i = 0; i < n; i++) {
      w[i] = weight(set, set.fields().get(keyed[i]));
      keyedSet.add(keyed[i]);
    }
    for (int f = 0; f < set.fields().size(); f++) {
      if (!keyedSet.contains(f)) {
        unkeyed += Math.max(0, weight(set, set.fields().get(f)));
      }
    }
    // pair (best1 << 16 | best2) -> narrowing fields, or null once a minimal set is the pair alone
    Map<Integer, Set<Integer>> chosen = new java.util.LinkedHashMap<>();
    for (int mask = 1; mask < (1 << n); mask++) {
      double sum = unkeyed;
      for (int i = 0; i < n; i++) {
        sum += (mask & (1 << i)) != 0 ? w[i] : 0;
      }
      if (sum < set.blockingThreshold() || !minimal(mask, w, sum, set.blockingThreshold())) {
        continue;
      }
      int best1 = -1;
      int best2 = -1;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          if ((mask & (1 << i)) != 0 && (mask & (1 << j)) != 0
              && (best1 < 0 || w[i] + w[j] > w[best1] + w[best2] + 1e-9)) {
            best1 = i;
            best2 = j;
          }
        }
      }
      if (best1 < 0) {
        continue;
      }
      int pair = best1 << 16 | best2;
      int third = -1;
      for (int i = 0; i < n; i++) {
        if ((mask & (1 << i)) != 0 && i != best1 && i != best2 && (third < 0 || w[i] > w[third] + 1e-9)) {
          third = i;
        }
      }
      if (!chosen.containsKey(pair)) {
        chosen.put(pair, new LinkedHashSet<>());
      }
      Set<Integer> narrowing = chosen.get(pair);
      if (third < 0) {
        chosen.put(pair, null);
      } else if (narrowing != null) {
        narrowing.add(third);
      }
    }
    int[][] pairs = chosen.keySet().stream().map(p -> new int[] {p >> 16, p & 0xffff}).toArray(int[][]::new);
    int[][] narrowing = chosen.values().stream()
        .map(f -> f == null ? new int[0] : f.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    return new Plan(keyed, true, pairs, narrowing);
  }

  private static boolean minimal(int mask, double[] w, double sum, double threshold) {
    for (int i = 0; i < w.length; i++) {
      if ((mask & (1 << i)) != 0 && sum - w[i] >= threshold) {
        return false;
      }
    }
    return true;
  }

  private static int[][] allPairs(int n) {
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        out.add(new int[] {i, j});
      }
    }
    return out.toArray(int[][]::new);
  }

  /** Drops the lightest kept fields while the guarantee still holds; {@code kept} is sorted lightest first. */
  private static int[] dropLight(RuleSet set, List<Integer> kept, double dropped, boolean pairs) {
    List<Integer> remaining = new ArrayList<>(kept);
    double sum = dropped;
    while (remaining.size() > (pairs ? 2 : 1)) {
      double lightest = weight(set, set.fields().get(remaining.get(0)));
      double heaviest = weight(set, set.fields().get(remaining.get(remaining.size() - 1)));
      boolean holds = pairs ? sum + lightest + heaviest < set.blockingThreshold()
          : sum + lightest < set.blockingThreshold();
      if (!holds) {
        break;
      }
      sum += lightest;
      remaining.remove(0);
    }
    return remaining.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  private static double weight(RuleSet set, FieldRule f) {
    return f.passWeight(set.type());
  }

  /**
   * A record's keys: the key strings (for locks), and for the index their hashes, sorted and distinct, with the rule
   * set each belongs to. A pair key that can be narrowed has narrower keys: the pair key with one key of a narrowing
   * field added, kept as hashes only ({@code narrowing}, packed [pair hash, n, narrower hash 1..n, pair hash, ...];
   * {@code narrowingAt[i]} the offset of key i's entry there, or -1). The index searches a pair key's narrower keys
   * instead of the pair key once that pair key is common (see {@link MatchIndex}). All of it is worked out where
   * the keys are made, so that the index's single writer only looks hashes up.
   */
  record Keys(Set<String> all, int[] hashes, int[] ruleSets, int[] narrowingAt, int[] narrowing) {
    /** The position of a key's hash in {@link #hashes}, or a negative number. */
    int indexOf(int hash) {
      return Arrays.binarySearch(hashes, hash);
    }

    /** Whether a key with this hash is among these keys. */
    boolean has(int hash) {
      return indexOf(hash) >= 0;
    }
  }

  /** The keys of a record's values. */
  public Set<String> of(String[][] values) {
    return keys(values).all();
  }

  /**
   * The keys of a record's values with their narrower keys. One submission asks for the keys of the same values
   * several times (its locks, the committed index, its own overlay, the index update), so the last few answers are
   * kept by identity of the values array, which the registry never changes once made.
   */
  Keys keys(String[][] values) {
    synchronized (recent) {
      Keys known = recent.get(values);
      if (known != null) {
        return known;
      }
    }
    Keys keys = compute(values);
    synchronized (recent) {
      recent.put(values, keys);
    }
    return keys;
  }

  private static final int RECENT = 1024;
  /** In a narrower key, each narrowing field contributes at most this many keys. */
  private static final int MAX_NARROWING_KEYS = 4;
  /** Arrays hash and compare by identity, so this is an identity cache; the oldest entry goes first. */
  private final Map<String[][], Keys> recent = new java.util.LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String[][], Keys> eldest) {
      return size() > RECENT;
    }
  };

  private Keys compute(String[][] values) {
    KeyTable table = new KeyTable();
    for (int r = 0; r < plans.length; r++) {
      List<FieldRule> fields = rules.ruleSets().get(r).fields();
      int[] keyed = plans[r].fields();
      int[] space = new int[keyed.length]; // the key space: partner fields share the lower index
      List<List<String>> perField = new ArrayList<>(keyed.length);
      for (int i = 0; i < keyed.length; i++) {
        FieldRule f = fields.get(keyed[i]);
        space[i] = f.partner() < 0 ? keyed[i] : Math.min(keyed[i], f.partner());
        perField.add(f.partner() < 0 ? fieldKeys(f, values[f.slot()])
            : fieldKeys(f, concat(values[f.slot()], values[fields.get(f.partner()).slot()])));
      }
      // Fields keyed on their own whatever the plan (alwaysKey), in the space of single-field keys.
      for (int f = 0; f < fields.size(); f++) {
        FieldRule field = fields.get(f);
        if (field.alwaysKey()) {
          for (String k : fieldKeys(field, values[field.slot()])) {
            table.add(r + ":" + f + ":" + k, r, null);
          }
        }
      }
      if (!plans[r].pairs()) {
        for (int i = 0; i < perField.size(); i++) {
          for (String k : perField.get(i)) {
            table.add(r + ":" + space[i] + ":" + k, r, null);
          }
        }
        continue;
      }
      int[][] pairs = plans[r].keyPairs();
      for (int p = 0; p < pairs.length; p++) {
        int i = pairs[p][0];
        int j = pairs[p][1];
        boolean partners = space[i] == space[j];
        boolean ordered = space[i] <= space[j];
        int[] narrowers = plans[r].narrowing()[p];
        for (String ki : perField.get(i)) {
          for (String kj : perField.get(j)) {
            if (partners && ki.equals(kj)) {
              continue; // one name in both fields is one agreement, not two
            }
            // Partners: the two codes in sorted order, since either may have come from either field.
            boolean first = partners ? ki.compareTo(kj) <= 0 : ordered;
            String key = r + ":" + Math.min(space[i], space[j]) + "+" + Math.max(space[i], space[j]) + ":"
                + (first ? ki + "\u0001" + kj : kj + "\u0001" + ki);
            int[] narrower = null;
            if (narrowers.length > 0) {
              // The narrower key is the pair key + "\u0002" + space + "\u0001" + key: hashed on from the pair's state.
              long pairState = MatchIndex.fnv(MatchIndex.FNV_BASIS, key);
              int[] out = new int[narrowers.length * MAX_NARROWING_KEYS];
              int n = 0;
              for (int x : narrowers) {
                List<String> kx = perField.get(x);
                long spaceState = MatchIndex.fnv(MatchIndex.fnv(pairState, "\u0002" + space[x]), "\u0001");
                for (String k : kx.size() > MAX_NARROWING_KEYS ? kx.subList(0, MAX_NARROWING_KEYS) : kx) {
                  boolean repeats = (space[x] == space[i] && k.equals(ki)) || (space[x] == space[j] && k.equals(kj));
                  if (!repeats) {
                    out[n++] = MatchIndex.mix(MatchIndex.fnv(spaceState, k));
                  }
                }
              }
              narrower = Arrays.copyOf(out, n);
            }
            table.add(key, r, narrower);
          }
        }
      }
    }
    return table.keys();
  }

  /** Collects a record's keys as they are made: hashes with their rule set and narrower hashes. */
  private static final class KeyTable {
    private final Set<String> strings = new HashSet<>();
    private int[] hashes = new int[64];
    private int[] ruleSets = new int[64];
    private int[][] narrowing = new int[64][];
    private int size;

    /** A key seen twice (or two keys whose hashes collide) counts once, with the narrowing it first came with. */
    void add(String key, int ruleSet, int[] narrower) {
      if (!strings.add(key)) {
        return;
      }
      if (size == hashes.length) {
        hashes = Arrays.copyOf(hashes, size * 2);
        ruleSets = Arrays.copyOf(ruleSets, size * 2);
        narrowing = Arrays.copyOf(narrowing, size * 2);
      }
      hashes[size] = MatchIndex.hash(key);
      ruleSets[size] = ruleSet;
      narrowing[size++] = narrower;
    }

    Keys keys() {
      // Sorted by hash (first seen first among equal hashes), then one entry per hash.
      long[] order = new long[size]; // hash in the high half, position in the low half
      for (int i = 0; i < size; i++) {
        order[i] = (long) hashes[i] << 32 | i;
      }
      Arrays.sort(order);
      int[] sortedHashes = new int[size];
      int[] sortedRuleSets = new int[size];
      int[] narrowingAt = new int[size];
      int packedSize = 0;
      for (int[] n : narrowing) {
        packedSize += n == null ? 0 : 2 + n.length;
      }
      int[] packed = new int[packedSize];
      int distinct = 0;
      int at = 0;
      for (long o : order) {
        int i = (int) o;
        if (distinct > 0 && sortedHashes[distinct - 1] == hashes[i]) {
          continue;
        }
        sortedHashes[distinct] = hashes[i];
        sortedRuleSets[distinct] = ruleSets[i];
        int[] n = narrowing[i];
        narrowingAt[distinct++] = n == null ? -1 : at;
        if (n != null) {
          packed[at++] = hashes[i];
          packed[at++] = n.length;
          System.arraycopy(n, 0, packed, at, n.length);
          at += n.length;
        }
      }
      return new Keys(java.util.Collections.unmodifiableSet(strings), Arrays.copyOf(sortedHashes, distinct), Arrays.copyOf(sortedRuleSets, distinct),
          Arrays.copyOf(narrowingAt, distinct), at == packed.length ? packed : Arrays.copyOf(packed, at));
    }
  }

  private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile("\\d{4}-(\\d{2})-(\\d{2}).*");
  private static final int[] DAYS_BEFORE_MONTH = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

  /**
   * Day-of-year buckets 2n wide on two grids n days apart: two days less than n apart always share a bucket on one
   * grid, whatever the years.
   */
  static List<String> nearDayKeys(String value, int n) {
    java.util.regex.Matcher m = DATE.matcher(value);
    if (!m.matches()) {
      return List.of();
    }
    int month = Integer.parseInt(m.group(1));
    int day = Integer.parseInt(m.group(2));
    if (month < 1 || month > 12 || day < 1 || day > 31) {
      return List.of();
    }
    int doy = DAYS_BEFORE_MONTH[month - 1] + day - 1;
    return List.of("@a" + doy / (2 * n), "@b" + (doy + n) / (2 * n));
  }

  /** The first n letters and digits of a value, or null when it has fewer. */
  static String prefix(String value, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < value.length() && b.length() < n; i++) {
      char c = value.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        b.append(c);
      }
    }
    return b.length() < n ? null : b.toString();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static List<String> fieldKeys(FieldRule field, String[] values) {
    if (values.length == 0) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String v : values) {
      out.addAll(field.algorithm().blockingKeys(v));
      if (field.prefixKey() > 0) {
        String prefix = prefix(v, field.prefixKey());
        if (prefix != null) {
          out.add("^" + prefix); // marked: never equal to an algorithm's own key
        }
      }
      if (field.nearDayKey() > 0) {
        out.addAll(nearDayKeys(v, field.nearDayKey()));
      }
      if (out.size() >= MAX_KEYS_PER_FIELD) {
        break;
      }
    }
    return out.size() > MAX_KEYS_PER_FIELD ? new ArrayList<>(out).subList(0, MAX_KEYS_PER_FIELD)
        : new ArrayList<>(out);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("BlockingKeys");
    for (Plan p : plans) {
      b.append(Arrays.toString(p.fields())).append(p.pairs() ? " pairs" : " single");
    }
    return b.toString();
  }
}
