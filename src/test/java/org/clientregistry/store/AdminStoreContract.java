package org.clientregistry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The storage contract of administration (AdminReads, and the link events, marks, review decisions and job
 * progress a commit writes), run on every adapter through {@link PatientStoreContract}.
 */
public abstract class AdminStoreContract extends StoreContractSupport {
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
  void whatLinkingDidSinceATimeIsCountedByOutcome() throws InterruptedException {
    // From the next whole second (as the dashboard asks from midnight), after every earlier write.
    Instant since = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
    Thread.sleep(Math.max(0, since.toEpochMilli() - System.currentTimeMillis()) + 20);
    String s1 = id();
    String g1 = id();
    String s2 = id();
    String g2 = id();
    store().commit(newPersonWithEvent(s1, g1, "openmrs", now())).await(); // linked by a match (a score)
    Instant at = now();
    LinkEvent own = new LinkEvent(null, at, s2, g2, null, new LinkFacts(LinkFacts.AUTO, null, null, null, at, null),
        "dhis2", null);
    store().commit(new ChangeSet(at, List.of(new ChangeSet.SourceWrite(s2, 0, 1, g2, own.facts(),
        content("act-" + s2, "Esther", "dhis2"))), List.of(new ChangeSet.GoldenWrite(g2, 0, 1, null, List.of(s2))),
        List.of(), List.of(), List.of(own), ChangeSet.AdminChanges.NONE)).await();
    ReviewItem item = new ReviewItem(id(), s2, g1, s1, 0.7, "possible", "probabilistic", "possible match", null,
        now());
    store().commit(new ChangeSet(now(), List.of(), List.of(), List.of(item), List.of())).await();
    Instant decidedAt = now();
    LinkEvent byHand = event(decidedAt, s2, g1, g2, null, "console:ada", "same woman");
    store().commit(new ChangeSet(decidedAt, List.of(new ChangeSet.SourceWrite(s2, 1, 2, g1, byHand.facts(), null)),
        List.of(new ChangeSet.GoldenWrite(g1, 1, 2, null, List.of(s1, s2)), new ChangeSet.GoldenWrite(g2, 1, 2, g1,
            List.of())), List.of(), List.of(), List.of(byHand), resolve(item.id(), "match", "same woman"))).await();

    assertEquals(new AdminReads.Activity(1, 1, 1, 1, 1), store().activity(since).await());
    assertEquals(List.of(new AdminReads.DayCount(java.time.LocalDate.now(java.time.ZoneOffset.UTC), "match", 1)),
        store().decisionsPerDay(since).await());
    Instant later = Instant.now().plusSeconds(3600);
    assertEquals(new AdminReads.Activity(0, 0, 0, 0, 0), store().activity(later).await());
    assertEquals(List.of(), store().decisionsPerDay(later).await());
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
    int openBefore = store().openReviewItemCount().await();
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

    assertEquals(openBefore + 2, store().openReviewItemCount().await(), "the backlog: open items only");
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
}
