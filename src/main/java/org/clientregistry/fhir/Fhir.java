package org.clientregistry.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

/** The one FhirContext of the process, and JSON parsing/encoding that turns parse errors into 400s. */
public final class Fhir {
  private static final FhirContext CONTEXT = FhirContext.forR4Cached();

  static {
    // Parsing a resource's structure definitions lazily on first use is slow; do it once at class load.
    CONTEXT.getResourceDefinition("Patient");
    CONTEXT.getResourceDefinition("Bundle");
  }

  private Fhir() {}

  public static FhirContext context() {
    return CONTEXT;
  }

  /** Parses FHIR JSON; anything that is not a FHIR resource becomes a 400 with the parser's reason. */
  public static Resource parse(String json) {
    if (json == null || json.isBlank()) {
      throw new FhirException(400, IssueType.INVALID, "The request body is empty; a FHIR JSON resource is expected");
    }
    try {
      IBaseResource resource = parser().parseResource(json);
      return (Resource) resource;
    } catch (DataFormatException | ClassCastException | IllegalArgumentException e) {
      throw new FhirException(400, IssueType.STRUCTURE, "The body is not a valid FHIR R4 JSON resource: "
          + firstLine(e.getMessage()));
    }
  }

  public static String encode(IBaseResource resource) {
    return parser().encodeResourceToString(resource);
  }

  private static IParser parser() {
    // Parsers are cheap and not thread-safe; the context caches the expensive parts.
    // Strict: a malformed element is a 400 for the client to fix, not something to drop silently.
    return CONTEXT.newJsonParser().setPrettyPrint(false).setParserErrorHandler(new StrictErrorHandler());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
