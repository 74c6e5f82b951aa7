package org.clientregistry.matching;

import java.util.List;

/** Records that share a blocking key with a query; {@code capped} when the configured cap cut the list. */
public record Candidates(List<MatchRecord> records, boolean capped) {}
