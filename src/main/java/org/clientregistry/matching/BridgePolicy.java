package org.clientregistry.matching;

/**
 * What linking does when a new record auto-matches members of several golden records (it bridges them): the rules
 * file's top-level {@code "bridges"}. Either way the record joins only a golden record none of whose members
 * disagrees with it (scores below the review threshold); see docs/linking.md.
 */
public enum BridgePolicy {
  /** The record joins the best golden record; the others become review items (the default). */
  REVIEW,
  /** Golden records whose members all agree with each other and with the record are merged; the rest reviewed. */
  MERGE;

  public static BridgePolicy parse(String text) {
    return switch (text) {
      case "review" -> REVIEW;
      case "merge" -> MERGE;
      default -> throw new RulesException("bridges", "must be \"review\" or \"merge\", not '" + text + "'");
    };
  }
}
