package org.clientregistry.api;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.security.LookupPolicy;
import org.clientregistry.linking.LookupAudit;
import org.clientregistry.linking.PixService;

/** GET /fhir/Patient/$ihe-pix (ITI-83). */
public final class PixRoutes {
  private static final Set<String> PARAMETERS = Set.of("sourceIdentifier", "targetSystem", "_format");

  private final PixService pix;
  private final LookupAudit audit;
  private final LookupPolicy policy;

  public PixRoutes(PixService pix, LookupAudit audit, LookupPolicy policy) {
    this.pix = pix;
    this.audit = audit;
    this.policy = policy;
  }

  public Future<FhirResponse> lookup(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!PARAMETERS.contains(name)) {
        throw FhirException.badRequest("Unknown parameter '" + name + "'; $ihe-pix takes sourceIdentifier and "
            + "targetSystem");
      }
    }
    List<String> sourceIdentifier = ctx.queryParam("sourceIdentifier");
    if (sourceIdentifier.size() != 1) {
      throw FhirException.badRequest("Exactly one sourceIdentifier (system|value) is required");
    }
    List<String> targets = ctx.queryParam("targetSystem").stream()
        .flatMap(t -> java.util.Arrays.stream(t.split(","))).map(String::trim).toList();
    ClientConfig client = FhirHandlers.client(ctx);
    audit.admit(client.id());
    // The audit names the systems asked about, never an identifier's value.
    String source = sourceIdentifier.get(0);
    String detail = "source=" + source.substring(0, Math.max(0, source.indexOf('|')))
        + (targets.isEmpty() ? "" : " targets=" + String.join(",", targets));
    return audit.around(client.id(), "pix", detail, pix.observed(FhirHandlers.calls(ctx))
            .lookup(source, targets, policy.pixTargets(client)),
        answer -> LookupAudit.count(answer, "\"targetIdentifier\""))
        .map(p -> FhirResponse.ofJson(200, p));
  }
}
