package org.clientregistry.api;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.identity.IdentityDomains;
import org.clientregistry.linking.SubmissionService;
import org.hl7.fhir.r4.model.Patient;

/**
 * PUT /fhir/Patient?identifier=system|value (ITI-104, Patient Identity Feed FHIR: conditional update). Keyed by the
 * caller's own internal identifier, which is how every submission is keyed: absent, the record is created (201);
 * present, it is updated (200). One client cannot have two records with one internal identifier, so the
 * multiple-matches answer (412) cannot arise.
 */
public final class FeedRoutes {
  private final SubmissionService submissions;
  private final PatientRoutes patients;
  private final RequestBodies bodies;
  private final Supplier<IdentityDomains> domains;

  public FeedRoutes(SubmissionService submissions, PatientRoutes patients, WorkerExecutor worker,
                    Supplier<IdentityDomains> domains) {
    this.submissions = submissions;
    this.patients = patients;
    this.bodies = new RequestBodies(worker);
    this.domains = domains;
  }

  public Future<FhirResponse> conditionalUpdate(RoutingContext ctx) {
    ClientConfig client = FhirHandlers.client(ctx);
    String[] key = internalIdentifier(ctx, client);
    java.util.concurrent.Callable<Patient> parse = bodies.patientParser(ctx, null);
    java.util.concurrent.Callable<Patient> checked = () -> {
      Patient p = parse.call();
      boolean carries = p.getIdentifier().stream().anyMatch(i -> i.hasSystem()
          && key[0].equals(domains.get().canonical(i.getSystem())) && key[1].equals(i.getValue()));
      if (!carries) {
        throw FhirException.badRequest("The Patient must carry the identifier of the URL's identifier parameter");
      }
      return p;
    };
    return submissions.submit(client, checked, null, FhirHandlers.calls(ctx)).map(patients::answer);
  }

  /** The one {@code identifier=system|value} of the URL, in one of the caller's internal-id systems. */
  private String[] internalIdentifier(RoutingContext ctx, ClientConfig client) {
    if (!ctx.queryParams().names().stream().allMatch(n -> n.equals("identifier") || n.equals("_format"))) {
      throw FhirException.badRequest("A conditional update of Patient takes only identifier=system|value");
    }
    List<String> ids = ctx.queryParam("identifier");
    int bar = ids.size() == 1 ? ids.get(0).indexOf('|') : -1;
    if (bar <= 0 || bar == ids.get(0).length() - 1) {
      throw FhirException.badRequest("A conditional update of Patient needs exactly one identifier=system|value");
    }
    String system = domains.get().canonical(ids.get(0).substring(0, bar));
    if (!client.ownsSystem(system)) {
      throw FhirException.badRequest("A conditional update is keyed by the caller's own internal identifier; '"
          + system + "' is not one of " + client.internalIdSystems());
    }
    return new String[] {system, ids.get(0).substring(bar + 1)};
  }
}
