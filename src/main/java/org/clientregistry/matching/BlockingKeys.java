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
   * Which fields of a rule set carry keys, and whether keys combine fields; if so, which combinations (each a pair
   * or a triple of positions in {@code fields}).
   */
  record Plan(int[] fields, boolean pairs, int[][] keyTuples) {
    Plan(int[] fields, boolean pairs) {
      this(fields, pairs, pairs ? allPairs(fields.length) : new int[0][]);
    }
  }

  /** Above this many keyed fields the subsets are not enumerated: every pair is keyed. */
  private static final int MAX_ENUMERATED_FIELDS = 16;
  /** Above this many minimal sets of three fields, they are keyed by pairs (keys per record grow with triples). */
  private static final int MAX_TRIPLES = 12;
  /** In a triple, each field contributes at most this many keys (at most 64 combinations). */
  private static final int MAX_KEYS_PER_FIELD_IN_TRIPLE = 4;

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
    double threshold = set.potentialThreshold();
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
      int[] keyed = dropLight(set, kept, dropped, true);
      return new Plan(keyed, true, selectiveTuples(set, keyed));
    }
    if (!kept.isEmpty() && dropped < threshold) {
      return new Plan(dropLight(set, kept, dropped, false), false);
    }
    // The rules let a pair match without agreeing on any keyed field: key every non-greedy field, the best we can.
    return new Plan(kept.stream().mapToInt(Integer::intValue).toArray(), false);
  }

  /**
   * The field combinations worth keying. A potential match passes some minimal set of keyed fields whose weights
   * (with every unkeyed field counted as passing, to be safe) reach the threshold. A minimal set of two or three
   * fields is keyed whole: a candidate must then agree on all of them, which stays selective when common names make
   * every pair of name fields (or a name and a birth year) common. Larger sets, or too many triples, are keyed by
   * their most selective pair: the two heaviest fields (a high pass weight means values rarely agree by chance).
   * Weak pairs that no minimal set needs (state and postcode) are not keyed: they would find many candidates and no
   * match the others miss.
   */
  static int[][] selectiveTuples(RuleSet set, int[] keyed) {
    int n = keyed.length;
    if (n > MAX_ENUMERATED_FIELDS) {
      return allPairs(n);
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
    Set<Integer> chosen = new LinkedHashSet<>();
    Set<Integer> small = new LinkedHashSet<>(); // minimal sets of two or three fields
    for (int mask = 1; mask < (1 << n); mask++) {
      double sum = unkeyed;
      for (int i = 0; i < n; i++) {
        sum += (mask & (1 << i)) != 0 ? w[i] : 0;
      }
      if (sum < set.potentialThreshold() || !minimal(mask, w, sum, set.potentialThreshold())) {
        continue;
      }
      if (Integer.bitCount(mask) <= (set.pairBlocking() ? 2 : 3)) {
        small.add(mask);
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
      if (best1 >= 0) {
        chosen.add((1 << best1) | (1 << best2));
      }
    }
    if (small.stream().filter(m -> Integer.bitCount(m) == 3).count() > MAX_TRIPLES) {
      // Too many triples would multiply each record's keys: their heaviest pairs instead.
      for (int m : small) {
        chosen.add(Integer.bitCount(m) == 2 ? m : m & ~lightest(m, w));
      }
    } else {
      chosen.addAll(small);
    }
    return chosen.stream().map(BlockingKeys::positions).toArray(int[][]::new);
  }

  /** The mask of the lightest field of a mask (the first one on a tie). */
  private static int lightest(int mask, double[] w) {
    int best = -1;
    for (int i = 0; i < w.length; i++) {
      if ((mask & (1 << i)) != 0 && (best < 0 || w[i] < w[best] - 1e-9)) {
        best = i;
      }
    }
    return 1 << best;
  }

  private static int[] positions(int mask) {
    int[] out = new int[Integer.bitCount(mask)];
    for (int i = 0, k = 0; i < 32; i++) {
      if ((mask & (1 << i)) != 0) {
        out[k++] = i;
      }
    }
    return out;
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
      boolean holds = pairs ? sum + lightest + heaviest < set.potentialThreshold()
          : sum + lightest < set.potentialThreshold();
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

  /** The index of the rule set a key was made for (keys start with it). */
  static int ruleSetOf(String key) {
    return Integer.parseInt(key.substring(0, key.indexOf(':')));
  }

  /**
   * The keys of a record's values. One submission asks for the keys of the same values several times (its locks,
   * the committed index, its own overlay, the index update), so the last few answers are kept by identity of the
   * values array, which the registry never changes once made.
   */
  public Set<String> of(String[][] values) {
    synchronized (recent) {
      Set<String> known = recent.get(values);
      if (known != null) {
        return known;
      }
    }
    Set<String> keys = java.util.Collections.unmodifiableSet(compute(values));
    synchronized (recent) {
      recent.put(values, keys);
    }
    return keys;
  }

  private static final int RECENT = 1024;
  /** Arrays hash and compare by identity, so this is an identity cache; the oldest entry goes first. */
  private final Map<String[][], Set<String>> recent = new java.util.LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String[][], Set<String>> eldest) {
      return size() > RECENT;
    }
  };

  private Set<String> compute(String[][] values) {
    Set<String> keys = new HashSet<>();
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
            keys.add(r + ":" + f + ":" + k);
          }
        }
      }
      if (!plans[r].pairs()) {
        for (int i = 0; i < perField.size(); i++) {
          for (String k : perField.get(i)) {
            keys.add(r + ":" + space[i] + ":" + k);
          }
        }
        continue;
      }
      for (int[] tuple : plans[r].keyTuples()) {
        addTupleKeys(keys, r, tuple, space, perField);
      }
    }
    return keys;
  }

  /**
   * The keys of one field combination: every combination of its fields' keys, as the key spaces (sorted) and the
   * codes in that order. Partner fields share a space, so their codes are sorted as well (either may have come
   * from either field), and one name in both is one agreement, not two: no key.
   */
  private static void addTupleKeys(Set<String> keys, int ruleSet, int[] tuple, int[] space, List<List<String>> perField) {
    int k = tuple.length;
    List<List<String>> lists = new ArrayList<>(k);
    for (int t : tuple) {
      List<String> l = perField.get(t);
      if (l.isEmpty()) {
        return;
      }
      lists.add(k > 2 && l.size() > MAX_KEYS_PER_FIELD_IN_TRIPLE ? l.subList(0, MAX_KEYS_PER_FIELD_IN_TRIPLE) : l);
    }
    int[] at = new int[k];
    String[][] parts = new String[k][2]; // {space, code}
    while (true) {
      boolean repeated = false;
      for (int i = 0; i < k; i++) {
        parts[i][0] = Integer.toString(space[tuple[i]]);
        parts[i][1] = lists.get(i).get(at[i]);
        for (int j = 0; j < i; j++) {
          repeated |= space[tuple[j]] == space[tuple[i]] && parts[j][1].equals(parts[i][1]);
        }
      }
      if (!repeated) {
        String[][] sorted = parts.clone();
        Arrays.sort(sorted, (a, b) -> {
          int bySpace = Integer.compare(Integer.parseInt(a[0]), Integer.parseInt(b[0]));
          return bySpace != 0 ? bySpace : a[1].compareTo(b[1]);
        });
        StringBuilder key = new StringBuilder().append(ruleSet).append(':');
        for (int i = 0; i < k; i++) {
          key.append(i == 0 ? "" : "+").append(sorted[i][0]);
        }
        key.append(':');
        for (int i = 0; i < k; i++) {
          key.append(i == 0 ? "" : "\u0001").append(sorted[i][1]);
        }
        keys.add(key.toString());
      }
      int i = k - 1;
      while (i >= 0 && ++at[i] == lists.get(i).size()) {
        at[i--] = 0;
      }
      if (i < 0) {
        return;
      }
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
