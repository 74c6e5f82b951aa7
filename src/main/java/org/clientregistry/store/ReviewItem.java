package org.clientregistry.store;

import java.time.Instant;

/** An uncertain match for an administrator: a source record, a candidate golden record, why, and the explanation. */
public record ReviewItem(String id, String sourceId, String goldenId, double score, String grade, String rule,
                         String reason, String explanationJson, Instant created) {}
