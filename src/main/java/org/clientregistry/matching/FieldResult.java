package org.clientregistry.matching;

/**
 * The explanation of one field comparison. Never holds the compared values themselves, so it is safe to store
 * and to log. {@code rawScore} is null when a side had no value.
 */
public record FieldResult(String field, String algorithm, Double rawScore, Result result, double weight) {
  public enum Result { PASS, FAIL, NULL }
}
