package org.clientregistry.store;

import java.time.Instant;

/**
 * A stored source record. {@code resourceJson} is the Patient as the client submitted it, without id, meta and
 * link (those are the registry's and are added when the record is read). {@code fieldsJson} holds the raw values of
 * the decision-rule expressions, extracted once when the record was written.
 */
public record SourceRecord(String id, int version, String clientId, String idSystem, String idValue,
                           String goldenId, LinkFacts link, String resourceJson, String fieldsJson,
                           Instant lastUpdated) {}
