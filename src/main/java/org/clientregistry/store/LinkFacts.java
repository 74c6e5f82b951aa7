package org.clientregistry.store;

import java.time.Instant;

/**
 * How a source→golden link was made: auto or manual, the score and grade, the rule that fired, when, and the
 * per-field explanation of the deciding comparison (JSON; algorithms, scores and pass/fail, never values).
 */
public record LinkFacts(String method, Double score, String grade, String rule, Instant at, String explanationJson) {
  public static final String AUTO = "auto";
  public static final String MANUAL = "manual";

  public boolean manual() {
    return MANUAL.equals(method);
  }
}
