package org.clientregistry.store.fhirserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.clientregistry.calls.CallLog;
import org.clientregistry.calls.UpstreamCall;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.PatientStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The storage contract on the FHIR-server store, against a real HAPI FHIR JPA server. */
class FhirServerStoreContractTest extends PatientStoreContract {
  private static PatientStore store;

  @BeforeAll
  static void open() {
    store = FhirServerStore.open(vertx, HapiTestServer.shared().storeConfig(), "http://clientregistry.org/cruid");
  }

  @AfterAll
  static void close() {
    store.close().await();
  }

  @Override
  protected PatientStore store() {
    return store;
  }

  /** In mediator mode these become OpenHIM orchestrations: one per HTTP exchange, as it went over the wire. */
  @Test
  void eachHttpExchangeIsRecordedAsItWent() {
    CallLog.Recorder log = CallLog.recorder();
    PatientStore observed = store.observed(log);
    String source = UUID.randomUUID().toString();
    String golden = UUID.randomUUID().toString();
    observed.commit(new ChangeSet(Instant.now(), List.of(new ChangeSet.SourceWrite(source, 0, 1, golden,
        new LinkFacts(LinkFacts.AUTO, null, null, null, Instant.now(), null), new ChangeSet.Content("openmrs",
            "http://clientregistry.org/openmrs", "obs-" + source, List.of(), "{\"resourceType\":\"Patient\"}", "{}"))),
        List.of(new ChangeSet.GoldenWrite(golden, 0, 1, null, List.of(source))), List.of(), List.of())).await();
    observed.sourceByInternalId("openmrs", "http://clientregistry.org/openmrs", "obs-" + source).await();
    List<UpstreamCall> calls = log.calls();
    assertEquals(2, calls.size(), "one transaction, one search: " + calls);
    UpstreamCall transaction = calls.get(0);
    assertEquals("POST", transaction.request().method());
    assertEquals("/fhir", transaction.request().path());
    assertEquals(HapiTestServer.shared().port(), transaction.request().port());
    assertTrue(transaction.request().body().contains("\"type\":\"transaction\""));
    assertTrue(transaction.request().body().contains("\"ifMatch\":\"W/\\\"0\\\"\""), "must not exist yet");
    assertEquals(200, transaction.response().status());
    UpstreamCall search = calls.get(1);
    assertEquals("GET", search.request().method());
    assertEquals("/fhir/Patient", search.request().path());
    assertTrue(search.request().query().startsWith("identifier="), search.request().query());
    assertEquals("no-cache", search.request().headers().get("Cache-Control"));
    assertTrue(search.response().body().contains(source));
  }
}
