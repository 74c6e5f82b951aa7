package org.clientregistry.fhir;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** OperationOutcome construction for errors and informational results. */
public final class OperationOutcomes {
  private OperationOutcomes() {}

  public static OperationOutcome error(IssueType type, String diagnostics) {
    return of(IssueSeverity.ERROR, type, diagnostics);
  }

  public static OperationOutcome of(IssueSeverity severity, IssueType type, String diagnostics) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(severity).setCode(type).setDiagnostics(diagnostics);
    return outcome;
  }
}
