package org.clientregistry.openhim;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Function;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.security.CallerHandler;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** Mediator mode: core names the authenticated client in {@code X-OpenHIM-ClientID}; unknown clients get 403. */
public final class ClientHeaderHandler implements Handler<RoutingContext> {
  public static final String CLIENT_HEADER = "X-OpenHIM-ClientID";

  private final Function<String, Optional<ClientConfig>> clients;

  public ClientHeaderHandler(Function<String, Optional<ClientConfig>> clients) {
    this.clients = clients;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String id = ctx.request().getHeader(CLIENT_HEADER);
    if (id == null || id.isBlank()) {
      ctx.fail(new FhirException(401, IssueType.LOGIN, "No " + CLIENT_HEADER + ": the OpenHIM channel must "
          + "authenticate its clients (a private channel)"));
      return;
    }
    Optional<ClientConfig> client = clients.apply(id);
    if (client.isEmpty()) {
      ctx.fail(FhirException.forbidden("OpenHIM client '" + id + "' is not a client of the registry; add it to "
          + "the mediator's clients in the OpenHIM console"));
      return;
    }
    ctx.put(CallerHandler.CLIENT, client.get());
    ctx.next();
  }
}
