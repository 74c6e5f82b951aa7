package org.clientregistry.linking;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.clientregistry.matching.Comparison;
import org.clientregistry.matching.FieldResult;
import org.clientregistry.matching.FieldRule;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.matching.RuleSet;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.ReviewItem;
import org.clientregistry.store.SourceRecord;

/**
 * A review item as an administrator sees it: the record and the golden record's best-scoring member side by side,
 * compared again under the rules in force (records change after an item is raised, rules too), field by field with
 * the values compared, the algorithm, the similarity, agreement and the weight each field contributed.
 */
public final class ReviewView {
  private final WorkerExecutor worker;
  private final PatientStore store;
  private final Supplier<MatchingState> matching;

  public ReviewView(WorkerExecutor worker, PatientStore store, Supplier<MatchingState> matching) {
    this.worker = worker;
    this.store = store;
    this.matching = matching;
  }

  public record Detail(ReviewItem item, Side source, Side candidate, double score, String grade, String ruleSet,
                       boolean rescored, List<FieldRow> fields) {}

  /** One record of the pair: stored record (resource, client) and every identifier it carries. */
  public record Side(SourceRecord record, List<PatientStore.SourceIdentifier> identifiers) {}

  public record FieldRow(String field, String valueA, String valueB, String algorithm, Double similarity,
                         String agreement, double weight) {}

  private record Rescored(String candidateId, Comparison comparison, String grade, List<FieldRow> rows) {}

  public Future<Detail> detail(ReviewItem item) {
    MatchingState state = matching.get();
    return worker.executeBlocking(() -> rescore(state, item), false).compose(r -> Future.all(
            side(item.sourceId()), r.candidateId() == null ? Future.succeededFuture(Optional.<Side>empty())
                : side(r.candidateId()))
        .map(all -> {
          Optional<Side> source = all.resultAt(0);
          Optional<Side> candidate = all.resultAt(1);
          double score = r.comparison().normalisedScore();
          boolean rescored = Math.abs(score - item.score()) > 1e-9 || r.candidateId() == null
              || !r.candidateId().equals(item.candidateId());
          return new Detail(item, source.orElse(null), candidate.orElse(null), score, r.grade(),
              r.comparison().ruleSet(), rescored, r.rows());
        }));
  }

  private Future<Optional<Side>> side(String sourceId) {
    return store.source(sourceId).compose(found -> found.isEmpty() ? Future.succeededFuture(Optional.<Side>empty())
        : store.identifiersOf(List.of(sourceId)).map(ids -> Optional.of(new Side(found.get(), ids))));
  }

  /** The golden record's member that the record now compares best with, and that comparison. */
  private static Rescored rescore(MatchingState state, ReviewItem item) {
    Optional<MatchRecord> record = state.index().record(item.sourceId());
    if (record.isEmpty()) {
      return new Rescored(null, Comparison.NONE, Comparison.NONE.outcome().grade(), List.of());
    }
    MatchRecord best = null;
    Comparison bestComparison = Comparison.NONE;
    for (MatchRecord m : state.index().members(item.goldenId())) {
      if (m.sourceId().equals(item.sourceId())) {
        continue;
      }
      Comparison c = state.matcher().compare(record.get(), m);
      if (best == null || c.betterThan(bestComparison)) {
        best = m;
        bestComparison = c;
      }
    }
    if (best == null) {
      return new Rescored(null, Comparison.NONE, Comparison.NONE.outcome().grade(), List.of());
    }
    return new Rescored(best.sourceId(), bestComparison, Grades.of(state.rules(), bestComparison),
        rows(state, bestComparison, record.get(), best));
  }

  private static List<FieldRow> rows(MatchingState state, Comparison c, MatchRecord a, MatchRecord b) {
    RuleSet set = state.rules().ruleSets().stream().filter(s -> s.name().equals(c.ruleSet())).findFirst()
        .orElse(null);
    List<FieldRow> rows = new ArrayList<>();
    for (FieldResult f : c.explanation()) {
      FieldRule rule = set == null ? null : set.fields().stream().filter(r -> r.name().equals(f.field()))
          .findFirst().orElse(null);
      rows.add(new FieldRow(f.field(), rule == null ? null : value(a, rule.slot()),
          rule == null ? null : value(b, rule.slot()), f.algorithm(), f.rawScore(),
          f.result().name().toLowerCase(), f.weight()));
    }
    return rows;
  }

  private static String value(MatchRecord r, int slot) {
    String[] v = slot < r.values().length ? r.values()[slot] : null;
    return v == null || v.length == 0 ? null : String.join(" | ", v);
  }
}
