package org.clientregistry.matching;

/** How a rule set turns field results into a score. */
public enum MatchingType {
  /** Sum of the weights of passing fields. */
  DETERMINISTIC,
  /** Fellegi-Sunter log-odds from each field's m and u values. */
  PROBABILISTIC
}
