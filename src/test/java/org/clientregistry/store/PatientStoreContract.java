package org.clientregistry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.clientregistry.calls.CallLog;
import org.clientregistry.fhir.Fhir;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The storage contract: what every adapter of {@link PatientStore} must do, run against each of them by a
 * subclass that opens its store. Each test uses its own ids, so the tests share one store.
 */
public abstract class PatientStoreContract {
  protected static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  /** The store under test (opened once per class by the subclass). */
  protected abstract PatientStore store();

  private static final String SYSTEM = "http://clientregistry.org/openmrs";
  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  static String json(String given, String family, String value) {
    Patient p = new Patient();
    p.addIdentifier().setSystem(SYSTEM).setValue(value);
    p.addIdentifier().setSystem("http://clientregistry.org/national-id").setValue("NIN-" + value);
    p.addName().setFamily(family).addGiven(given);
    p.setGender(Enumerations.AdministrativeGender.FEMALE);
    return Fhir.encode(p);
  }

  static ChangeSet.Content content(String value, String given) {
    return new ChangeSet.Content("openmrs", SYSTEM, value, List.of(new ChangeSet.Identifier(SYSTEM, value),
        new ChangeSet.Identifier("http://clientregistry.org/national-id", "NIN-" + value)),
        json(given, "Nakato", value), "{\"given\":[\"" + given + "\"]}");
  }

  static LinkFacts auto(double score) {
    return new LinkFacts(LinkFacts.AUTO, score, "certain", "deterministic", T0, "{\"name\":\"jw 0.97\"}");
  }

  static String id() {
    return UUID.randomUUID().toString();
  }

  /** A new person: a source record and its golden record, written together. */
  ChangeSet newPerson(String source, String golden, String value, String given) {
    return new ChangeSet(Instant.now(), List.of(new ChangeSet.SourceWrite(source, 0, 1, golden, auto(1.0),
        content(value, given))), List.of(new ChangeSet.GoldenWrite(golden, 0, 1, null, List.of(source))),
        List.of(), List.of(new AuditEntry(Instant.now(), "openmrs", "submit", source, golden, "created", null)));
  }

  private static Throwable failure(Runnable r) {
    Throwable e = assertThrows(RuntimeException.class, r::run);
    return e instanceof CompletionException ? e.getCause() : e;
  }

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

  // ---- administration: link events, the review queue, links, marks, job progress

  static ChangeSet.Content content(String value, String given, String client) {
    ChangeSet.Content c = content(value, given);
    return new ChangeSet.Content(client, c.idSystem(), c.idValue(), c.identifiers(), c.resourceJson(), c.fieldsJson());
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  /** A link event whose facts are those of the event (as stores give them back). */
  static LinkEvent event(Instant at, String source, String golden, String previous, Double score, String actor,
                         String comment) {
    LinkFacts facts = score == null ? new LinkFacts(LinkFacts.MANUAL, null, null, null, at, null)
        : new LinkFacts(LinkFacts.AUTO, score, "certain", "deterministic", at, "{\"name\":\"jw 0.97\"}");
    return new LinkEvent(null, at, source, golden, previous, facts, actor, comment);
  }

  /** A new person written with its link event. */
  static ChangeSet newPersonWithEvent(String source, String golden, String client, Instant at) {
    return new ChangeSet(at, List.of(new ChangeSet.SourceWrite(source, 0, 1, golden, auto(1.0),
        content("ev-" + source, "Esther", client))), List.of(new ChangeSet.GoldenWrite(golden, 0, 1, null,
        List.of(source))), List.of(), List.of(), List.of(event(at, source, golden, null, 1.0, client, null)),
        ChangeSet.AdminChanges.NONE);
  }

  static ChangeSet adminOnly(ChangeSet.AdminChanges admin) {
    return new ChangeSet(now(), List.of(), List.of(), List.of(), List.of(), List.of(), admin);
  }

  static ChangeSet.AdminChanges resolve(String itemId, String decision, String comment) {
    return new ChangeSet.AdminChanges(List.of(), List.of(), List.of(new ChangeSet.Resolution(itemId, decision,
        "admin-1", comment)), null);
  }

  static LinkEvent written(LinkEvent expected, LinkEvent actual) {
    assertTrue(actual.position() != null && !actual.position().isBlank(), "a written event has a position");
    return new LinkEvent(actual.position(), expected.at(), expected.sourceId(), expected.goldenId(),
        expected.previousGoldenId(), expected.facts(), expected.actor(), expected.comment());
  }

  @Test
  void linkHistoryBySourceAndByGoldenIsInTimeOrder() {
    String s1 = id();
    String s2 = id();
    String g1 = id();
    String g2 = id();
    String g3 = id();
    ChangeSet first = newPersonWithEvent(s1, g1, "openmrs", now());
    store().commit(first).await();
    ChangeSet second = newPersonWithEvent(s2, g2, "openmrs", now());
    store().commit(second).await();
    Instant mergedAt = now();
    LinkEvent merged = event(mergedAt, s2, g1, g2, null, "admin-1", "same woman, two clinics");
    store().commit(new ChangeSet(mergedAt, List.of(new ChangeSet.SourceWrite(s2, 1, 2, g1, merged.facts(), null)),
        List.of(new ChangeSet.GoldenWrite(g1, 1, 2, null, List.of(s1, s2)), new ChangeSet.GoldenWrite(g2, 1, 2, g1,
            List.of())), List.of(), List.of(), List.of(merged), ChangeSet.AdminChanges.NONE)).await();
    Instant brokenAt = now();
    LinkEvent broken = event(brokenAt, s2, g3, g1, null, "admin-2", null);
    store().commit(new ChangeSet(brokenAt, List.of(new ChangeSet.SourceWrite(s2, 2, 3, g3, broken.facts(), null)),
        List.of(new ChangeSet.GoldenWrite(g1, 2, 3, null, List.of(s1)), new ChangeSet.GoldenWrite(g3, 0, 1, null,
            List.of(s2))), List.of(), List.of(), List.of(broken), ChangeSet.AdminChanges.NONE)).await();

    List<LinkEvent> ofS2 = store().linkHistory(s2, null, 100).await();
    assertEquals(3, ofS2.size(), ofS2.toString());
    assertEquals(written(second.events().get(0), ofS2.get(0)), ofS2.get(0));
    assertEquals(written(merged, ofS2.get(1)), ofS2.get(1), "every fact, the actor and the comment kept");
    assertEquals(written(broken, ofS2.get(2)), ofS2.get(2));
    assertEquals(List.of(s1), store().linkHistory(s1, null, 100).await().stream().map(LinkEvent::sourceId).toList());
    List<LinkEvent> ofG1 = store().linkHistory(null, g1, 100).await();
    assertEquals(List.of(first.events().get(0).at(), mergedAt, brokenAt), ofG1.stream().map(LinkEvent::at).toList(),
        "records that joined g1 and the one that left it, oldest first");
    assertEquals(List.of(g1, g1, g3), ofG1.stream().map(LinkEvent::goldenId).toList());
    assertEquals(List.of(second.events().get(0).at(), mergedAt),
        store().linkHistory(null, g2, 100).await().stream().map(LinkEvent::at).toList(), "g2: joined, then left");
    assertEquals(List.of(first.events().get(0).at(), mergedAt),
        store().linkHistory(null, g1, 2).await().stream().map(LinkEvent::at).toList(), "at most count, oldest first");
    assertEquals(List.of(), store().linkHistory(id(), null, 100).await());
  }

  @Test
  void theChangeFeedGoesOnAfterAPosition() {
    String a = id();
    store().commit(newPersonWithEvent(a, id(), "openmrs", now())).await();
    Instant together = now();
    List<ChangeSet.SourceWrite> sources = new ArrayList<>();
    List<ChangeSet.GoldenWrite> goldens = new ArrayList<>();
    List<LinkEvent> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String s = id();
      String g = id();
      sources.add(new ChangeSet.SourceWrite(s, 0, 1, g, auto(1.0), content("feed-" + s, "Irene")));
      goldens.add(new ChangeSet.GoldenWrite(g, 0, 1, null, List.of(s)));
      events.add(event(together, s, g, null, 1.0, "openmrs", null));
    }
    store().commit(new ChangeSet(together, sources, goldens, List.of(), List.of(), events,
        ChangeSet.AdminChanges.NONE)).await();
    String last = id();
    store().commit(newPersonWithEvent(last, id(), "openmrs", now())).await();
    List<String> together3 = events.stream().map(LinkEvent::sourceId).sorted().toList();
    List<String> mine = new ArrayList<>(together3);
    mine.add(last);

    String start = store().linkHistory(a, null, 1).await().get(0).position();
    List<LinkEvent> after = store().linkChanges(start, 1000).await().stream()
        .filter(e -> mine.contains(e.sourceId())).toList();
    assertEquals(4, after.size(), after.toString());
    assertEquals(together3, after.subList(0, 3).stream().map(LinkEvent::sourceId).sorted().toList(),
        "one change's events together, in any order among themselves");
    assertEquals(last, after.get(3).sourceId());

    // One at a time from the same position: each event exactly once, in the same order.
    List<String> stepped = new ArrayList<>();
    String position = start;
    for (int i = 0; i < 4; i++) {
      List<LinkEvent> next = store().linkChanges(position, 1).await();
      assertEquals(1, next.size());
      stepped.add(next.get(0).sourceId());
      position = next.get(0).position();
    }
    assertEquals(after.stream().map(LinkEvent::sourceId).toList(), stepped);
    assertTrue(store().linkChanges(position, 100).await().stream().noneMatch(e -> mine.contains(e.sourceId())),
        "nothing of this test after the last event");
    assertEquals(1, store().linkChanges(null, 1).await().size(), "from the start");
    assertInstanceOf(IllegalArgumentException.class, failure(() -> store().linkChanges("not-a-position", 10)
        .await()));
  }

  @Test
  void theReviewQueueFiltersByStatusRuleClientScoreAndTime() {
    String rule = "rule-" + id();
    String fromOpenmrs = id();
    String fromDhis2 = id();
    String g = id();
    store().commit(newPersonWithEvent(fromOpenmrs, id(), "openmrs", now())).await();
    store().commit(newPersonWithEvent(fromDhis2, id(), "dhis2", now())).await();
    store().commit(newPersonWithEvent(g + "-m", g, "openmrs", now())).await();
    Instant t0 = now().minusSeconds(60);
    ReviewItem first = new ReviewItem(id(), fromOpenmrs, g, g + "-m", 0.6, "possible", rule, "possible match",
        "{\"name\":\"jw 0.81\"}", t0);
    ReviewItem second = new ReviewItem(id(), fromDhis2, g, g + "-m", 0.7, "possible", rule, "possible match", null,
        t0.plusSeconds(1));
    ReviewItem third = new ReviewItem(id(), fromOpenmrs, null, null, 0.8, "probable", rule, "below auto-link", null,
        t0.plusSeconds(2));
    store().commit(new ChangeSet(now(), List.of(), List.of(), List.of(third, first, second), List.of())).await();
    Instant resolvedAt = now();
    store().commit(new ChangeSet(resolvedAt, List.of(), List.of(), List.of(), List.of(), List.of(),
        resolve(third.id(), "new-golden", null))).await();
    ReviewItem thirdResolved = new ReviewItem(third.id(), fromOpenmrs, null, null, 0.8, "probable", rule,
        "below auto-link", null, third.created(), ReviewItem.RESOLVED, "new-golden", "admin-1", resolvedAt, null);

    assertEquals(new AdminReads.Page<>(List.of(first, second), 2), reviews(ReviewItem.OPEN, rule, null, null, null,
        null, null, 0, 10));
    assertEquals(new AdminReads.Page<>(List.of(first, second, thirdResolved), 3), reviews(null, rule, null, null,
        null, null, null, 0, 10), "any status");
    assertEquals(new AdminReads.Page<>(List.of(thirdResolved), 1), reviews(ReviewItem.RESOLVED, rule, null, null,
        null, null, null, 0, 10));
    assertEquals(new AdminReads.Page<>(List.of(second), 1), reviews(ReviewItem.OPEN, rule, "dhis2", null, null, null,
        null, 0, 10), "by the source record's client");
    assertEquals(new AdminReads.Page<>(List.of(first, thirdResolved), 2), reviews(null, rule, "openmrs", null, null,
        null, null, 0, 10));
    assertEquals(new AdminReads.Page<>(List.of(second), 1), reviews(null, rule, null, 0.65, 0.75, null, null, 0, 10));
    assertEquals(new AdminReads.Page<>(List.of(second, thirdResolved), 2), reviews(null, rule, null, null, null,
        t0.plusSeconds(1), null, 0, 10), "created at or after");
    assertEquals(new AdminReads.Page<>(List.of(first), 1), reviews(null, rule, null, null, null, null,
        t0.plusSeconds(1), 0, 10), "created before");
    assertEquals(new AdminReads.Page<>(List.of(second), 3), reviews(null, rule, null, null, null, null, null, 1, 1),
        "a page of one, with the total of all");
    assertEquals(first, store().reviewItem(first.id()).await().orElseThrow(), "every field, the candidate too");
    assertEquals(thirdResolved, store().reviewItem(third.id()).await().orElseThrow());
    assertTrue(store().reviewItem(id()).await().isEmpty());
  }

  private AdminReads.Page<ReviewItem> reviews(String status, String rule, String client, Double min, Double max,
                                              Instant after, Instant before, int offset, int count) {
    return store().reviewItems(new AdminReads.ReviewQuery(status, rule, client, min, max, after, before, offset,
        count)).await();
  }

  @Test
  void aResolvedItemCannotBeResolvedAgainAndThatChangeWritesNothing() {
    String s = id();
    String g = id();
    String other = id();
    store().commit(newPersonWithEvent(s, g, "openmrs", now())).await();
    store().commit(newPersonWithEvent(other, id(), "openmrs", now())).await();
    ReviewItem item = new ReviewItem(id(), other, g, s, 0.71, "possible", "probabilistic", "possible match", null,
        now());
    store().commit(new ChangeSet(now(), List.of(), List.of(), List.of(item), List.of())).await();
    store().commit(adminOnly(resolve(item.id(), "no-match", "different mothers"))).await();
    ReviewItem resolved = store().reviewItem(item.id()).await().orElseThrow();
    assertEquals(ReviewItem.RESOLVED, resolved.status());
    assertEquals("no-match", resolved.decision());
    assertEquals("different mothers", resolved.comment());
    assertTrue(store().openReviewItems(0, 10_000).await().stream().noneMatch(r -> r.id().equals(item.id())));

    // The same decision again (another administrator, a second click), with other writes in the same change.
    String late = id();
    String lateGolden = id();
    String job = "job-" + id();
    ChangeSet person = newPersonWithEvent(late, lateGolden, "openmrs", now());
    ChangeSet again = new ChangeSet(person.at(), person.sources(), person.goldens(), List.of(), List.of(),
        person.events(), new ChangeSet.AdminChanges(List.of(new PatientStore.NotSamePerson(s, other)), List.of(),
        List.of(new ChangeSet.Resolution(item.id(), "match", "admin-2", null)), new ChangeSet.JobProgress(job, "x")));
    assertInstanceOf(StoreConflictException.class, failure(() -> store().commit(again).await()));
    assertEquals(resolved, store().reviewItem(item.id()).await().orElseThrow(), "the first decision stands");
    assertTrue(store().source(late).await().isEmpty(), "nothing else of that change was written");
    assertTrue(store().golden(lateGolden).await().isEmpty());
    assertEquals(List.of(), store().linkHistory(late, null, 10).await());
    assertTrue(store().jobCursor(job).await().isEmpty());
    assertFalse(marks().contains(pair(s, other)));
    assertInstanceOf(StoreConflictException.class, failure(() -> store().commit(adminOnly(resolve(id(), "match",
        null))).await()), "an item that does not exist is not open either");

    // Decided questions do not block the same question from being asked again.
    ReviewItem askedAgain = new ReviewItem(id(), other, g, s, 0.73, "possible", "probabilistic", "possible match",
        null, now());
    store().commit(new ChangeSet(now(), List.of(), List.of(), List.of(askedAgain), List.of())).await();
    assertEquals(List.of(askedAgain), store().openReviewItems(0, 10_000).await().stream()
        .filter(r -> r.sourceId().equals(other)).toList());
  }

  @Test
  void ofTwoConcurrentResolutionsOfOneItemExactlyOneWins() {
    String s = id();
    String g = id();
    String other = id();
    store().commit(newPersonWithEvent(s, g, "openmrs", now())).await();
    store().commit(newPersonWithEvent(other, id(), "openmrs", now())).await();
    ReviewItem item = new ReviewItem(id(), other, g, s, 0.7, "possible", "probabilistic", "possible match", null,
        now());
    store().commit(new ChangeSet(now(), List.of(), List.of(), List.of(item), List.of())).await();
    // Both sent before either is answered: whichever the store takes second fails, whatever the interleaving.
    io.vertx.core.Future<Void> match = store().commit(adminOnly(resolve(item.id(), "match", "one")));
    io.vertx.core.Future<Void> noMatch = store().commit(adminOnly(resolve(item.id(), "no-match", "two")));
    io.vertx.core.Future.join(match, noMatch).otherwiseEmpty().await();
    assertTrue(match.succeeded() != noMatch.succeeded(), "exactly one succeeds");
    io.vertx.core.Future<Void> lost = match.succeeded() ? noMatch : match;
    assertInstanceOf(StoreConflictException.class, lost.cause());
    ReviewItem resolved = store().reviewItem(item.id()).await().orElseThrow();
    assertEquals(match.succeeded() ? "match" : "no-match", resolved.decision(), "the winner's decision is kept");
  }

  private List<List<String>> marks() {
    List<List<String>> out = Collections.synchronizedList(new ArrayList<>());
    store().load(r -> {}, v -> {}, m -> out.add(pair(m.sourceA(), m.sourceB()))).await();
    return out;
  }

  private static List<String> pair(String a, String b) {
    return a.compareTo(b) <= 0 ? List.of(a, b) : List.of(b, a);
  }

  @Test
  void marksAddedAndRemovedAreWhatLoadReads() {
    String a = id();
    String b = id();
    String c = id();
    for (String s : List.of(a, b, c)) {
      store().commit(newPersonWithEvent(s, id(), "openmrs", now())).await();
    }
    store().commit(adminOnly(new ChangeSet.AdminChanges(List.of(new PatientStore.NotSamePerson(a, b),
        new PatientStore.NotSamePerson(c, a)), List.of(), List.of(), null))).await();
    store().commit(adminOnly(new ChangeSet.AdminChanges(List.of(new PatientStore.NotSamePerson(b, a)), List.of(),
        List.of(), null))).await();
    List<List<String>> loaded = marks();
    assertEquals(1, Collections.frequency(loaded, pair(a, b)), "a pair is marked once, whichever way round");
    assertTrue(loaded.contains(pair(a, c)));
    store().commit(adminOnly(new ChangeSet.AdminChanges(List.of(), List.of(new PatientStore.NotSamePerson(b, a)),
        List.of(), null))).await();
    loaded = marks();
    assertFalse(loaded.contains(pair(a, b)), "a removed mark is gone");
    assertTrue(loaded.contains(pair(a, c)));
    store().commit(adminOnly(new ChangeSet.AdminChanges(List.of(), List.of(new PatientStore.NotSamePerson(a, b)),
        List.of(), null))).await();
    store().commit(adminOnly(new ChangeSet.AdminChanges(List.of(new PatientStore.NotSamePerson(a, b)), List.of(),
        List.of(), null))).await();
    assertTrue(marks().contains(pair(a, b)), "removing a mark that is not there is no error; it can be made again");
  }

  @Test
  void jobProgressIsKeptUntilTheJobEnds() {
    String job = "job-" + id();
    assertTrue(store().jobCursor(job).await().isEmpty());
    store().commit(adminOnly(new ChangeSet.AdminChanges(List.of(), List.of(), List.of(),
        new ChangeSet.JobProgress(job, null)))).await();
    assertTrue(store().jobCursor(job).await().isEmpty(), "a job done in one batch ends without a cursor");
    store().commit(adminOnly(new ChangeSet.AdminChanges(List.of(), List.of(), List.of(),
        new ChangeSet.JobProgress(job, "golden-100")))).await();
    assertEquals("golden-100", store().jobCursor(job).await().orElseThrow());
    store().commit(adminOnly(new ChangeSet.AdminChanges(List.of(), List.of(), List.of(),
        new ChangeSet.JobProgress(job, "golden-200")))).await();
    assertEquals("golden-200", store().jobCursor(job).await().orElseThrow());
    assertTrue(store().jobCursor("job-" + id()).await().isEmpty(), "per job");
    store().commit(adminOnly(new ChangeSet.AdminChanges(List.of(), List.of(), List.of(),
        new ChangeSet.JobProgress(job, null)))).await();
    assertTrue(store().jobCursor(job).await().isEmpty(), "a finished job has no cursor");
  }

  @Test
  void linksAreListedByGoldenBySourceAndByMethod() {
    String g = id();
    List<String> members = new ArrayList<>(List.of(id(), id(), id()));
    List<ChangeSet.SourceWrite> sources = new ArrayList<>();
    LinkFacts manual = new LinkFacts(LinkFacts.MANUAL, null, null, null, T0, null);
    for (int i = 0; i < 3; i++) {
      sources.add(new ChangeSet.SourceWrite(members.get(i), 0, 1, g, i == 2 ? manual : auto(0.9),
          content("ln-" + members.get(i), "Lydia")));
    }
    store().commit(new ChangeSet(now(), sources, List.of(new ChangeSet.GoldenWrite(g, 0, 1, null, members)),
        List.of(), List.of())).await();
    String manualId = members.get(2);
    members.sort(null);

    AdminReads.Page<SourceRecord> all = store().links(new AdminReads.LinkQuery(g, null, null, 0, 10)).await();
    assertEquals(3, all.total());
    assertEquals(members, all.items().stream().map(SourceRecord::id).toList(), "by id");
    for (SourceRecord r : all.items()) {
      assertEquals(g, r.goldenId());
      assertEquals(1, r.version());
      assertEquals("openmrs", r.clientId());
      assertEquals("ln-" + r.id(), r.idValue());
      assertNull(r.resourceJson(), "links come without the record's content");
      LinkFacts expected = r.id().equals(manualId) ? manual : auto(0.9);
      assertEquals(expected.method(), r.link().method());
      assertEquals(expected.score(), r.link().score());
      assertEquals(expected.grade(), r.link().grade());
      assertEquals(expected.rule(), r.link().rule());
      assertEquals(T0, r.link().at());
    }
    assertEquals(List.of(manualId), store().links(new AdminReads.LinkQuery(g, null, LinkFacts.MANUAL, 0, 10)).await()
        .items().stream().map(SourceRecord::id).toList());
    AdminReads.Page<SourceRecord> second = store().links(new AdminReads.LinkQuery(g, null, null, 1, 1)).await();
    assertEquals(3, second.total());
    assertEquals(List.of(members.get(1)), second.items().stream().map(SourceRecord::id).toList());
    AdminReads.Page<SourceRecord> one = store().links(new AdminReads.LinkQuery(null, members.get(0), null, 0, 10))
        .await();
    assertEquals(1, one.total());
    assertEquals(g, one.items().get(0).goldenId());
    assertEquals(0, store().links(new AdminReads.LinkQuery(null, g, null, 0, 10)).await().total(),
        "a golden record is not a source record");
    assertEquals(0, store().links(new AdminReads.LinkQuery(id(), null, null, 0, 10)).await().total());
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
