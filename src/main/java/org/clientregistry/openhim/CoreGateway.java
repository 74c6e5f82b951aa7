package org.clientregistry.openhim;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import org.clientregistry.api.FhirHandlers;
import org.clientregistry.calls.CallLog;
import org.clientregistry.calls.TransactionIds;
import org.clientregistry.config.RegistryConfig;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.security.ClientIdentity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Mediator mode, in front of every FHIR route: only core may call (the channel route's Basic credentials, or core's
 * client certificate when the registry serves HTTPS). Then the request's transaction id goes into its log lines,
 * its upstream calls are recorded, and its answer is wrapped in the OpenHIM envelope.
 */
public final class CoreGateway implements Handler<RoutingContext> {
  public static final String TRANSACTION_HEADER = "X-OpenHIM-TransactionID";

  private final byte[] expectedAuthorization;
  private final String coreCertificateName;
  private final OpenHimEnvelope envelope;

  public CoreGateway(RegistryConfig.Mediator config, OpenHimEnvelope envelope) {
    String pair = config.route().username() + ":" + config.route().password();
    this.expectedAuthorization = ("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)))
        .getBytes(StandardCharsets.UTF_8);
    this.coreCertificateName = config.coreCertificateName();
    this.envelope = envelope;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!fromCore(ctx)) {
      // In the envelope, so that core records the transaction as Failed (a route that cannot get in is broken).
      ctx.put(FhirHandlers.ENVELOPE, envelope);
      ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"client-registry\"");
      ctx.fail(new FhirException(401, IssueType.LOGIN, "Only OpenHIM core may call this mediator: "
          + "use the channel's route credentials"));
      return;
    }
    String transactionId = ctx.request().getHeader(TRANSACTION_HEADER);
    if (transactionId != null && transactionId.matches("[A-Za-z0-9-]{1,64}")) {
      TransactionIds.set(transactionId);
    }
    ctx.put(FhirHandlers.CALLS, CallLog.recorder());
    ctx.put(FhirHandlers.ENVELOPE, envelope);
    ctx.next();
  }

  private boolean fromCore(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null) {
      // Constant time, so the comparison does not leak how much of a guess was right.
      return MessageDigest.isEqual(expectedAuthorization, authorization.getBytes(StandardCharsets.UTF_8));
    }
    Optional<String> cn = ctx.request().isSSL() ? ClientIdentity.commonName(ctx.request().sslSession())
        : Optional.empty();
    return cn.isPresent() && !coreCertificateName.isBlank() && cn.get().equals(coreCertificateName);
  }
}
