package org.clientregistry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clientregistry.calls.CallLog;
import org.junit.jupiter.api.Test;

/**
 * The storage contract: what every adapter of {@link PatientStore} must do, run against each of them by a
 * subclass that opens its store. Each test uses its own ids, so the tests share one store.
 */
public abstract class PatientStoreContract extends AdminStoreContract {
  @Test
  void aCommittedRecordIsFoundByInternalIdAndById() {
    String s = id();
    String g = id();
    String value = "c-" + s;
    store().commit(newPerson(s, g, value, "Sarah")).await();
    SourceRecord byInternal = store().sourceByInternalId("openmrs", SYSTEM, value).await().orElseThrow();
    SourceRecord byId = store().source(s).await().orElseThrow();
    for (SourceRecord r : List.of(byInternal, byId)) {
      assertEquals(s, r.id());
      assertEquals(1, r.version());
      assertEquals("openmrs", r.clientId());
      assertEquals(SYSTEM, r.idSystem());
      assertEquals(value, r.idValue());
      assertEquals(g, r.goldenId());
      assertEquals(json("Sarah", "Nakato", value), r.resourceJson(), "the content comes back exactly as written");
      assertEquals("{\"given\":[\"Sarah\"]}", r.fieldsJson());
      assertEquals(LinkFacts.AUTO, r.link().method());
      assertEquals(1.0, r.link().score());
      assertEquals("certain", r.link().grade());
      assertEquals("deterministic", r.link().rule());
      assertEquals(T0, r.link().at());
      assertEquals("{\"name\":\"jw 0.97\"}", r.link().explanationJson());
    }
    GoldenRecord golden = store().golden(g).await().orElseThrow();
    assertEquals(1, golden.version());
    assertEquals(List.of(s), golden.memberIds());
    assertNull(golden.replacedBy());
    assertTrue(store().sourceByInternalId("dhis2", SYSTEM, value).await().isEmpty(), "owned by openmrs only");
    assertTrue(store().source(g).await().isEmpty(), "a golden record is not a source record");
    assertTrue(store().golden(s).await().isEmpty(), "a source record is not a golden record");
    assertTrue(store().source(id()).await().isEmpty());
  }

  @Test
  void identifiersFindRecordsForPix() {
    String s = id();
    String value = "pix-" + s;
    store().commit(newPerson(s, id(), value, "Grace")).await();
    assertEquals(List.of(s), store().sourceIdsByIdentifier("http://clientregistry.org/national-id", "NIN-" + value)
        .await());
    List<PatientStore.SourceIdentifier> ids = store().identifiersOf(List.of(s)).await();
    assertEquals(List.of(new PatientStore.SourceIdentifier(s, "http://clientregistry.org/national-id", "NIN-" + value),
        new PatientStore.SourceIdentifier(s, SYSTEM, value)), ids);
    assertTrue(store().knowsSystem("http://clientregistry.org/national-id").await());
    assertFalse(store().knowsSystem("http://nobody.example/" + s).await());
    // A comma in a system is part of it (a FHIR search would OR on an unescaped one and find the second system).
    assertFalse(store().knowsSystem("http://nobody.example/" + s + ",http://clientregistry.org/national-id").await());
  }

  @Test
  void aLargeGoldenRecordKeepsEveryMemberAndTheirIdentifiers() {
    String g = id();
    List<ChangeSet.SourceWrite> sources = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String s = id();
      ids.add(s);
      sources.add(new ChangeSet.SourceWrite(s, 0, 1, g, auto(1.0), content("big-" + s, "Big")));
    }
    store().commit(new ChangeSet(Instant.now(), sources, List.of(new ChangeSet.GoldenWrite(g, 0, 1, null, ids)),
        List.of(), List.of())).await();
    assertEquals(ids.stream().sorted().toList(), store().golden(g).await().orElseThrow().memberIds());
    List<PatientStore.SourceIdentifier> found = store().identifiersOf(ids).await();
    assertEquals(240, found.size(), "two identifiers for each of the 120 members");
    assertEquals(ids.get(119), found.get(239).sourceId(), "in the order asked");
  }

  @Test
  void mustNotExistYetFailsWhenItExistsAndWritesNothing() {
    String s = id();
    String value = "dup-" + s;
    store().commit(newPerson(s, id(), value, "Ruth")).await();
    String otherGolden = id();
    Throwable e = failure(() -> store().commit(newPerson(s, otherGolden, value, "Ruth")).await());
    assertInstanceOf(StoreConflictException.class, e);
    assertTrue(store().golden(otherGolden).await().isEmpty(), "the golden record of the failed change is not there");
    assertEquals(1, store().source(s).await().orElseThrow().version());
  }

  @Test
  void aStaleVersionFailsAndTheRightOneWins() {
    String s = id();
    String g = id();
    String value = "upd-" + s;
    store().commit(newPerson(s, g, value, "Joan")).await();
    ChangeSet stale = new ChangeSet(Instant.now(), List.of(new ChangeSet.SourceWrite(s, 2, 3, g, auto(0.9),
        content(value, "Joanne"))), List.of(new ChangeSet.GoldenWrite(g, 1, 2, null, List.of(s))), List.of(),
        List.of());
    assertInstanceOf(StoreConflictException.class, failure(() -> store().commit(stale).await()));
    ChangeSet right = new ChangeSet(Instant.now(), List.of(new ChangeSet.SourceWrite(s, 1, 2, g, auto(0.9),
        content(value, "Joanne"))), List.of(new ChangeSet.GoldenWrite(g, 1, 2, null, List.of(s))), List.of(),
        List.of());
    store().commit(right).await();
    SourceRecord r = store().source(s).await().orElseThrow();
    assertEquals(2, r.version());
    assertEquals(json("Joanne", "Nakato", value), r.resourceJson());
    assertEquals(2, store().golden(g).await().orElseThrow().version());
    assertInstanceOf(StoreConflictException.class, failure(() -> store().commit(right).await()),
        "the same change again is stale now");
  }

  @Test
  void relinkingMovesARecordAndKeepsItsContent() {
    String a = id();
    String b = id();
    String ga = id();
    String gb = id();
    store().commit(newPerson(a, ga, "rl-" + a, "Agnes")).await();
    store().commit(newPerson(b, gb, "rl-" + b, "Agnes")).await();
    ChangeSet merge = new ChangeSet(Instant.now(), List.of(new ChangeSet.SourceWrite(b, 1, 2, ga,
        new LinkFacts(LinkFacts.MANUAL, null, null, null, T0, null), null)),
        List.of(new ChangeSet.GoldenWrite(ga, 1, 2, null, List.of(a, b)), new ChangeSet.GoldenWrite(gb, 1, 2, ga,
            List.of())), List.of(), List.of());
    store().commit(merge).await();
    SourceRecord moved = store().source(b).await().orElseThrow();
    assertEquals(ga, moved.goldenId());
    assertEquals(2, moved.version());
    assertTrue(moved.link().manual());
    assertNull(moved.link().score());
    assertEquals(json("Agnes", "Nakato", "rl-" + b), moved.resourceJson());
    GoldenRecord kept = store().golden(ga).await().orElseThrow();
    assertEquals(List.of(a, b).stream().sorted().toList(), kept.memberIds());
    GoldenRecord emptied = store().golden(gb).await().orElseThrow();
    assertEquals(ga, emptied.replacedBy());
    assertEquals(List.of(), emptied.memberIds());
  }

  @Test
  void reviewItemsAreListedOnceOldestFirst() {
    String s = id();
    String g = id();
    String other = id();
    store().commit(newPerson(s, g, "rv-" + s, "Mary")).await();
    store().commit(newPerson(other, id(), "rv-" + other, "Marie")).await();
    Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    ReviewItem item = new ReviewItem(id(), other, g, s, 0.71, "possible", "probabilistic", "possible match",
        "{\"name\":\"jw 0.88\"}", created);
    ChangeSet withReview = new ChangeSet(Instant.now(), List.of(), List.of(), List.of(item), List.of());
    store().commit(withReview).await();
    ChangeSet again = new ChangeSet(Instant.now(), List.of(), List.of(), List.of(new ReviewItem(id(), other, g, s,
        0.72, "possible", "probabilistic", "possible match", null, created.plusSeconds(1))), List.of());
    store().commit(again).await();
    List<ReviewItem> mine = store().openReviewItems(0, 10_000).await().stream()
        .filter(r -> r.sourceId().equals(other)).toList();
    assertEquals(List.of(item), mine, "one open item per pair, as first written");
  }

  @Test
  void loadStreamsEverythingAndChangesSinceATime() {
    String s = id();
    String g = id();
    Instant before = Instant.now().minusSeconds(1);
    store().commit(newPerson(s, g, "ld-" + s, "Betty")).await();
    Map<String, SourceRecord> sources = Collections.synchronizedMap(new HashMap<>());
    Map<String, Integer> goldens = Collections.synchronizedMap(new HashMap<>());
    long count = store().load(r -> sources.put(r.id(), r), v -> goldens.put(v.id(), v.version()), m -> {}).await();
    assertEquals(sources.size(), count);
    assertEquals(g, sources.get(s).goldenId());
    assertEquals(1, goldens.get(g));
    List<String> changed = Collections.synchronizedList(new ArrayList<>());
    store().loadChangedSince(before, r -> changed.add(r.id()), v -> {}).await();
    assertTrue(changed.contains(s));
    List<String> later = Collections.synchronizedList(new ArrayList<>());
    store().loadChangedSince(Instant.now().plusSeconds(60), r -> later.add(r.id()), v -> {}).await();
    assertFalse(later.contains(s));
  }

  @Test
  void anObservedStoreRecordsItsCalls() {
    CallLog.Recorder log = CallLog.recorder();
    String s = id();
    PatientStore observed = store().observed(log);
    observed.commit(newPerson(s, id(), "ob-" + s, "Ann")).await();
    observed.sourceByInternalId("openmrs", SYSTEM, "ob-" + s).await();
    assertTrue(log.calls().size() >= 2, "each call recorded: " + log.calls());
    log.calls().forEach(c -> assertTrue(c.response().status() >= 200 && c.response().status() < 300, c.name()));
  }

  @Test
  void pingAnswers() {
    store().ping().await();
  }
}
