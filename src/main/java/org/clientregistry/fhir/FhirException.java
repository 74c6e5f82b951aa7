package org.clientregistry.fhir;

import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** A request failure that becomes an OperationOutcome with the given HTTP status. */
public class FhirException extends RuntimeException {
  private final int status;
  private final IssueType issueType;
  private final Map<String, String> headers;

  public FhirException(int status, IssueType issueType, String diagnostics) {
    this(status, issueType, diagnostics, Map.of());
  }

  public FhirException(int status, IssueType issueType, String diagnostics, Map<String, String> headers) {
    super(diagnostics);
    this.status = status;
    this.issueType = issueType;
    this.headers = headers;
  }

  public int status() {
    return status;
  }

  public IssueType issueType() {
    return issueType;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public static FhirException badRequest(String diagnostics) {
    return new FhirException(400, IssueType.INVALID, diagnostics);
  }

  public static FhirException forbidden(String diagnostics) {
    return new FhirException(403, IssueType.FORBIDDEN, diagnostics);
  }

  public static FhirException notFound(String diagnostics) {
    return new FhirException(404, IssueType.NOTFOUND, diagnostics);
  }
}
