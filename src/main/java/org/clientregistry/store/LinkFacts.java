package org.clientregistry.store;

import java.time.Instant;

/** How a source→golden link was made: auto or manual, the score and grade, the rule that fired, and when. */
public record LinkFacts(String method, Double score, String grade, String rule, Instant at) {
  public static final String AUTO = "auto";
  public static final String MANUAL = "manual";

  public boolean manual() {
    return MANUAL.equals(method);
  }
}
