package org.clientregistry.store;

import java.time.Instant;

/** Who did what to which record, with what outcome; never the demographics themselves. */
public record AuditEntry(Instant at, String clientId, String action, String sourceId, String goldenId,
                         String outcome, String detail) {}
