package org.clientregistry.api;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.linking.LookupAudit;
import org.clientregistry.linking.PixService;

/** GET /fhir/Patient/$ihe-pix (ITI-83). */
public final class PixRoutes {
  private static final Set<String> PARAMETERS = Set.of("sourceIdentifier", "targetSystem", "_format");

  private final PixService pix;
  private final LookupAudit audit;

  public PixRoutes(PixService pix, LookupAudit audit) {
    this.pix = pix;
    this.audit = audit;
  }

  public Future<FhirResponse> lookup(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!PARAMETERS.contains(name)) {
        throw FhirException.badRequest("Unknown parameter '" + name + "'; $ihe-pix takes sourceIdentifier and "
            + "targetSystem");
      }
    }
    List<String> source = ctx.queryParam("sourceIdentifier");
    if (source.size() != 1) {
      throw FhirException.badRequest("Exactly one sourceIdentifier (system|value) is required");
    }
    List<String> targets = ctx.queryParam("targetSystem").stream()
        .flatMap(t -> java.util.Arrays.stream(t.split(","))).map(String::trim).toList();
    return audit.around(FhirHandlers.client(ctx).id(), "pix", "sourceIdentifier=" + source.get(0),
        pix.observed(FhirHandlers.calls(ctx)).lookup(source.get(0), targets)).map(p -> FhirResponse.ofJson(200, p));
  }
}
