package org.clientregistry.store.fhirserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.clientregistry.calls.CallLog;
import org.clientregistry.calls.UpstreamCall;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.LinkEvent;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.PatientStoreContract;
import org.clientregistry.store.ReviewItem;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
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
    // One page is read: HAPI FHIR neither reuses a cached search nor keeps this one in its database.
    assertEquals("no-cache, no-store", search.request().headers().get("Cache-Control"));
    assertTrue(search.response().body().contains(source));
  }

  /** A new person: a source record and its golden record, with its link event. */
  static ChangeSet newPerson(String source, String golden) {
    Instant at = Instant.now();
    LinkFacts facts = new LinkFacts(LinkFacts.AUTO, null, null, null, at, null);
    return new ChangeSet(at, List.of(new ChangeSet.SourceWrite(source, 0, 1, golden, facts,
        new ChangeSet.Content("openmrs", "http://clientregistry.org/openmrs", "adm-" + source, List.of(),
            "{\"resourceType\":\"Patient\"}", "{}"))), List.of(new ChangeSet.GoldenWrite(golden, 0, 1, null,
        List.of(source))), List.of(), List.of(), List.of(new LinkEvent(null, at, source, golden, null, facts, "openmrs",
        null)), ChangeSet.AdminChanges.NONE);
  }

  /**
   * Concurrent submissions of one replica look with the same start time, so the same search: HAPI FHIR must not
   * answer the second from its search cache (up to a minute old), or another replica's record written in between
   * goes unseen and the replicas split a person.
   */
  @Test
  void aLookInATransactionSeesWhatAnotherReplicaWroteSinceTheSameLook() {
    PatientStore other = FhirServerStore.open(vertx, HapiTestServer.shared().storeConfig(),
        "http://clientregistry.org/cruid");
    try {
      Instant since = Instant.now();
      store.commitAndLook(newPerson(UUID.randomUUID().toString(), UUID.randomUUID().toString()), since).await();
      String theirs = UUID.randomUUID().toString();
      other.commit(newPerson(theirs, UUID.randomUUID().toString())).await();
      PatientStore.OthersSeen seen = store.commitAndLook(newPerson(UUID.randomUUID().toString(),
          UUID.randomUUID().toString()), since).await();
      assertTrue(seen.sources().stream().anyMatch(s -> s.id().equals(theirs)), "the other replica's record: "
          + seen.sources().stream().map(s -> s.id()).toList());
    } finally {
      other.close().await();
    }
  }

  /**
   * A removed mark stays on the server as a removed version: a registry starting afterwards does not load it, and
   * one following the server learns that it went (a delete would be found by neither search).
   */
  @Test
  void aRemovedMarkIsNotLoadedAndFollowingReportsItRemoved() {
    List<String> pair = java.util.stream.Stream.of(UUID.randomUUID().toString(), UUID.randomUUID().toString())
        .sorted().toList(); // the order a mark is read back in
    PatientStore.NotSamePerson mark = new PatientStore.NotSamePerson(pair.get(0), pair.get(1));
    store.commit(newPerson(mark.sourceA(), UUID.randomUUID().toString())).await();
    store.commit(newPerson(mark.sourceB(), UUID.randomUUID().toString())).await();
    Instant since = Instant.now().minusSeconds(5);
    store.commit(new ChangeSet(Instant.now(), List.of(), List.of(), List.of(), List.of(), List.of(),
        new ChangeSet.AdminChanges(List.of(mark), List.of(), List.of(), null))).await();
    assertTrue(store.marksSince(since).await().made().contains(mark));
    assertTrue(loadedMarks().contains(mark));
    store.commit(new ChangeSet(Instant.now(), List.of(), List.of(), List.of(), List.of(), List.of(),
        new ChangeSet.AdminChanges(List.of(), List.of(new PatientStore.NotSamePerson(mark.sourceB(), mark.sourceA())),
            List.of(), null))).await();
    PatientStore.MarkChanges followed = store.marksSince(since).await();
    assertTrue(followed.removed().contains(mark), "reported removed: " + followed);
    assertTrue(!followed.made().contains(mark), "no longer made: " + followed);
    assertTrue(!loadedMarks().contains(mark), "not loaded once removed");
  }

  private static List<PatientStore.NotSamePerson> loadedMarks() {
    List<PatientStore.NotSamePerson> marks = new java.util.concurrent.CopyOnWriteArrayList<>();
    store.load(r -> {}, g -> {}, marks::add).await();
    return marks;
  }

  /**
   * A record another replica wrote last carries only that replica's tag (HAPI FHIR otherwise carries earlier tags
   * forward on update), so this replica's look, which leaves out its own writes by tag, sees the other's change.
   */
  @Test
  void aLookSeesAnotherReplicasUpdateOfARecordThisReplicaCreated() {
    PatientStore other = FhirServerStore.open(vertx, HapiTestServer.shared().storeConfig(),
        "http://clientregistry.org/cruid");
    try {
      String source = UUID.randomUUID().toString();
      String golden = UUID.randomUUID().toString();
      Instant since = Instant.now();
      store.commit(newPerson(source, golden)).await();
      other.commit(new ChangeSet(Instant.now(), List.of(), List.of(new ChangeSet.GoldenWrite(golden, 1, 2, null,
          List.of(source))), List.of(), List.of())).await();
      PatientStore.OthersSeen seen = store.commitAndLook(newPerson(UUID.randomUUID().toString(),
          UUID.randomUUID().toString()), since).await();
      assertTrue(seen.goldens().stream().anyMatch(g -> g.id().equals(golden) && g.version() == 2),
          "the other replica's version 2: " + seen.goldens());
    } finally {
      other.close().await();
    }
  }

  /** A source record of {@code client} carrying its internal identifier, linked to {@code golden}. */
  private static ChangeSet.SourceWrite recordOf(String client, String source, String golden, String value) {
    String system = "http://clientregistry.org/" + client;
    return new ChangeSet.SourceWrite(source, 0, 1, golden, new LinkFacts(LinkFacts.AUTO, null, null, null,
        Instant.now(), null), new ChangeSet.Content(client, system, value, List.of(), "{\"resourceType\":\"Patient\","
        + "\"identifier\":[{\"system\":\"" + system + "\",\"value\":\"" + value + "\"}]}", "{}"));
  }

  /**
   * PIX takes one search on a FHIR server (HAPI's _include:iterate over Patient.link brings the golden record, a
   * replaced-by survivor and every member), whether asked by a member's identifier or by a replaced CRUID.
   */
  @Test
  void pixFindsThePersonAndEveryMembersIdentifierInOneSearch() {
    String s1 = UUID.randomUUID().toString();
    String s2 = UUID.randomUUID().toString();
    String golden = UUID.randomUUID().toString();
    String replaced = UUID.randomUUID().toString();
    String v1 = "pix-" + s1;
    String v2 = "pix-" + s2;
    store.commit(new ChangeSet(Instant.now(), List.of(recordOf("openmrs", s1, golden, v1),
        recordOf("lims", s2, golden, v2)), List.of(new ChangeSet.GoldenWrite(golden, 0, 1, null, List.of(s1, s2)),
        new ChangeSet.GoldenWrite(replaced, 0, 1, golden, List.of())), List.of(), List.of())).await();
    String cruid = "http://clientregistry.org/cruid";
    for (String[] asked : new String[][] {{"http://clientregistry.org/lims", v2}, {cruid, replaced}}) {
      CallLog.Recorder log = CallLog.recorder();
      PatientStore.Person person = store.observed(log).person(asked[0], asked[1], cruid, 3).await().orElseThrow();
      assertEquals(golden, person.golden().id(), "asked by " + asked[0]);
      assertEquals(java.util.stream.Stream.of(s1 + " " + v1, s2 + " " + v2).sorted().toList(), person.identifiers()
          .stream().map(i -> i.sourceId() + " " + i.value()).toList(), "members in the golden record's order");
      assertEquals(1, log.calls().size(), "one search: " + log.calls());
    }
    assertTrue(store.person("http://clientregistry.org/lims", "pix-nobody", cruid, 3).await().isEmpty());
  }

  /** The index load asks for HAPI's next pages before it reads them: every record once, no page asked twice. */
  @Test
  void theIndexLoadReadsEveryPageOnceWithPagesAskedForAhead() {
    List<ChangeSet.SourceWrite> sources = new java.util.ArrayList<>();
    List<ChangeSet.GoldenWrite> goldens = new java.util.ArrayList<>();
    for (int i = 0; i < 130; i++) { // the test server's pages hold 50: three pages and more
      ChangeSet one = newPerson(UUID.randomUUID().toString(), UUID.randomUUID().toString());
      sources.addAll(one.sources());
      goldens.addAll(one.goldens());
    }
    store.commit(new ChangeSet(Instant.now(), sources, goldens, List.of(), List.of())).await();
    CallLog.Recorder log = CallLog.recorder();
    java.util.Map<String, Integer> loaded = new java.util.concurrent.ConcurrentHashMap<>();
    store.observed(log).load(r -> loaded.merge(r.id(), 1, Integer::sum), g -> {}, m -> {}).await();
    sources.forEach(s -> assertEquals(1, loaded.get(s.id()), "loaded once: " + s.id()));
    assertTrue(loaded.values().stream().allMatch(n -> n == 1), "no record twice");
    List<String> pages = log.calls().stream().map(c -> c.request().query()).filter(q -> q.contains("_getpagesoffset"))
        .toList();
    assertTrue(pages.size() >= 2, "next pages read: " + pages);
    assertEquals(pages.size(), new java.util.HashSet<>(pages).size(), "no page asked for twice: " + pages);
  }

  /** Link events, marks and job progress ride in the submission's one transaction; a decision reads its item first. */
  @Test
  void administrationCostsNoExtraRoundTripsBeyondReadingTheItemToResolve() {
    String a = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    String job = "job-" + UUID.randomUUID();
    CallLog.Recorder log = CallLog.recorder();
    PatientStore observed = store.observed(log);
    observed.commit(newPerson(a, UUID.randomUUID().toString())).await();
    assertEquals(1, log.calls().size(), "a new record and its link event: one transaction " + log.calls());
    ChangeSet person = newPerson(b, UUID.randomUUID().toString());
    ReviewItem item = new ReviewItem(UUID.randomUUID().toString(), b, null, null, 0.6, "possible", "probabilistic",
        "possible match", null, Instant.now());
    observed.commit(new ChangeSet(person.at(), person.sources(), person.goldens(), List.of(item), List.of(),
        person.events(), new ChangeSet.AdminChanges(List.of(new PatientStore.NotSamePerson(a, b)), List.of(),
            List.of(), new ChangeSet.JobProgress(job, "x")))).await();
    assertEquals(2, log.calls().size(), "events, a review item, a mark and job progress: one transaction");
    observed.commit(new ChangeSet(Instant.now(), List.of(), List.of(), List.of(), List.of(), List.of(),
        new ChangeSet.AdminChanges(List.of(), List.of(new PatientStore.NotSamePerson(b, a)),
            List.of(new ChangeSet.Resolution(item.id(), "new-golden", "admin-1", null)),
            new ChangeSet.JobProgress(job, null)))).await();
    assertEquals(4, log.calls().size(), "a decision: its item read, then one transaction " + log.calls());
    assertEquals("GET", log.calls().get(2).request().method());
    assertEquals("POST", log.calls().get(3).request().method());
    assertTrue(store.jobCursor(job).await().isEmpty());
  }

  /** A resolution carries the version it read: a transaction built on a stale read is refused by the server. */
  @Test
  void aResolutionBuiltOnAStaleReadIsRefusedByTheServer() throws Exception {
    String a = UUID.randomUUID().toString();
    store.commit(newPerson(a, UUID.randomUUID().toString())).await();
    ReviewItem item = new ReviewItem(UUID.randomUUID().toString(), a, null, null, 0.6, "possible", "probabilistic",
        "possible match", null, Instant.now());
    store.commit(new ChangeSet(Instant.now(), List.of(), List.of(), List.of(item), List.of())).await();
    HttpClient http = HttpClient.newHttpClient();
    String search = HapiTestServer.shared().baseUrl() + "/Basic?identifier="
        + FhirServerStore.token(RegistryResources.REVIEW_ID, item.id());
    Bundle found = (Bundle) Fhir.parse(http.send(HttpRequest.newBuilder(URI.create(search))
        .header("Cache-Control", "no-cache").build(), HttpResponse.BodyHandlers.ofString()).body());
    Basic stale = (Basic) found.getEntryFirstRep().getResource();
    store.commit(new ChangeSet(Instant.now(), List.of(), List.of(), List.of(), List.of(), List.of(),
        new ChangeSet.AdminChanges(List.of(), List.of(), List.of(new ChangeSet.Resolution(item.id(), "match",
            "admin-1", null)), null))).await();

    ChangeSet second = new ChangeSet(Instant.now(), List.of(), List.of(), List.of(), List.of(), List.of(),
        new ChangeSet.AdminChanges(List.of(), List.of(), List.of(new ChangeSet.Resolution(item.id(), "no-match",
            "admin-2", null)), null));
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    AdminResources.entries(second, Map.of(item.id(), stale), new RegistryResources("http://clientregistry.org/cruid"))
        .forEach(transaction::addEntry);
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(HapiTestServer.shared().baseUrl()))
        .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(
            Fhir.encode(transaction))).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(answer.statusCode() == 409 || answer.statusCode() == 412, answer.statusCode() + " " + answer.body());
    assertEquals("match", store.reviewItem(item.id()).await().orElseThrow().decision());
  }
}
