package org.clientregistry.matching;

import java.util.List;

/** A field comparison algorithm, named as OpenCR names it. */
public interface Algorithm {
  String name();

  /**
   * Raw score of two non-null normalised values: a similarity (higher = closer), a distance (lower = closer), or for
   * code/equality algorithms 1.0 (same) / 0.0 (different).
   */
  double score(String a, String b);

  /**
   * Whether a raw score passes the threshold (similarity: score >= threshold; distance: score <= threshold; equality
   * kinds ignore the threshold: score == 1).
   */
  boolean passes(double score, double threshold);

  /** Whether this algorithm needs a threshold in the rules file. */
  boolean needsThreshold();

  /**
   * Keys for the blocking index that any value passing against this one is very likely to share (at least one key in
   * common). For exact: the value itself; for phonetic codes: the code(s); for string similarity/distance on values
   * with letters: soundex(value) and soundex(reversed value) (catches a typo in the first letter); for values that
   * are mostly digits under a similarity/distance: the first half and the last half of the digits (a single typo
   * leaves one half intact). Keys are never empty strings; the list is empty when none can be made.
   */
  List<String> blockingKeys(String value);
}
