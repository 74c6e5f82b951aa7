package org.clientregistry.linking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * A replica's own new records are kept for late joins until following has read the server from after them, however
 * long that takes: a replica that could not follow for a while must still place them again when it catches up.
 */
class RecentCreationsTest {
  private static final long T0 = Instant.parse("2026-12-04T08:00:00Z").toEpochMilli();

  private static SubmissionResult created(String id) {
    LinkFacts facts = new LinkFacts(LinkFacts.AUTO, null, null, null, Instant.ofEpochMilli(T0), null);
    return new SubmissionResult(true, new SourceRecord(id, 1, "openmrs", "http://example.org/openmrs", id,
        "golden-" + id, facts, "{}", "{}", Instant.ofEpochMilli(T0)), "created");
  }

  private static List<String> ids(List<RecentCreations.Created> created) {
    return created.stream().map(RecentCreations.Created::sourceId).toList();
  }

  @Test
  void recordsStayUntilFollowingHasReadFromAfterThemHoweverLongThatTakes() {
    RecentCreations recent = new RecentCreations();
    recent.add(List.of(created("a"), created("b")), T0);
    recent.add(List.of(created("c")), T0 + Duration.ofMinutes(30).toMillis());
    // Following stuck reading from before the first records (the server unreachable for half an hour): all kept.
    assertEquals(List.of("a", "b", "c"), ids(recent.since(T0 - 5_000)));
    // Following caught up to just after a and b: within the margin, still kept.
    assertEquals(List.of("a", "b", "c"), ids(recent.since(T0 + RecentCreations.MARGIN_MILLIS - 1)));
    // Following read from well after a and b: forgotten, c kept.
    assertEquals(List.of("c"), ids(recent.since(T0 + RecentCreations.MARGIN_MILLIS + 1)));
  }

  @Test
  void onlyRecordsCreatedWithAGoldenRecordAreKept() {
    RecentCreations recent = new RecentCreations();
    SubmissionResult updated = new SubmissionResult(false, created("u").record(), "updated");
    recent.add(List.of(updated, created("n")), T0);
    assertEquals(List.of("n"), ids(recent.since(T0)));
  }
}
