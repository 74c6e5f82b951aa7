package org.clientregistry.matching;

/**
 * What the matcher knows of one source record: ids, owner, its golden record, whether its link was made by hand,
 * and its normalised values per slot. Immutable; re-linking makes a copy.
 */
public record MatchRecord(String sourceId, int version, String clientId, String goldenId, boolean manualLink,
                          String[][] values) {

  public MatchRecord withLink(String newGoldenId, boolean manual) {
    return new MatchRecord(sourceId, version, clientId, newGoldenId, manual, values);
  }
}
