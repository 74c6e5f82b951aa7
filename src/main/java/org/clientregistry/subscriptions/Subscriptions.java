package org.clientregistry.subscriptions;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.config.Role;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.identity.IdentityDomains;
import org.clientregistry.linking.IdentityResolver;
import org.clientregistry.store.AuditEntry;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.SubscriptionStore;
import org.clientregistry.store.SubscriptionStore.StoredSubscription;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Subscription;

/**
 * Subscriptions to patient changes (ITI-94, FHIR R4 rest-hook): created by admins and clients with the
 * {@code subscribe} role, each delivered by its own {@link Delivery} from the store's patient change feed. One
 * timer looks for new changes every {@code pollMillis} and wakes the deliveries that are behind.
 */
public final class Subscriptions {
  private final Vertx vertx;
  private final PatientStore store;
  private final SubscriptionStore feed; // null: the store keeps no change feed
  private final Notifications notifications;
  private final WebClient web;
  private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
  private final long pollMillis;
  private Context context;
  private long timer = -1;

  public Subscriptions(Vertx vertx, PatientStore store, IdentityResolver resolver, Supplier<IdentityDomains> domains,
                       String cruidSystem, long pollMillis) {
    this.vertx = vertx;
    this.store = store;
    this.feed = store instanceof SubscriptionStore s ? s : null;
    // The one client of every delivery; endpoints' certificates are checked against the JVM's trusted CAs.
    this.web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(10_000).setIdleTimeout(60)
        .setFollowRedirects(false));
    this.notifications = new Notifications(web, store, resolver, domains, cruidSystem);
    this.pollMillis = pollMillis;
  }

  /** Loads the stored subscriptions and starts delivering (at start-up, before serving). */
  public Future<Void> start() {
    if (feed == null) {
      return Future.succeededFuture();
    }
    context = vertx.getOrCreateContext();
    return feed.subscriptions().map(all -> {
      context.runOnContext(v -> {
        all.forEach(s -> deliveries.put(s.id(), delivery(s)));
        timer = vertx.setPeriodic(pollMillis, t -> poll());
      });
      return null;
    });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    deliveries.values().forEach(Delivery::stop);
    web.close();
  }

  private void poll() {
    if (deliveries.isEmpty()) {
      return;
    }
    feed.latestChange().onSuccess(latest -> deliveries.values().forEach(d -> d.wake(latest)));
  }

  private Delivery delivery(StoredSubscription s) {
    Subscription parsed = (Subscription) Fhir.parse(s.resourceJson());
    return new Delivery(vertx, feed, notifications, SubscriptionRequest.channel(parsed), s);
  }

  /** Creates a subscription owned by the caller; it notifies of changes from now on. Answers its JSON. */
  public Future<String> create(ClientConfig owner, org.hl7.fhir.r4.model.Resource request) {
    SubscriptionStore f = supported();
    Subscription s = SubscriptionRequest.check(request);
    String id = UUID.randomUUID().toString();
    s.setId(id);
    s.setMeta(null);
    s.setStatus(null);
    s.setError(null);
    String json = Fhir.encode(s);
    return f.latestChange().compose(latest -> {
      StoredSubscription stored = new StoredSubscription(id, owner.id(), json, Delivery.ACTIVE, null, latest);
      return f.saveSubscription(stored).compose(v -> audit(owner, "subscription.create", id)).map(v -> {
        Delivery d = delivery(stored);
        context.runOnContext(x -> deliveries.put(id, d));
        return view(stored);
      });
    });
  }

  /** The subscription with its status and last error; 404 unless the caller owns it or is an admin. */
  public String read(ClientConfig caller, String id) {
    return view(visible(caller, id).state());
  }

  /** A searchset of the caller's subscriptions (an admin's: all). */
  public String search(ClientConfig caller) {
    supported();
    JsonArray entries = new JsonArray();
    deliveries.values().stream().map(Delivery::state).filter(s -> mayUse(caller, s))
        .sorted(java.util.Comparator.comparing(StoredSubscription::id))
        .forEach(s -> entries.add(new JsonObject().put("resource", new JsonObject(view(s)))
            .put("search", new JsonObject().put("mode", "match"))));
    return new JsonObject().put("resourceType", "Bundle").put("type", "searchset").put("total", entries.size())
        .put("entry", entries).encode();
  }

  public Future<Void> delete(ClientConfig caller, String id) {
    Delivery d = visible(caller, id);
    deliveries.remove(id);
    return d.stop().compose(v -> feed.deleteSubscription(id)).compose(v -> audit(caller, "subscription.delete", id));
  }

  private Delivery visible(ClientConfig caller, String id) {
    supported();
    Delivery d = deliveries.get(id);
    if (d == null || !mayUse(caller, d.state())) {
      throw FhirException.notFound("Subscription/" + id + " is not known");
    }
    return d;
  }

  private static boolean mayUse(ClientConfig caller, StoredSubscription s) {
    return caller.roles().contains(Role.ADMIN) || caller.id().equals(s.owner());
  }

  private SubscriptionStore supported() {
    if (feed == null) {
      throw new FhirException(501, IssueType.NOTSUPPORTED, "Subscriptions need the embedded store's change feed;"
          + " this store does not keep one");
    }
    return feed;
  }

  private Future<Void> audit(ClientConfig client, String action, String id) {
    AuditEntry entry = new AuditEntry(Instant.now(), client.id(), action, null, null, "done", "Subscription/" + id);
    return store.commit(ChangeSet.auditOnly(entry));
  }

  /** The stored Subscription with its current status and error. */
  private static String view(StoredSubscription s) {
    JsonObject json = new JsonObject(s.resourceJson()).put("status", s.status());
    if (s.error() != null) {
      json.put("error", s.error());
    }
    return json.encode();
  }
}
