package org.clientregistry.matching;

import java.util.Locale;

/** What a comparison with a missing value counts as. */
public enum NullHandling {
  /** Counts as a fail. */
  CONSERVATIVE,
  /** Counts as nothing: no weight added, no penalty, and left out of the normalised score. */
  MODERATE,
  /** Counts as a pass. */
  GREEDY;

  public static NullHandling parse(String value) {
    return NullHandling.valueOf(value.toUpperCase(Locale.ROOT));
  }
}
