package org.clientregistry.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlgorithmsTest {

  @ParameterizedTest(name = "basic({0}) = {1}")
  @CsvSource(nullValues = "NULL", value = {
      "'José  Núñez ', jose nunez",
      "'  MARY\tAnn\n', mary ann",
      "'Zoë\u00a0Ångström', zoe angstrom", // no-break space counts as whitespace
      "'François-Xavier', francois-xavier",
      "'   ', NULL",
      "'', NULL",
      "NULL, NULL",
  })
  void normalizerBasic(String in, String expected) {
    assertEquals(expected, Normalizer.basic(in));
  }

  @ParameterizedTest(name = "digitsOnly({0}) = {1}")
  @CsvSource(nullValues = "NULL", value = {
      "'+1 (555) 010-9999', 15550109999",
      "'07 12 34 56 78', 0712345678",
      "'abc', NULL",
      "'', NULL",
      "NULL, NULL",
  })
  void normalizerDigitsOnly(String in, String expected) {
    assertEquals(expected, Normalizer.digitsOnly(in));
  }

  /** Raw scores, to 4 decimal places. */
  @ParameterizedTest(name = "{0}({1}, {2}) = {3}")
  @CsvSource({
      "exact, john, john, 1",
      "exact, john, jon, 0",
      "levenshtein, kitten, sitting, 3",
      "levenshtein, elizabeth, betty, 7", // above 2: the default instance has no cap
      "levenshtein, christopher, kristof, 6",
      "levenshtein, abc, '', 3",
      "damerau-levenshtein, CA, ABC, 2", // true Damerau: transpose then insert between
      "damerau-levenshtein, ab, ba, 1",
      "damerau-levenshtein, abc, '', 3",
      "damerau-levenshtein, kitten, sitting, 3",
      "damerau-levenshtein, elizabeth, betty, 7",
      "optimal-string-alignment, CA, ABC, 3", // OSA may not edit a transposed pair again
      "optimal-string-alignment, ab, ba, 1",
      "optimal-string-alignment, kitten, sitting, 3",
      "jaro-winkler, martha, marhta, 0.9611",
      "jaro-winkler-similarity, martha, marhta, 0.9611",
      "jaro-winkler-distance, martha, marhta, 0.0389",
      "jaro-winkler, dwayne, duane, 0.84",
      "jaro-winkler, dixon, dicksonx, 0.8133",
      "jaro-winkler-distance, dixon, dicksonx, 0.1867",
      "jaro-winkler, anne, anne, 1",
      "normalized-levenshtein-similarity, kitten, sitting, 0.5714",
      "normalized-levenshtein-distance, kitten, sitting, 0.4286",
      "normalized-levenshtein-similarity, '', '', 1",
      "normalized-levenshtein-distance, '', '', 0",
      "jaccard-similarity, night, nacht, 0.1429", // {ni,ig,gh,ht} vs {na,ac,ch,ht}: 1 of 7
      "dice-similarity, night, nacht, 0.25", // 2*1 / (4+4)
      "cosine-similarity, night, nacht, 0.25", // 1 / (2*2)
      "jaccard-similarity, abab, ab, 0.5", // sets: {ab,ba} vs {ab}
      "dice-similarity, abab, ab, 0.6667",
      "cosine-similarity, abab, ab, 0.8944", // multiset: ab x2, ba x1 -> 2 / (sqrt5 * 1)
      "cosine-similarity, aaa, aa, 1", // multiset of the same gram: parallel vectors
      "jaccard-similarity, a, a, 1", // a one-letter string is its own gram
      "dice-similarity, a, b, 0",
      "number, 12.5, 10, 2.5",
      "number, -3, 4, 7",
      "number, abc, 1, Infinity",
      "date, 1990-03-04, 1990-03-06, 2",
      "date, 1990-03-04, 1990-04-03, 1", // day/month swap: 30 days, but scores 1
      "date, 1990-01-12, 1990-12-01, 1",
      "date, 2000-01-01, 1999-12-31, 1",
      "date, 1990-03-04, 1991-03-04, 365",
      "date, 1990-03-04, 1990-03, 0", // partial: compared on the month
      "date, 1990, 1990-12-31, 0",
      "date, 1990-03, 1990-04-01, 1000000",
      "date, 1990, 1991, 1000000",
      "date, 1990-02-30, 1990-02-28, Infinity",
      "date, 04/03/1990, 1990-03-04, Infinity",
  })
  void scores(String algorithm, String a, String b, double expected) {
    double s = Algorithms.byName(algorithm).score(a, b);
    if (Double.isInfinite(expected)) {
      assertEquals(expected, s);
    } else {
      assertEquals(expected, s, 1e-4);
    }
  }

  @ParameterizedTest(name = "{0}({1}, {2}) at {3} passes: {4}")
  @CsvSource({
      "levenshtein, elizabeth, betty, 7, true",
      "levenshtein, elizabeth, betty, 6, false",
      "damerau-levenshtein, CA, ABC, 2, true",
      "optimal-string-alignment, CA, ABC, 2, false",
      "jaro-winkler, martha, marhta, 0.96, true",
      "jaro-winkler, martha, marhta, 0.97, false",
      "jaro-winkler-distance, martha, marhta, 0.04, true", // distance: lower passes
      "jaro-winkler-distance, martha, marhta, 0.03, false",
      "normalized-levenshtein-similarity, soren, sorem, 0.8, true", // 1 - 1/5 exactly at the threshold
      "normalized-levenshtein-distance, soren, sorem, 0.2, true",
      "dice-similarity, night, nacht, 0.25, true",
      "number, 12.5, 10, 2.5, true",
      "number, 12.5, 10, 2, false",
      "number, abc, abc, 1000, false",
      "date, 1990-03-04, 1990-04-03, 1, true",
      "date, 1990-03-04, 1990-04-03, 0, false",
      "date, 1990-03-04, 1990-03-04, 0, true",
      "date, 1990-03-04, 1990-03-05, 0, false",
      "date, 1990, 1991, 366, false",
      "exact, john, john, 0.5, true", // equality ignores the threshold
      "exact, john, jon, 5, false",
  })
  void passes(String algorithm, String a, String b, double threshold, boolean expected) {
    Algorithm alg = Algorithms.byName(algorithm);
    assertEquals(expected, alg.passes(alg.score(a, b), threshold));
  }

  @ParameterizedTest(name = "{0}: {1} ~ {2} is {3}")
  @CsvSource({
      "soundex, robert, rupert, true",
      "soundex, robert, smith, false",
      "soundex, søren, soren, true", // ø folded, not rejected
      "refined-soundex, robert, rupert, true",
      "refined-soundex, robert, rubin, false",
      "metaphone, stephen, steven, true",
      "metaphone, knight, night, true",
      "metaphone, smith, jones, false",
      "double-metaphone, smith, schmidt, true", // primary SM0/XMT vs XMT/SMT share XMT
      "double-metaphone, smith, jones, false",
      "nysiis, knight, night, true",
      "nysiis, mary, john, false",
      "caverphone, stevenson, stephenson, true",
      "caverphone, stevenson, peterson, false",
      "beider-morse, schmidt, shmit, true",
      "beider-morse, smith, schmidt, true",
      "beider-morse, smith, jones, false",
      "soundex, 123, 123, true", // no letters: only identical values agree
      "soundex, 123, 124, false",
      "caverphone, 123, 124, false", // Caverphone2 would give 1111111111 for both
      "beider-morse, 123, 124, false",
      "double-metaphone, '--', '..', false",
  })
  void phoneticEquality(String algorithm, String a, String b, boolean expected) {
    Algorithm alg = Algorithms.byName(algorithm);
    double s = alg.score(a, b);
    assertEquals(expected ? 1.0 : 0.0, s);
    assertEquals(expected, alg.passes(s, 0));
  }

  @ParameterizedTest(name = "{0}({1}) has key {2}")
  @CsvSource({
      "soundex, robert, R163",
      "soundex, rupert, R163",
      "refined-soundex, robert, R901096",
      "metaphone, stephen, STFN",
      "double-metaphone, smith, SM0",
      "double-metaphone, smith, XMT",
      "double-metaphone, schmidt, XMT",
      "double-metaphone, schmidt, SMT",
      "nysiis, knight, NAGT",
      "caverphone, stevenson, STFNSN1111",
      "exact, mary ann, mary ann",
      "number, 12.7, 12",
      "number, -3.9, -3",
      "date, 1990-04-03, y1990",
      "date, 1990-04-03, md03-04",
      "levenshtein, robert, R163",
      "levenshtein, 0712345678, ^07123",
      "levenshtein, 0712345678, 45678$",
  })
  void blockingKeyValues(String algorithm, String value, String key) {
    assertTrue(Algorithms.byName(algorithm).blockingKeys(value).contains(key));
  }

  /** Values that pass each other must share a blocking key, or the pair is never compared. */
  @ParameterizedTest(name = "{0}: {1} and {2} (threshold {3}) share a key")
  @CsvSource({
      "jaro-winkler, katherine, catherine, 0.9", // first-letter typo: only the reversed soundex agrees
      "levenshtein, katherine, catherine, 1",
      "damerau-levenshtein, jhon, john, 1",
      "levenshtein, 0712345678, 0712345679, 1", // typo in the last half
      "levenshtein, 0712345678, 1712345678, 1", // typo in the first half
      "levenshtein, 0712345678, 071234567, 1", // dropped digit
      "levenshtein, 0712345678, 07123456789, 1", // extra digit
      "levenshtein, 071234567, 071834567, 1", // odd length, middle typo
      "levenshtein, 071234567, 07134567, 1", // odd length, dropped middle digit
      "levenshtein, дмитрий, дмитрии, 1", // no soundex for Cyrillic: letter halves
      "soundex, robert, rupert, 0",
      "double-metaphone, smith, schmidt, 0",
      "beider-morse, smith, schmidt, 0",
      "exact, mary, mary, 0",
      "number, 12.3, 12.9, 1",
      "date, 1990-03-04, 1990-04-03, 1", // swap: the sorted month-day key
      "date, 1990-03-04, 1991-03-04, 365", // year typo: month-day key
      "date, 1990-03-04, 1990-03-09, 30", // day typo: year key
      "date, 1990-03-04, 1990-03, 0", // partial: year key
  })
  void passingValuesShareABlockingKey(String algorithm, String a, String b, double threshold) {
    Algorithm alg = Algorithms.byName(algorithm);
    assertTrue(alg.passes(alg.score(a, b), threshold), "the pair should pass");
    Set<String> shared = new HashSet<>(alg.blockingKeys(a));
    shared.retainAll(alg.blockingKeys(b));
    assertFalse(shared.isEmpty(), () -> alg.blockingKeys(a) + " vs " + alg.blockingKeys(b));
  }

  @Test
  void reversedSoundexIsWhatCatchesAFirstLetterTypo() {
    Algorithm jw = Algorithms.byName("jaro-winkler");
    assertNotEquals(jw.blockingKeys("katherine").get(0), jw.blockingKeys("catherine").get(0));
    assertEquals(jw.blockingKeys("katherine").get(1), jw.blockingKeys("catherine").get(1));
  }

  @Test
  void phoneHalvesAreTwoKeysForAnEvenLength() {
    assertEquals(List.of("^07123", "45678$"), Algorithms.byName("levenshtein").blockingKeys("0712345678"));
  }

  @Test
  void noKeysWithoutMaterial() {
    assertEquals(List.of(), Algorithms.byName("soundex").blockingKeys("123"));
    assertEquals(List.of(), Algorithms.byName("caverphone").blockingKeys("123"));
    assertEquals(List.of(), Algorithms.byName("levenshtein").blockingKeys("-- .."));
    assertEquals(List.of(), Algorithms.byName("number").blockingKeys("twelve"));
    assertEquals(List.of(), Algorithms.byName("date").blockingKeys("1990-13-01"));
  }

  /** Every algorithm on awkward values: no exception, symmetric scores, no empty keys. */
  @Test
  void allAlgorithmsAreTotalSymmetricAndMakeNoEmptyKeys() {
    List<String> values = List.of("a", "robert", "søren", "дмитрий", "o'brien", "van der berg", "123", "12.5",
        "1990-02-03", "1990", "--", " ", "0712345678", "x1");
    for (String name : Algorithms.names()) {
      Algorithm alg = Algorithms.byName(name);
      for (String a : values) {
        for (String key : alg.blockingKeys(a)) {
          assertFalse(key.isEmpty(), name + " made an empty key for " + a);
        }
        for (String b : values) {
          assertEquals(alg.score(a, b), alg.score(b, a), 1e-12, name + "(" + a + ", " + b + ")");
        }
      }
    }
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Algorithms.byName("fuzzy"));
    assertTrue(e.getMessage().contains("'fuzzy'"), e.getMessage());
    assertTrue(e.getMessage().contains("levenshtein"), e.getMessage());
    assertTrue(e.getMessage().contains("double-metaphone"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Algorithms.byName(null));
  }

  @Test
  void namesAndAliases() {
    assertEquals(Set.of("exact", "levenshtein", "damerau-levenshtein", "optimal-string-alignment", "jaro-winkler",
        "jaro-winkler-similarity", "jaro-winkler-distance", "normalized-levenshtein-similarity",
        "normalized-levenshtein-distance", "jaccard-similarity", "dice-similarity", "cosine-similarity", "soundex",
        "refined-soundex", "metaphone", "double-metaphone", "nysiis", "caverphone", "beider-morse", "number", "date"),
        Algorithms.names());
    assertSame(Algorithms.byName("jaro-winkler"), Algorithms.byName("jaro-winkler-similarity"));
    assertNotEquals(Algorithms.byName("jaro-winkler"), Algorithms.byName("jaro-winkler-distance"));
    for (String name : Algorithms.names()) {
      assertSame(Algorithms.byName(name), Algorithms.byName(name), "singleton");
    }
  }

  @ParameterizedTest(name = "{0} needs a threshold: {1}")
  @CsvSource({
      "exact, false", "soundex, false", "double-metaphone, false", "beider-morse, false",
      "levenshtein, true", "jaro-winkler, true", "jaro-winkler-distance, true", "cosine-similarity, true",
      "number, true", "date, true",
  })
  void needsThreshold(String algorithm, boolean expected) {
    assertEquals(expected, Algorithms.byName(algorithm).needsThreshold());
  }

  @ParameterizedTest(name = "trueDamerau({0}, {1}) = {2}")
  @CsvSource({
      "CA, ABC, 2", "ab, ba, 1", "abc, '', 3", "'', abc, 3", "'', '', 0", "kitten, sitting, 3", "abcdef, badcfe, 3",
      "a cat, an act, 2",
  })
  void trueDamerauLevenshtein(String a, String b, int expected) {
    assertEquals(expected, TrueDamerauLevenshtein.distance(a, b));
  }
}
