package org.clientregistry.store;

import java.time.Instant;

/**
 * An uncertain match for an administrator: a source record, a candidate golden record (and the member of it that
 * scored best), why, the explanation, and, once decided, who decided what and when.
 */
public record ReviewItem(String id, String sourceId, String goldenId, String candidateId, double score, String grade,
                         String rule, String reason, String explanationJson, Instant created, String status,
                         String decision, String resolvedBy, Instant resolvedAt, String comment) {
  public static final String OPEN = "open";
  public static final String RESOLVED = "resolved";

  /** A new, open item. */
  public ReviewItem(String id, String sourceId, String goldenId, String candidateId, double score, String grade,
                    String rule, String reason, String explanationJson, Instant created) {
    this(id, sourceId, goldenId, candidateId, score, grade, rule, reason, explanationJson, created, OPEN, null, null,
        null, null);
  }

  public boolean open() {
    return OPEN.equals(status);
  }

  /** The (source record, golden record) pair one open item at most is about, as {@code sourceId/goldenId}. */
  public String pair() {
    return pair(sourceId, goldenId);
  }

  public static String pair(String sourceId, String goldenId) {
    return sourceId + "/" + (goldenId == null ? "-" : goldenId);
  }
}
