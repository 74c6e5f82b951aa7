package org.clientregistry.subscriptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.clientregistry.identity.IdentityDomains;
import org.clientregistry.linking.IdentityResolver;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.SubscriptionStore.GoldenChange;

/**
 * One notification of a changed person, sent over the one WebClient of deliveries. Without payload: a POST with
 * no body to the endpoint (FHIR R4 rest-hook). With {@code application/fhir+json}: a PUT of the person to
 * {@code [endpoint]/Patient/[CRUID]}, the person being the golden record with identifiers and links only (the CRUID,
 * every member's authoritative identifiers, a {@code seealso} link per member, {@code replaced-by} after a merge,
 * {@code active} false then): never demographics, since point-of-service systems subscribe too.
 */
final class Notifications {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Generous: a slow endpoint is retried later anyway, in order. */
  private static final long TIMEOUT_MILLIS = 30_000;

  private final WebClient web;
  private final PatientStore store;
  private final IdentityResolver resolver;
  private final Supplier<IdentityDomains> domains;
  private final String cruidSystem;

  Notifications(WebClient web, PatientStore store, IdentityResolver resolver, Supplier<IdentityDomains> domains,
                String cruidSystem) {
    this.web = web;
    this.store = store;
    this.resolver = resolver;
    this.domains = domains;
    this.cruidSystem = cruidSystem;
  }

  /** Succeeds once the endpoint answered 2xx. */
  Future<Void> send(SubscriptionRequest.Channel channel, GoldenChange change) {
    Future<Optional<String>> body = channel.withPayload() ? person(change.goldenId())
        : Future.succeededFuture(Optional.empty());
    return body.compose(json -> {
      HttpRequest<Buffer> request = channel.withPayload()
          ? web.putAbs(channel.endpoint() + "/Patient/" + change.goldenId()) : web.postAbs(channel.endpoint());
      request.timeout(TIMEOUT_MILLIS);
      channel.headers().forEach(h -> request.putHeader(h[0], h[1]));
      Future<io.vertx.ext.web.client.HttpResponse<Buffer>> sent = json.isEmpty() ? request.send()
          : request.putHeader("Content-Type", SubscriptionRequest.FHIR_JSON).sendBuffer(Buffer.buffer(json.get()));
      return sent;
    }).compose(r -> r.statusCode() / 100 == 2 ? Future.<Void>succeededFuture()
        : Future.failedFuture("the endpoint answered HTTP " + r.statusCode()));
  }

  /** The person as notifications carry it (identifiers and links only), or empty if it no longer exists. */
  Future<Optional<String>> person(String goldenId) {
    return store.person(cruidSystem, goldenId, cruidSystem, 0).compose(found -> found.isEmpty()
        ? Future.succeededFuture(Optional.<String>empty())
        : resolver.owners(found.get().golden().memberIds())
            .map(owners -> Optional.of(json(found.get(), owners, domains.get()))));
  }

  private String json(PatientStore.Person person, Map<String, String> owners, IdentityDomains identity) {
    var golden = person.golden();
    ObjectNode out = JSON.createObjectNode().put("resourceType", "Patient").put("id", golden.id());
    out.putObject("meta").put("versionId", Integer.toString(golden.version()))
        .put("lastUpdated", golden.lastUpdated().toString());
    ArrayNode identifiers = out.putArray("identifier");
    identifiers.addObject().put("use", "official").put("system", cruidSystem).put("value", golden.id());
    Set<String> seen = new LinkedHashSet<>();
    for (PatientStore.SourceIdentifier id : person.identifiers()) {
      String owner = owners.get(id.sourceId());
      if (owner != null && identity.authoritative(owner, id.system()) && seen.add(id.system() + "|" + id.value())) {
        identifiers.addObject().put("system", id.system()).put("value", id.value());
      }
    }
    out.put("active", golden.replacedBy() == null);
    ArrayNode links = out.putArray("link");
    if (golden.replacedBy() != null) {
      links.addObject().put("type", "replaced-by").putObject("other")
          .put("reference", "Patient/" + golden.replacedBy());
    }
    golden.memberIds().forEach(m -> links.addObject().put("type", "seealso").putObject("other")
        .put("reference", "Patient/" + m));
    return out.toString();
  }
}
