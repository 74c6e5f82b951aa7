package org.clientregistry.store;

import java.time.Instant;

/**
 * One change of a source record's link, kept for its history and for the change feed: the golden record it now
 * belongs to, the one it left (null when the record was new), how the link was made, who made it (a client id,
 * an administrator, or {@code registry} for re-matching) and the administrator's comment. {@code position} is the
 * store's opaque place of the event in the feed (null until written).
 */
public record LinkEvent(String position, Instant at, String sourceId, String goldenId, String previousGoldenId,
                        LinkFacts facts, String actor, String comment) {}
