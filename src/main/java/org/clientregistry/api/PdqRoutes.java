package org.clientregistry.api;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.stream.Collectors;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.linking.LookupAudit;
import org.clientregistry.pdq.PdqService;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * GET /fhir/Patient and POST /fhir/Patient/_search (PDQm, ITI-78), for admin and pdq clients. POST is preferred:
 * its criteria (demographics) stay out of URLs. The access log never logs query strings.
 */
public final class PdqRoutes {
  private final PdqService pdq;
  private final LookupAudit audit;
  private final String baseUrl;

  public PdqRoutes(PdqService pdq, LookupAudit audit, String baseUrl) {
    this.pdq = pdq;
    this.audit = audit;
    this.baseUrl = baseUrl;
  }

  public Future<FhirResponse> get(RoutingContext ctx) {
    MultiMap params = withoutPaging(ctx.queryParams());
    String query = params.entries().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
    return answer(ctx, ctx.queryParams(), new PdqService.Page(baseUrl + "/fhir/Patient?" + query));
  }

  public Future<FhirResponse> post(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      throw new FhirException(415, IssueType.NOTSUPPORTED, "Patient/_search takes "
          + "application/x-www-form-urlencoded parameters");
    }
    return answer(ctx, ctx.request().params(), new PdqService.Page(null));
  }

  private Future<FhirResponse> answer(RoutingContext ctx, MultiMap params, PdqService.Page page) {
    audit.admit(FhirHandlers.client(ctx).id());
    // The audit names the parameters used, not their values (demographics); results: the persons answered.
    return audit.around(FhirHandlers.client(ctx).id(), "pdq", "parameters=" + String.join(",", params.names()),
        pdq.search(params, page), json -> LookupAudit.count(json, "\"mode\":\"match\""))
        .map(json -> FhirResponse.ofJson(200, json));
  }

  private static MultiMap withoutPaging(MultiMap params) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    params.forEach(e -> {
      if (!e.getKey().equals("_count") && !e.getKey().equals("_offset")) {
        out.add(e.getKey(), e.getValue());
      }
    });
    return out;
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
