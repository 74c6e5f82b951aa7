package org.clientregistry.matching;

/** The classification of a comparison; declared from weakest to strongest. */
public enum Outcome {
  NONE, REVIEW, AUTO;

  /** The FHIR match-grade for $match and link facts. */
  public String grade() {
    return switch (this) {
      case AUTO -> "certain";
      case REVIEW -> "possible";
      case NONE -> "certainly-not";
    };
  }
}
