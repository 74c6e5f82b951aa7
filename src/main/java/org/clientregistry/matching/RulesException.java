package org.clientregistry.matching;

/** A decision rules file that cannot be used; the message names the field at fault. */
public class RulesException extends RuntimeException {
  public RulesException(String path, String problem) {
    super("Invalid decision rules: " + path + ": " + problem);
  }
}
