package org.clientregistry.linking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clientregistry.identity.IdentityDomain;
import org.clientregistry.identity.IdentityDomains;
import org.clientregistry.matching.Comparison;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.ReviewItem;
import org.clientregistry.store.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a write: a value of a unique identity domain (a national id) that another person's record is also
 * assigned is a question for an administrator (a review item per other golden record), not something to guess.
 */
final class UniqueIdentifierReview {
  private static final Logger LOG = LoggerFactory.getLogger(UniqueIdentifierReview.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String REASON = "the same identifier of a unique identity domain is assigned to another person: ";

  private final PatientStore store;
  private final IdentityDomains domains;

  UniqueIdentifierReview(PatientStore store, IdentityDomains domains) {
    this.store = store;
    this.domains = domains;
  }

  /** Raises the items the written records call for. Never fails the submission, which is already written. */
  Future<Void> after(List<SubmissionResult> results) {
    List<Future<List<ReviewItem>>> checks = results.stream().map(r -> check(r.record())).toList();
    return Future.all(checks).compose(all -> {
      List<ReviewItem> items = new ArrayList<>();
      checks.forEach(c -> items.addAll(c.result()));
      return items.isEmpty() ? Future.<Void>succeededFuture()
          : store.commit(new ChangeSet(Instant.now(), List.of(), List.of(), items, List.of()));
    }).recover(e -> {
      // The class only: messages may quote identifiers.
      LOG.warn("Unique identifier check after a write failed ({})", e.getClass().getSimpleName());
      return Future.succeededFuture();
    });
  }

  private Future<List<ReviewItem>> check(SourceRecord record) {
    List<Future<List<ReviewItem>>> each = new ArrayList<>();
    for (String[] id : uniqueIdentifiers(record)) {
      each.add(store.sourceIdsByIdentifier(id[0], id[1]).compose(ids -> others(record, id[0], ids))
          .map(others -> items(record, id[0], others)));
    }
    return Future.all(each).map(all -> each.stream().flatMap(f -> f.result().stream()).toList());
  }

  /** Other persons' records that are assigned the identifier: one per golden record. */
  private Future<Map<String, String>> others(SourceRecord record, String system, List<String> ids) {
    List<Future<Optional<SourceRecord>>> reads = ids.stream().filter(id -> !id.equals(record.id()))
        .map(store::source).toList();
    return Future.all(reads).map(all -> {
      Map<String, String> byGolden = new LinkedHashMap<>();
      reads.stream().map(Future::result).flatMap(Optional::stream)
          .filter(o -> !o.goldenId().equals(record.goldenId()))
          .filter(o -> domains.authoritative(o.clientId(), system))
          .forEach(o -> byGolden.putIfAbsent(o.goldenId(), o.id()));
      return byGolden;
    });
  }

  private static List<ReviewItem> items(SourceRecord record, String system, Map<String, String> others) {
    List<ReviewItem> items = new ArrayList<>();
    others.forEach((golden, candidate) -> items.add(new ReviewItem(TimeOrderedIds.next(), record.id(), golden,
        candidate, Comparison.NONE.normalisedScore(), Comparison.NONE.outcome().grade(), Comparison.NONE.ruleSet(),
        REASON + system, null, Instant.now())));
    return items;
  }

  /** The record's identifiers in unique domains its client assigns, as {system, value}. */
  private List<String[]> uniqueIdentifiers(SourceRecord record) {
    List<String[]> out = new ArrayList<>();
    try {
      for (JsonNode id : JSON.readTree(record.resourceJson()).path("identifier")) {
        String system = id.path("system").asText("");
        String value = id.path("value").asText("");
        if (!value.isEmpty() && domains.domain(system).map(IdentityDomain::unique).orElse(false)
            && domains.authoritative(record.clientId(), system)) {
          out.add(new String[] {system, value});
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored record " + record.id() + " is not JSON", e);
    }
    return out;
  }
}
