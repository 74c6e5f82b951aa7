package org.clientregistry.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the administration side reads: the review queue, current links, link history, the change feed, jobs. */
public interface AdminReads {

  /** Review items matching the query, oldest first, with the total count of all that match. */
  Future<Page<ReviewItem>> reviewItems(ReviewQuery query);

  Future<Optional<ReviewItem>> reviewItem(String id);

  /** Source records (without their resource) by golden or source record and link method, by id. */
  Future<Page<SourceRecord>> links(LinkQuery query);

  /** Link events of a source record, or of every record that joined or left a golden record, oldest first. */
  Future<List<LinkEvent>> linkHistory(String sourceId, String goldenId, int count);

  /** Link events after a feed position (null: from the start), in the order they were written. */
  Future<List<LinkEvent>> linkChanges(String after, int count);

  /** Where a long job (re-matching) stopped, if it is unfinished. */
  Future<Optional<String>> jobCursor(String job);

  /** What linking did from a time on, counted by the store (the dashboard's "today"). */
  Future<Activity> activity(Instant since);

  /** Review items resolved from a time on, counted per UTC day and decision by the store. */
  Future<List<DayCount>> decisionsPerDay(Instant since);

  record Page<T>(List<T> items, long total) {}

  /**
   * Link events by how the link was made: by a match ({@code auto} with a score), a record starting its own golden
   * record ({@code auto} without one), by an administrator ({@code manual}); review items raised and decided.
   */
  record Activity(long autoLinked, long newGolden, long manualLinks, long reviewsRaised, long decisions) {}

  record DayCount(java.time.LocalDate day, String decision, long count) {}

  /** Filters of the review queue; null means any. */
  record ReviewQuery(String status, String ruleSet, String clientId, Double minScore, Double maxScore,
                     Instant createdAfter, Instant createdBefore, int offset, int count) {
    public static ReviewQuery open(int offset, int count) {
      return new ReviewQuery(ReviewItem.OPEN, null, null, null, null, null, null, offset, count);
    }

    /** Whether an item passes the filters other than the client (which needs its source record). */
    public boolean accepts(ReviewItem r) {
      return (status == null || status.equals(r.status())) && (ruleSet == null || ruleSet.equals(r.rule()))
          && (minScore == null || r.score() >= minScore) && (maxScore == null || r.score() <= maxScore)
          && (createdAfter == null || !r.created().isBefore(createdAfter))
          && (createdBefore == null || r.created().isBefore(createdBefore));
    }
  }

  record LinkQuery(String goldenId, String sourceId, String method, int offset, int count) {}
}
