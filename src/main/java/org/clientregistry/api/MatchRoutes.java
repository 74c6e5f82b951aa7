package org.clientregistry.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.clientregistry.config.Role;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.linking.MatchService;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.clientregistry.linking.LookupAudit;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * POST /fhir/Patient/$match: nothing stored; demographics and explanations for admin callers only. Other callers
 * get a golden record id only for what would identify the person to them too (docs/security.md): they asked with
 * {@code onlyCertainMatches}, the match is certain, and at least {@code minAgreeingFields} fields besides names
 * and gender agree. Other matches are withheld, and an OperationOutcome entry says how many and why.
 */
public final class MatchRoutes {
  public static final String MATCH_GRADE = "http://hl7.org/fhir/StructureDefinition/match-grade";
  public static final String EXPLANATION = "http://openclientregistry.org/fhir/StructureDefinition/match-explanation";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DEFAULT_COUNT = 10;

  private final MatchService matches;
  private final RequestBodies bodies;
  private final WorkerExecutor worker;
  private final String cruidSystem;

  private final LookupAudit audit;

  private final java.util.function.Supplier<org.clientregistry.identity.IdentityDomains> domains;

  private final int minAgreeingFields;

  /**
   * @param domains           the identity domains: a query's OID systems are matched as their URLs, as stored
   * @param minAgreeingFields identifying fields that must agree before a non-admin caller gets a golden id
   */
  public MatchRoutes(MatchService matches, WorkerExecutor worker, String cruidSystem, LookupAudit audit,
                     java.util.function.Supplier<org.clientregistry.identity.IdentityDomains> domains,
                     int minAgreeingFields) {
    this.minAgreeingFields = minAgreeingFields;
    this.domains = domains;
    this.audit = audit;
    this.matches = matches;
    this.bodies = new RequestBodies(worker);
    this.worker = worker;
    this.cruidSystem = cruidSystem;
  }

  public Future<FhirResponse> match(RoutingContext ctx) {
    boolean admin = FhirHandlers.client(ctx).roles().contains(Role.ADMIN);
    audit.admit(FhirHandlers.client(ctx).id());
    return bodies.resource(ctx).compose(resource -> {
      if (!(resource instanceof Parameters parameters)) {
        throw FhirException.badRequest("$match takes a Parameters resource with a 'resource' Patient");
      }
      Patient patient = null;
      boolean onlyCertain = false;
      int count = DEFAULT_COUNT;
      for (ParametersParameterComponent p : parameters.getParameter()) {
        if (p.getName() == null || p.getName().isBlank()) {
          throw FhirException.badRequest("Parameters.parameter.name: every $match parameter needs a name");
        }
        switch (p.getName()) {
          case "resource" -> {
            if (!(p.getResource() instanceof Patient given)) {
              throw FhirException.badRequest("$match parameter 'resource' must be a Patient");
            }
            patient = given;
          }
          case "onlyCertainMatches" -> onlyCertain = p.getValue() instanceof BooleanType b && b.booleanValue();
          case "count" -> {
            if (!(p.getValue() instanceof IntegerType n) || n.getValue() < 1) {
              throw FhirException.badRequest("$match parameter 'count' must be a positive integer");
            }
            count = n.getValue();
          }
          default -> throw FhirException.badRequest("Unknown $match parameter '" + p.getName() + "'");
        }
      }
      if (patient == null) {
        throw FhirException.badRequest("$match needs a 'resource' parameter holding a Patient");
      }
      if (domains.get() != null) {
        domains.get().canonicalize(patient);
      }
      Patient query = patient;
      boolean certain = onlyCertain;
      int limit = count;
      return audit.around(FhirHandlers.client(ctx).id(), "match", "onlyCertainMatches=" + certain,
              worker.executeBlocking(() -> bundle(matches.match(query, certain, limit), admin, certain), false),
              Bundle::getTotal)
          .map(bundle -> FhirResponse.of(200, bundle));
    });
  }

  /** Whether a non-admin caller may learn this golden record's id. */
  private boolean disclosed(MatchService.GoldenMatch m, boolean onlyCertain) {
    return onlyCertain && "certain".equals(m.grade()) && m.identifyingAgreements() >= minAgreeingFields;
  }

  private Bundle bundle(List<MatchService.GoldenMatch> found, boolean admin, boolean onlyCertain) {
    Bundle bundle = new Bundle().setType(BundleType.SEARCHSET);
    List<MatchService.GoldenMatch> answered = admin ? found
        : found.stream().filter(m -> disclosed(m, onlyCertain)).toList();
    bundle.setTotal(answered.size());
    for (MatchService.GoldenMatch m : answered) {
      // The golden record holds no demographics: only its id and CRUID, for every caller.
      Patient golden = new Patient();
      golden.setId(m.goldenId());
      golden.addIdentifier().setSystem(cruidSystem).setValue(m.goldenId());
      Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl("Patient/" + m.goldenId())
          .setResource(golden);
      entry.getSearch().setMode(SearchEntryMode.MATCH).setScore(m.score())
          .addExtension(MATCH_GRADE, new CodeType(m.grade()));
      if (admin) {
        entry.getSearch().addExtension(EXPLANATION, new StringType(explanation(m)));
      }
    }
    if (answered.size() < found.size()) {
      bundle.addEntry().setResource(withheld(found.size() - answered.size())).getSearch()
          .setMode(SearchEntryMode.OUTCOME);
    }
    return bundle;
  }

  private OperationOutcome withheld(int n) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
        .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics(n + " match(es) withheld: a golden "
            + "record id is answered only to onlyCertainMatches=true, for a certain match on which at least "
            + minAgreeingFields + " field(s) besides names and gender agree (a birth date, a phone number, an "
            + "identifier)");
    return outcome;
  }

  private static String explanation(MatchService.GoldenMatch m) {
    try {
      return JSON.writeValueAsString(java.util.Map.of("ruleSet", m.comparison().ruleSet(),
          "score", m.comparison().score(), "fields", m.comparison().explanation()));
    } catch (JsonProcessingException e) {
      return "{}";
    }
  }
}
