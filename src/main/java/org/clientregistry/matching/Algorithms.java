package org.clientregistry.matching;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleBiFunction;
import java.util.regex.Pattern;
import org.apache.commons.codec.EncoderException;
import org.apache.commons.codec.language.Caverphone2;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.apache.commons.codec.language.Metaphone;
import org.apache.commons.codec.language.Nysiis;
import org.apache.commons.codec.language.RefinedSoundex;
import org.apache.commons.codec.language.Soundex;
import org.apache.commons.codec.language.bm.BeiderMorseEncoder;
import org.apache.commons.codec.language.bm.NameType;
import org.apache.commons.codec.language.bm.PhoneticEngine;
import org.apache.commons.codec.language.bm.RuleType;
import org.apache.commons.text.similarity.DamerauLevenshteinDistance;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** The algorithms a rules file can name. All are stateless singletons, safe to share between threads. */
public final class Algorithms {
  /** Room for decimal thresholds against computed doubles (1 - 1/5 must pass 0.8). */
  private static final double EPS = 1e-9;

  // Encoders are created once and never reconfigured, so concurrent encode() calls are safe.
  private static final Soundex SOUNDEX = Soundex.US_ENGLISH;
  private static final RefinedSoundex REFINED_SOUNDEX = RefinedSoundex.US_ENGLISH;
  private static final Metaphone METAPHONE = new Metaphone();
  private static final DoubleMetaphone DOUBLE_METAPHONE = new DoubleMetaphone();
  private static final Nysiis NYSIIS = new Nysiis();
  private static final Caverphone2 CAVERPHONE = new Caverphone2();
  private static final BeiderMorseEncoder BEIDER_MORSE = beiderMorse();

  private static final LevenshteinDistance LEVENSHTEIN = LevenshteinDistance.getDefaultInstance(); // no cap
  private static final DamerauLevenshteinDistance OSA = new DamerauLevenshteinDistance(); // OSA variant, no cap
  private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

  private static final Map<String, Algorithm> BY_NAME = new TreeMap<>();

  static {
    register(new Exact());
    register(distance("levenshtein", (a, b) -> LEVENSHTEIN.apply(a, b)));
    register(distance("damerau-levenshtein", TrueDamerauLevenshtein::distance));
    register(distance("optimal-string-alignment", (a, b) -> OSA.apply(a, b)));
    register(similarity("jaro-winkler", (a, b) -> JARO_WINKLER.apply(a, b)), "jaro-winkler-similarity");
    // Our own 1 - similarity: JaroWinklerDistance meant similarity in some commons-text versions.
    register(distance("jaro-winkler-distance", (a, b) -> 1 - JARO_WINKLER.apply(a, b)));
    register(similarity("normalized-levenshtein-similarity", (a, b) -> 1 - normalizedLevenshtein(a, b)));
    register(distance("normalized-levenshtein-distance", Algorithms::normalizedLevenshtein));
    register(similarity("jaccard-similarity", Grams::jaccard));
    register(similarity("dice-similarity", Grams::dice));
    register(similarity("cosine-similarity", Grams::cosine));
    register(new Phonetic("soundex", onLatin(SOUNDEX::soundex)));
    register(new Phonetic("refined-soundex", onLatin(REFINED_SOUNDEX::soundex)));
    register(new Phonetic("metaphone", onLatin(METAPHONE::metaphone)));
    register(new Phonetic("double-metaphone", onLatin(s -> DOUBLE_METAPHONE.doubleMetaphone(s, false),
        s -> DOUBLE_METAPHONE.doubleMetaphone(s, true))));
    register(new Phonetic("nysiis", onLatin(NYSIIS::nysiis)));
    register(new Phonetic("caverphone", onLatin(CAVERPHONE::encode)));
    register(new Phonetic("beider-morse", Algorithms::beiderMorseCodes));
    register(new NumberDistance());
    register(new DateDistance());
  }

  private Algorithms() {
  }

  public static Algorithm byName(String name) {
    Algorithm a = name == null ? null : BY_NAME.get(name);
    if (a == null) {
      throw new IllegalArgumentException("unknown algorithm '" + name + "'; known: " + String.join(", ", names()));
    }
    return a;
  }

  /** Every accepted name, aliases included, sorted. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(BY_NAME.keySet());
  }

  private static void register(Algorithm a, String... aliases) {
    BY_NAME.put(a.name(), a);
    for (String alias : aliases) {
      BY_NAME.put(alias, a);
    }
  }

  // Built once with a fixed engine (constructors and setters are deprecated in commons-codec 1.23).
  private static BeiderMorseEncoder beiderMorse() {
    return BeiderMorseEncoder.builder()
        .setPhoneticEngine(PhoneticEngine.builder()
            .setNameType(NameType.GENERIC).setRuleType(RuleType.APPROX).setConcat(true).get())
        .get();
  }

  private static double normalizedLevenshtein(String a, String b) {
    int max = Math.max(a.length(), b.length());
    return max == 0 ? 0 : (double) LEVENSHTEIN.apply(a, b) / max;
  }

  // ---- kinds ---------------------------------------------------------------------------------------------------

  private static Metric distance(String name, ToDoubleBiFunction<String, String> f) {
    return new Metric(name, false, f);
  }

  private static Metric similarity(String name, ToDoubleBiFunction<String, String> f) {
    return new Metric(name, true, f);
  }

  /** Equality: the only algorithm filters use, and a threshold would mean nothing. */
  private static final class Exact implements Algorithm {
    @Override public String name() {
      return "exact";
    }

    @Override public double score(String a, String b) {
      return a.equals(b) ? 1 : 0;
    }

    @Override public boolean passes(double score, double threshold) {
      return score == 1;
    }

    @Override public boolean needsThreshold() {
      return false;
    }

    @Override public List<String> blockingKeys(String value) {
      return value.isEmpty() ? List.of() : List.of(value);
    }

    @Override public String toString() {
      return name();
    }
  }

  /** A string similarity (higher = closer) or distance (lower = closer) with a configured threshold. */
  private record Metric(String name, boolean similarity, ToDoubleBiFunction<String, String> f) implements Algorithm {
    @Override public double score(String a, String b) {
      return f.applyAsDouble(a, b);
    }

    @Override public boolean passes(double score, double threshold) {
      return similarity ? score >= threshold - EPS : score <= threshold + EPS;
    }

    @Override public boolean needsThreshold() {
      return true;
    }

    @Override public List<String> blockingKeys(String value) {
      return textKeys(value);
    }

    @Override public String toString() {
      return name;
    }
  }

  /** Phonetic equality: same when any code of one value equals any code of the other. */
  private record Phonetic(String name, Function<String, Set<String>> encoder) implements Algorithm {
    @Override public double score(String a, String b) {
      Set<String> ca = codes(a);
      Set<String> cb = codes(b);
      if (ca.isEmpty() || cb.isEmpty()) {
        return a.equals(b) ? 1 : 0; // no letters to encode ("123"): only identical values agree
      }
      return Collections.disjoint(ca, cb) ? 0 : 1;
    }

    @Override public boolean passes(double score, double threshold) {
      return score == 1;
    }

    @Override public boolean needsThreshold() {
      return false;
    }

    @Override public List<String> blockingKeys(String value) {
      // Beider-Morse gives dozens of alternatives per name, too many for the index: block it like free text.
      return name.equals("beider-morse") ? textKeys(value) : new ArrayList<>(codes(value));
    }

    private Set<String> codes(String value) {
      try {
        Set<String> out = new LinkedHashSet<>();
        for (String c : encoder.apply(value)) {
          if (c != null && !c.isEmpty()) {
            out.add(c);
          }
        }
        return out;
      } catch (IllegalArgumentException e) { // encoders reject what they cannot map
        return Set.of();
      }
    }

    @Override public String toString() {
      return name;
    }
  }

  // ---- phonetic helpers ----------------------------------------------------------------------------------------

  // Latin letters NFD leaves alone; without folding, Soundex throws on them and the others drop them.
  private static final Map<Character, String> LATIN_FOLDS = Map.of('ø', "o", 'æ', "ae", 'œ', "oe", 'ß', "ss",
      'ł', "l", 'đ', "d", 'ð', "d", 'þ', "th", 'ı', "i");

  /** The a-z letters of a normalised value (spaces dropped: "van der berg" = "vanderberg"); "" when none. */
  static String latin(String v) {
    StringBuilder b = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = Character.toLowerCase(v.charAt(i));
      if (c >= 'a' && c <= 'z') {
        b.append(c);
      } else if (LATIN_FOLDS.containsKey(c)) {
        b.append(LATIN_FOLDS.get(c));
      }
    }
    return b.toString();
  }

  /**
   * Codes of the value's a-z letters by each encoder (double metaphone: primary and alternate); none when there are
   * no such letters, since some encoders return filler for them (Caverphone2: "1111111111").
   */
  @SafeVarargs
  private static Function<String, Set<String>> onLatin(Function<String, String>... encoders) {
    return v -> {
      String s = latin(v);
      Set<String> out = new LinkedHashSet<>();
      if (!s.isEmpty()) {
        for (Function<String, String> e : encoders) {
          out.add(e.apply(s));
        }
      }
      return out;
    };
  }

  private static final Pattern BM_SEPARATORS = Pattern.compile("[|()\\-]+");

  /** Beider-Morse output is "a|b|c", or "(a|b)-(c|d)" for names with prefixes: split into single codes. */
  private static Set<String> beiderMorseCodes(String v) {
    if (v.codePoints().noneMatch(Character::isLetter)) {
      return Set.of();
    }
    String encoded;
    try {
      encoded = BEIDER_MORSE.encode(v);
    } catch (EncoderException e) {
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (String code : BM_SEPARATORS.split(encoded)) {
      if (!code.isBlank()) {
        out.add(code.trim());
      }
    }
    return out;
  }

  // ---- blocking keys for free text -----------------------------------------------------------------------------

  private static final Pattern NON_LETTERS = Pattern.compile("\\P{L}+");

  /** Soundex forward and reversed for names (one survives a first-letter typo); digit halves for phones and ids. */
  static List<String> textKeys(String value) {
    int letters = 0;
    int digits = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (Character.isLetter(c)) {
        letters++;
      }
    }
    if (digits > letters) {
      return halves(Normalizer.digitsOnly(value));
    }
    String s = latin(value);
    if (s.isEmpty()) {
      // Other scripts (Cyrillic, Arabic...) have no soundex: block on halves of their letters instead.
      return letters == 0 ? List.of() : halves(NON_LETTERS.matcher(value).replaceAll(""));
    }
    List<String> keys = new ArrayList<>(2);
    String forward = SOUNDEX.soundex(s);
    String reversed = SOUNDEX.soundex(new StringBuilder(s).reverse().toString());
    if (forward != null && !forward.isEmpty()) {
      keys.add(forward);
    }
    if (reversed != null && !reversed.isEmpty()) {
      keys.add("~" + reversed); // marked so a reversed code never meets another value's forward code
    }
    return keys;
  }

  /**
   * "^first half" and "last half$": one typo leaves a half intact. For an odd length both roundings of the half are
   * emitted, so a value one character longer or shorter (an inserted or dropped digit) still shares a half.
   */
  static List<String> halves(String s) {
    if (s == null) {
      return List.of();
    }
    int n = s.length();
    Set<String> keys = new LinkedHashSet<>();
    for (int k : new int[] {n / 2, (n + 1) / 2}) {
      if (k > 0) {
        keys.add("^" + s.substring(0, k));
        keys.add(s.substring(n - k) + "$");
      }
    }
    return new ArrayList<>(keys);
  }

  // ---- character bigrams ---------------------------------------------------------------------------------------

  /** Similarities over character bigrams; a one-character string is its own single gram. */
  static final class Grams {
    private Grams() {
    }

    static Map<String, Integer> bag(String s) {
      Map<String, Integer> m = new HashMap<>();
      if (s.length() == 1) {
        m.put(s, 1);
      }
      for (int i = 0; i + 1 < s.length(); i++) {
        m.merge(s.substring(i, i + 2), 1, Integer::sum);
      }
      return m;
    }

    static double jaccard(String a, String b) {
      Set<String> x = bag(a).keySet();
      Set<String> y = bag(b).keySet();
      if (x.isEmpty() && y.isEmpty()) {
        return 1;
      }
      Set<String> union = new HashSet<>(x);
      union.addAll(y);
      return (double) common(x, y) / union.size();
    }

    static double dice(String a, String b) {
      Set<String> x = bag(a).keySet();
      Set<String> y = bag(b).keySet();
      if (x.isEmpty() && y.isEmpty()) {
        return 1;
      }
      return 2.0 * common(x, y) / (x.size() + y.size());
    }

    static double cosine(String a, String b) {
      Map<String, Integer> x = bag(a);
      Map<String, Integer> y = bag(b);
      if (x.isEmpty() || y.isEmpty()) {
        return x.isEmpty() && y.isEmpty() ? 1 : 0;
      }
      double dot = 0;
      for (Map.Entry<String, Integer> e : x.entrySet()) {
        dot += (double) e.getValue() * y.getOrDefault(e.getKey(), 0);
      }
      return dot / (norm(x) * norm(y));
    }

    private static int common(Set<String> x, Set<String> y) {
      int n = 0;
      for (String g : x) {
        if (y.contains(g)) {
          n++;
        }
      }
      return n;
    }

    private static double norm(Map<String, Integer> m) {
      double s = 0;
      for (int c : m.values()) {
        s += (double) c * c;
      }
      return Math.sqrt(s);
    }
  }

  // ---- number and date -----------------------------------------------------------------------------------------

  /** |a - b| of decimal numbers; an unparsable value is infinitely far, so it never passes. */
  private static final class NumberDistance implements Algorithm {
    // Stricter than Double.parseDouble, which also takes "NaN", "Infinity", "0x1p3" and "1d".
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)(e[-+]?\\d+)?",
        Pattern.CASE_INSENSITIVE);

    @Override public String name() {
      return "number";
    }

    @Override public double score(String a, String b) {
      double x = parse(a);
      double y = parse(b);
      return Double.isNaN(x) || Double.isNaN(y) ? Double.POSITIVE_INFINITY : Math.abs(x - y);
    }

    @Override public boolean passes(double score, double threshold) {
      return score <= threshold + EPS;
    }

    @Override public boolean needsThreshold() {
      return true;
    }

    @Override public List<String> blockingKeys(String value) {
      double x = parse(value);
      return Double.isNaN(x) ? List.of() : List.of(Long.toString((long) x)); // integer part, truncated
    }

    private static double parse(String s) {
      String t = s.trim();
      if (!DECIMAL.matcher(t).matches()) {
        return Double.NaN;
      }
      double d = Double.parseDouble(t);
      return Double.isFinite(d) ? d : Double.NaN;
    }

    @Override public String toString() {
      return name();
    }
  }

  /**
   * Days between ISO dates (YYYY-MM-DD, YYYY-MM or YYYY). A day/month swap, a common data-entry slip, counts as one
   * day. Partial dates compare on the precision both have: 0 when equal there, else {@link #PARTIAL_MISMATCH}.
   */
  static final class DateDistance implements Algorithm {
    /** Far beyond any sensible threshold in days, yet finite (keeps scores JSON-friendly). */
    static final double PARTIAL_MISMATCH = 1_000_000;
    // A date-time keeps only its date part.
    private static final Pattern ISO = Pattern.compile("(\\d{4})(?:-(\\d{2})(?:-(\\d{2}))?)?(?:t.*)?",
        Pattern.CASE_INSENSITIVE);

    /** precision: 1 = year, 2 = month, 3 = day. */
    private record Ymd(int year, int month, int day, int precision) {
      LocalDate date() {
        return LocalDate.of(year, month, day);
      }
    }

    @Override public String name() {
      return "date";
    }

    @Override public double score(String a, String b) {
      Ymd x = parse(a);
      Ymd y = parse(b);
      if (x == null || y == null) {
        return Double.POSITIVE_INFINITY;
      }
      int p = Math.min(x.precision(), y.precision());
      if (p < 3) {
        boolean same = x.year() == y.year() && (p == 1 || x.month() == y.month());
        return same ? 0 : PARTIAL_MISMATCH;
      }
      long days = Math.abs(ChronoUnit.DAYS.between(x.date(), y.date()));
      boolean swapped = x.year() == y.year() && x.month() == y.day() && x.day() == y.month();
      return swapped ? Math.min(days, 1) : days;
    }

    @Override public boolean passes(double score, double threshold) {
      return score <= threshold + EPS;
    }

    @Override public boolean needsThreshold() {
      return true;
    }

    @Override public List<String> blockingKeys(String value) {
      Ymd d = parse(value);
      if (d == null) {
        return List.of();
      }
      if (d.precision() < 3) {
        return List.of("y" + d.year());
      }
      // month and day sorted, so a swapped date still shares this key
      int lo = Math.min(d.month(), d.day());
      int hi = Math.max(d.month(), d.day());
      return List.of("y" + d.year(), String.format("md%02d-%02d", lo, hi));
    }

    static Ymd parse(String s) {
      var m = ISO.matcher(s.trim()); // (our package has its own Matcher class)
      if (!m.matches()) {
        return null;
      }
      int year = Integer.parseInt(m.group(1));
      if (m.group(2) == null) {
        return new Ymd(year, 1, 1, 1);
      }
      int month = Integer.parseInt(m.group(2));
      int day = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
      try {
        LocalDate.of(year, month, day); // rejects month 13, 31 April, 29 February of a common year
      } catch (DateTimeException e) {
        return null;
      }
      return new Ymd(year, month, day, m.group(3) == null ? 2 : 3);
    }

    @Override public String toString() {
      return name();
    }
  }
}
