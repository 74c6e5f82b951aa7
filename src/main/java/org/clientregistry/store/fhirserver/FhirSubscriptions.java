package org.clientregistry.store.fhirserver;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.store.SubscriptionStore.GoldenChange;
import org.clientregistry.store.SubscriptionStore.StoredSubscription;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * Subscriptions (ITI-94) on the FHIR-server store (docs/storage.md). The change feed is the golden records in the
 * server's {@code _lastUpdated} order, a change's position its {@code meta.lastUpdated} in epoch milliseconds. A
 * write's time is stamped before its transaction commits, so commits can become visible out of order: only changes
 * older than the lag (the store's {@code requestTimeoutMs} and {@link #MARGIN}: past it the registry stopped waiting
 * for a write) by the server's clock are handed out, and a batch never ends inside a millisecond. A
 * golden record changed twice is listed once, at its latest version (a search answers latest versions). Each
 * subscription with its cursor is a Basic resource (code {@code subscription}).
 */
final class FhirSubscriptions {
  static final String SUBSCRIPTION = "subscription";
  /** Added to the request timeout: how long after its timestamp a golden record's write is assumed visible. */
  static final Duration MARGIN = Duration.ofSeconds(2);
  private static final String STATE = RegistryResources.BASE + "StructureDefinition/subscription-state";
  private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
      .withZone(ZoneOffset.UTC);
  private static final String GOLDENS = "/Patient?_tag=" + enc(RegistryResources.TAG + "|" + RegistryResources.GOLDEN)
      + "&_elements=id,meta";

  private final FhirServerStore store;

  FhirSubscriptions(FhirServerStore store) {
    this.store = store;
  }

  Future<List<GoldenChange>> goldenChanges(long after, int count) {
    String query = GOLDENS + "&_sort=_lastUpdated,_id&_count=" + (count + 1)
        + (after > 0 ? "&_lastUpdated=" + enc("gt" + MILLIS.format(Instant.ofEpochMilli(after))) : "");
    return store.searchBundle("FHIR: golden record changes", query).map(bundle -> {
      long horizon = horizon(bundle, lag());
      List<GoldenChange> out = new ArrayList<>();
      for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
        if (e.getResource() instanceof Patient p && p.getMeta().hasLastUpdated()) {
          long at = p.getMeta().getLastUpdated().getTime();
          if (at > after && at <= horizon) {
            out.add(new GoldenChange(at, p.getIdElement().getIdPart(), version(p)));
          }
        }
      }
      // More than count: drop the last millisecond's changes unless they are all there is (read whole next time).
      if (out.size() > count) {
        long last = out.get(out.size() - 1).position();
        List<GoldenChange> before = out.stream().filter(c -> c.position() < last).toList();
        return before.isEmpty() ? out : before;
      }
      return out;
    });
  }

  Future<Long> latestChange() {
    return store.searchBundle("FHIR: latest golden record change", GOLDENS + "&_sort=-_lastUpdated&_count=1")
        .map(bundle -> {
          long horizon = horizon(bundle, lag());
          long newest = bundle.getEntry().stream().filter(e -> e.getResource() instanceof Patient)
              .mapToLong(e -> e.getResource().getMeta().getLastUpdated().getTime()).max().orElse(0);
          return newest == 0 ? 0 : Math.min(newest, horizon);
        });
  }

  Future<List<StoredSubscription>> subscriptions() {
    List<StoredSubscription> out = new ArrayList<>();
    return store.pages("FHIR: list subscriptions", "/Basic?code=" + enc(RegistryResources.KIND + "|" + SUBSCRIPTION)
        + "&_count=" + store.pageSize(), r -> {
          if (r instanceof Basic b && b.getCode().hasCoding(RegistryResources.KIND, SUBSCRIPTION)) {
            synchronized (out) {
              out.add(fromBasic(b));
            }
          }
        }, () -> false).map(n -> {
          out.sort(java.util.Comparator.comparing(StoredSubscription::id));
          return out;
        });
  }

  Future<Void> save(StoredSubscription s) {
    return store.call("FHIR: save subscription", HttpMethod.PUT, "/Basic/" + id(s.id()), Fhir.encode(toBasic(s)))
        .mapEmpty();
  }

  Future<Boolean> delete(String id) {
    String path = "/Basic/" + id(id);
    return store.call("FHIR: read subscription", HttpMethod.GET, path, null).compose(found -> found == null
        ? Future.succeededFuture(false)
        : store.call("FHIR: delete subscription", HttpMethod.DELETE, path, null).map(v -> true));
  }

  private Duration lag() {
    return Duration.ofMillis(store.requestTimeoutMs()).plus(MARGIN);
  }

  /** The server's time of the search (the Bundle's lastUpdated) less the lag. */
  private static long horizon(Bundle bundle, Duration lag) {
    Instant now = bundle.getMeta().hasLastUpdated() ? bundle.getMeta().getLastUpdated().toInstant() : Instant.now();
    return now.minus(lag).toEpochMilli();
  }

  private static int version(Patient p) {
    String v = p.getMeta().getVersionId();
    return v != null && v.matches("\\d{1,9}") ? Integer.parseInt(v) : 0; // 0: a server's own version scheme
  }

  /** A subscription's Basic id: its UUID, prefixed so that it names no other registry resource. */
  private static String id(String subscriptionId) {
    if (!subscriptionId.matches("[A-Za-z0-9\\-]{1,60}")) {
      throw new IllegalArgumentException("not a subscription id");
    }
    return "sub-" + subscriptionId;
  }

  private static Basic toBasic(StoredSubscription s) {
    Basic b = new Basic();
    b.setId(id(s.id()));
    b.setCode(new CodeableConcept(new Coding(RegistryResources.KIND, SUBSCRIPTION, null)));
    JsonObject state = new JsonObject().put("id", s.id()).put("owner", s.owner()).put("resource", s.resourceJson())
        .put("status", s.status()).put("error", s.error()).put("cursor", s.cursor());
    b.addExtension(STATE, new StringType(state.encode()));
    return b;
  }

  private static StoredSubscription fromBasic(Basic b) {
    JsonObject s = new JsonObject(((StringType) b.getExtensionByUrl(STATE).getValue()).getValue());
    return new StoredSubscription(s.getString("id"), s.getString("owner"), s.getString("resource"),
        s.getString("status"), s.getString("error"), s.getLong("cursor"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
