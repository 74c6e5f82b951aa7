package org.clientregistry.store.fhirserver;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.clientregistry.calls.CallLog;
import org.clientregistry.store.DemographicSearch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two Patient search parameters a FHIR server lacks that PDQm answers need: {@code mothersMaidenName} (PDQm's
 * own; a Patient Demographics Supplier shall support it) and {@code mother-identifier} (the registry's, OHIE-CR-05).
 * Defined on the server at start when it does not search them already (a conditional update by canonical URL: an
 * unchanged definition makes no new version), then searched once the server has them in force, which it says by
 * answering a strict search by them. A server that refuses the definition keeps them refused here too (400).
 */
final class ServerSearchParameters {
  private static final Logger LOG = LoggerFactory.getLogger(ServerSearchParameters.class);
  /** A newly defined parameter is asked after for this long (HAPI FHIR takes it into force within seconds). */
  private static final int PROBES = 150;
  private static final long PROBE_EVERY_MS = 2_000;
  private static final Map<String, String> STRICT = Map.of("Cache-Control", "no-cache, no-store",
      "Prefer", "handling=strict");

  record Definition(String code, String type, String url, String expression, String description) {}

  static final List<Definition> DEFINITIONS = List.of(
      new Definition("mothersMaidenName", "string",
          "https://profiles.ihe.net/ITI/PDQm/SearchParameter/PDQm-mothersMaidenName",
          "Patient.extension('" + DemographicSearch.MOTHERS_MAIDEN_NAME + "').value",
          "The patient's mother's maiden name (PDQm)"),
      new Definition(DemographicSearch.MOTHER_IDENTIFIER, "token",
          "http://openclientregistry.org/fhir/SearchParameter/Patient-mother-identifier",
          "Patient.contact.where(relationship.coding.where(code in (" + DemographicSearch.MOTHER_CODES.stream()
              .map(c -> "'" + c + "'").collect(Collectors.joining(" | ")) + ")).exists()).extension('"
              + DemographicSearch.RELATED_IDENTIFIER + "').value",
          "An identifier of the patient's mother, kept on her contact (OHIE-CR-05)"));

  private final Vertx vertx;
  private final Set<String> inForce = ConcurrentHashMap.newKeySet();
  /** Codes being defined or waited for now (a second search failing meanwhile starts no second wait). */
  private final Set<String> defining = ConcurrentHashMap.newKeySet();

  ServerSearchParameters(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Whether the registry defines this search parameter on servers that lack it. */
  static boolean defines(String code) {
    return DEFINITIONS.stream().anyMatch(d -> d.code().equals(code));
  }

  /** The codes the server searches now. */
  Set<String> inForce() {
    return inForce;
  }

  /** Another server from now on: what it searches is learnt again. */
  void restart(FhirHttp http) {
    inForce.clear();
    defining.clear();
    ensure(http);
  }

  /**
   * A search by these parameters failed: one the server now refuses or ignores (its definition deleted there) is out
   * of force from now on and defined again. A probe that fails otherwise (server down) changes nothing. Never fails.
   */
  void recheck(FhirHttp http, java.util.Collection<String> codes) {
    for (Definition d : DEFINITIONS.stream().filter(d -> codes.contains(d.code()) && inForce.contains(d.code()))
        .toList()) {
      strictSearch(http, d).onSuccess(reply -> {
        boolean lost = reply.status() == 400 || reply.ok() && !selfUses(reply.body(), d.code());
        if (lost && inForce.remove(d.code())) {
          LOG.warn("The FHIR server no longer searches Patient by {}; defining it again", d.code());
          ensure(http);
        }
      });
    }
  }

  /** Looks, defines what is missing and waits for it in the background; never fails (what fails stays out). */
  void ensure(FhirHttp http) {
    for (Definition d : DEFINITIONS) {
      if (inForce.contains(d.code()) || !defining.add(d.code())) {
        continue;
      }
      probe(http, d).compose(known -> {
        if (known) {
          defining.remove(d.code());
          return Future.<Void>succeededFuture();
        }
        return define(http, d);
      }).onFailure(e -> {
        defining.remove(d.code());
        LOG.warn("Could not check the FHIR server's search parameter {}: {}", d.code(), e.getMessage());
      });
    }
  }

  /** Defines it on the server and waits for it in the background. */
  private Future<Void> define(FhirHttp http, Definition d) {
    return http.send("FHIR: define search parameter " + d.code(), HttpMethod.PUT, "/SearchParameter?url="
        + FhirServerStore.enc(d.url()), Map.of(), body(d).encode(), CallLog.NONE).map(reply -> {
          if (!reply.ok()) {
            // Another registry defining it at the same moment is refused too: it may still come.
            LOG.warn("The FHIR server refused to define the search parameter {} (HTTP {}); PDQm refuses it"
                + " on this store unless it comes into force", d.code(), reply.status());
          }
          waitFor(http, d, PROBES);
          return null;
        });
  }

  /** Asks again every few seconds until the server searches by it, or gives up with a warning. */
  private void waitFor(FhirHttp http, Definition d, int left) {
    vertx.setTimer(PROBE_EVERY_MS, t -> probe(http, d).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        defining.remove(d.code());
        return;
      }
      if (left > 1) {
        waitFor(http, d, left - 1);
      } else {
        defining.remove(d.code());
        LOG.warn("The FHIR server has not taken the search parameter {} into force; PDQm refuses it on this store"
            + " until the registry starts again", d.code());
      }
    }));
  }

  /**
   * Whether the server searches by this parameter: a strict search answers 400 for one it does not know, and the
   * answer's self link names the parameters it used (a lenient server leaves out those it ignored).
   */
  private Future<Boolean> probe(FhirHttp http, Definition d) {
    return strictSearch(http, d).map(reply -> {
      boolean used = reply.ok() && selfUses(reply.body(), d.code());
      if (used && inForce.add(d.code())) {
        LOG.info("The FHIR server searches Patient by {}", d.code());
      }
      return used;
    });
  }

  private static Future<FhirHttp.Reply> strictSearch(FhirHttp http, Definition d) {
    return http.send("FHIR: check search parameter " + d.code(), HttpMethod.GET, "/Patient?" + d.code()
        + "=registry-probe&_count=1&_elements=id", STRICT, null, CallLog.NONE);
  }

  private static boolean selfUses(String bundle, String code) {
    try {
      JsonArray links = new JsonObject(bundle).getJsonArray("link", new JsonArray());
      return links.stream().map(JsonObject.class::cast).anyMatch(l -> "self".equals(l.getString("relation"))
          && l.getString("url", "").contains(code + "="));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static JsonObject body(Definition d) {
    return new JsonObject().put("resourceType", "SearchParameter").put("url", d.url()).put("name", d.code())
        .put("status", "active").put("description", d.description()).put("code", d.code())
        .put("base", new JsonArray().add("Patient")).put("type", d.type()).put("expression", d.expression());
  }
}
