package org.clientregistry.security;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Function;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Standalone mode: names the calling client from its verified certificate. No certificate is 401; a certificate
 * whose CN is not a configured client is 403.
 */
public final class CallerHandler implements Handler<RoutingContext> {
  public static final String CLIENT = "cr.client";

  private final Function<String, Optional<ClientConfig>> clients;

  public CallerHandler(Function<String, Optional<ClientConfig>> clients) {
    this.clients = clients;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Optional<String> cn = ClientIdentity.commonName(ctx.request().sslSession());
    if (cn.isEmpty()) {
      ctx.fail(new FhirException(401, IssueType.LOGIN,
          "A client certificate issued by the registry's CA is required"));
      return;
    }
    Optional<ClientConfig> client = clients.apply(cn.get());
    if (client.isEmpty()) {
      ctx.fail(FhirException.forbidden("The certificate's client '" + cn.get() + "' is not a configured client"));
      return;
    }
    ctx.put(CLIENT, client.get());
    ctx.next();
  }
}
