package org.clientregistry.store.fhirserver;

import static org.clientregistry.store.fhirserver.FhirServerStoreContractTest.newPerson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.clientregistry.calls.CallLog;
import org.clientregistry.calls.UpstreamCall;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.StoreConflictException;
import org.junit.jupiter.api.Test;

/**
 * Submissions' changes ready while a transaction is under way go to the FHIR server together, in one transaction
 * (docs/storage.md, grouped transactions), and each still gets its own outcome. Against a real HAPI FHIR server; the
 * first transaction is held inside the server until the others are waiting, so that the grouping does not depend on
 * timing.
 */
class TransactionGroupsTest extends GroupingSupport {

  private static String id() {
    return UUID.randomUUID().toString();
  }

  /** Starts a transaction that the server holds; returns its outcome. */
  private Future<Void> holding(String source) throws InterruptedException {
    held = HeldInServer.creating(hapi, source);
    Future<Void> first = store.commit(newPerson(source, id()));
    held.arrived();
    return first;
  }

  private static String goldenOf(PatientStore on, String source) {
    return on.source(source).await().orElseThrow().goldenId();
  }

  @Test
  void changesReadyDuringATransactionGoTogetherInTheNextAndEachIsStored() throws Exception {
    String s1 = id();
    String s2 = id();
    String g2 = id();
    String s3 = id();
    String g3 = id();
    Future<Void> first = holding(s1);
    long before = hapi.requests();
    Future<Void> second = store.commit(newPerson(s2, g2));
    Future<Void> third = store.commit(newPerson(s3, g3));
    held.release();
    Future.all(first, second, third).await();
    assertEquals(1, hapi.requests() - before, "the second and third changes in one transaction");
    assertEquals(g2, goldenOf(store, s2));
    assertEquals(g3, goldenOf(store, s3));
  }

  @Test
  void aGroupRefusedForOneChangesLostRaceIsSentChangeByChange() throws Exception {
    String golden = id();
    String member = id();
    store.commit(newPerson(member, golden)).await();
    Future<Void> first = holding(id());
    long before = hapi.requests();
    // Expects the golden record at version 5; it is at 1: a lost race, which refuses the whole group.
    Future<Void> stale = store.commit(new ChangeSet(Instant.now(), List.of(), List.of(new ChangeSet.GoldenWrite(
        golden, 5, 6, null, List.of(member))), List.of(), List.of()));
    String s3 = id();
    String g3 = id();
    Future<Void> third = store.commit(newPerson(s3, g3));
    held.release();
    first.await();
    assertInstanceOf(StoreConflictException.class, stale.transform(Future::succeededFuture).await().cause(),
        "the stale change alone is a lost race");
    third.await();
    assertEquals(3, hapi.requests() - before, "the group, then each change alone");
    assertEquals(g3, goldenOf(store, s3), "the other change of the group is stored");
  }

  @Test
  void changesOfTheSameResourceNeverShareATransaction() throws Exception {
    String golden = id();
    String member = id();
    store.commit(newPerson(member, golden)).await();
    Future<Void> first = holding(id());
    long before = hapi.requests();
    ChangeSet.GoldenWrite toTwo = new ChangeSet.GoldenWrite(golden, 1, 2, null, List.of(member));
    ChangeSet.GoldenWrite toThree = new ChangeSet.GoldenWrite(golden, 2, 3, null, List.of(member));
    Future<Void> second = store.commit(new ChangeSet(Instant.now(), List.of(), List.of(toTwo), List.of(), List.of()));
    Future<Void> third = store.commit(new ChangeSet(Instant.now(), List.of(), List.of(toThree), List.of(),
        List.of()));
    held.release();
    Future.all(first, second, third).await();
    assertEquals(2, hapi.requests() - before, "one after the other, in order");
    assertEquals(3, store.golden(golden).await().orElseThrow().version());
  }

  /** In mediator mode each submission's orchestrations show its own entries, not another client's patients. */
  @Test
  void eachCallersLogShowsItsOwnEntriesOfAGroupedTransaction() throws Exception {
    Future<Void> first = holding(id());
    String s2 = id();
    String s3 = id();
    CallLog.Recorder log2 = CallLog.recorder();
    CallLog.Recorder log3 = CallLog.recorder();
    Future<Void> second = store.observed(log2).commit(newPerson(s2, id()));
    Future<Void> third = store.observed(log3).commit(newPerson(s3, id()));
    held.release();
    Future.all(first, second, third).await();
    UpstreamCall call = log2.calls().get(0);
    assertEquals(1, log2.calls().size());
    assertTrue(call.request().body().contains(s2));
    assertFalse(call.request().body().contains(s3), "another caller's entries are not in this log");
    assertEquals(200, call.response().status());
    int sent = new JsonObject(call.request().body()).getJsonArray("entry").size();
    assertEquals(sent, new JsonObject(call.response().body()).getJsonArray("entry").size(),
        "the answers to its own entries only");
    assertTrue(log3.calls().get(0).request().body().contains(s3));
    assertFalse(log3.calls().get(0).request().body().contains(s2));
  }
}
