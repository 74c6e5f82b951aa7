package org.clientregistry.store;

import java.time.Instant;
import java.util.List;

/** A golden record: its id is the CRUID; no demographics, only its members or the record that replaced it. */
public record GoldenRecord(String id, int version, String replacedBy, List<String> memberIds, Instant lastUpdated) {}
