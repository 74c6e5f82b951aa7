package org.clientregistry.linking;

import org.clientregistry.store.SourceRecord;

/** The stored source record after a submission, whether it was created, and what linking did. */
public record SubmissionResult(boolean created, SourceRecord record, String outcome) {}
