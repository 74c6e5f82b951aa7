package org.clientregistry.pdq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.identity.IdentityDomains;
import org.clientregistry.linking.MatchingState;
import org.clientregistry.store.DemographicSearch;
import org.clientregistry.store.GoldenRecord;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * PDQm (ITI-78): Patient search answered with one entry per person ({@link PersonView}), never one per source
 * record, so consumers get no duplicates. Source records matching the criteria are found by the store; their
 * golden records are the results, in CRUID order, paged with {@code _count} and {@code _offset}.
 */
public final class PdqService {
  /** Most source records one search considers; past it the answer says so and asks for narrower criteria. */
  static final int MAX_SOURCES = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PatientStore store;
  private final DemographicSearch search;
  private final Supplier<MatchingState> matching;
  private final Supplier<IdentityDomains> domains;
  private final String cruidSystem;
  private final Supplier<Survivorship> survivorship;

  public PdqService(PatientStore store, Supplier<MatchingState> matching, Supplier<IdentityDomains> domains,
                    String cruidSystem, Supplier<Survivorship> survivorship) {
    this.survivorship = survivorship;
    this.store = store;
    this.search = store instanceof DemographicSearch s ? s : null;
    this.matching = matching;
    this.domains = domains;
    this.cruidSystem = cruidSystem;
  }

  /** What a page of results needs to link onward: the URL of this search without paging, or null (POST). */
  public record Page(String selfUrl) {}

  /** The searchset Bundle as JSON. */
  public Future<String> search(MultiMap params, Page page) {
    IdentityDomains identity = domains.get();
    PdqQuery q = PdqQuery.parse(params, identity, cruidSystem,
        search == null ? DemographicSearch.PARAMETERS : search.parameters());
    if (search == null && !q.clauses().isEmpty()) {
      throw new FhirException(501, IssueType.NOTSUPPORTED, "This store does not support demographic search");
    }
    Future<Optional<Set<String>>> byId = q.ids().isEmpty() ? Future.succeededFuture(Optional.empty())
        : sourcesOfIds(q.ids()).map(Optional::of);
    Future<Optional<List<String>>> byClauses = q.clauses().isEmpty() ? Future.succeededFuture(Optional.empty())
        : search.searchSources(q.clauses(), MAX_SOURCES + 1).map(Optional::of);
    return Future.all(byId, byClauses).compose(found -> {
      List<String> sources = new ArrayList<>();
      if (byClauses.result().isPresent()) {
        byClauses.result().get().stream()
            .filter(id -> byId.result().map(ids -> ids.contains(id)).orElse(true)).forEach(sources::add);
      } else {
        sources.addAll(byId.result().orElseThrow());
      }
      boolean capped = sources.size() > MAX_SOURCES;
      List<String> considered = capped ? sources.subList(0, MAX_SOURCES) : sources;
      return goldenIds(considered).compose(goldens -> {
        List<String> all = new ArrayList<>(goldens);
        List<String> pageIds = all.subList(Math.min(q.offset(), all.size()),
            Math.min(q.offset() + q.count(), all.size()));
        return persons(pageIds, identity, q.domains()).map(persons ->
            bundle(persons, capped || !q.domains().isEmpty() ? null : all.size(), capped, q, page,
                q.offset() + q.count() < all.size()));
      });
    });
  }

  /** Source records of each id: a golden record's members, or the source record itself. */
  private Future<Set<String>> sourcesOfIds(Set<String> ids) {
    List<Future<List<String>>> each = ids.stream().map(id -> store.golden(id).compose(g -> g.isPresent()
        ? Future.succeededFuture(g.get().memberIds())
        : store.source(id).map(s -> s.map(r -> List.of(r.id())).orElse(List.of())))).toList();
    return Future.all(each).map(all -> {
      Set<String> out = new LinkedHashSet<>();
      each.forEach(f -> out.addAll(f.result()));
      return out;
    });
  }

  /** The golden record of each source record (the matching index knows most; the store the rest). */
  private Future<TreeSet<String>> goldenIds(List<String> sourceIds) {
    TreeSet<String> goldens = new TreeSet<>();
    List<Future<Optional<SourceRecord>>> reads = new ArrayList<>();
    var index = matching.get().index();
    for (String id : sourceIds) {
      index.record(id).ifPresentOrElse(r -> goldens.add(r.goldenId()), () -> reads.add(store.source(id)));
    }
    return Future.all(reads).map(all -> {
      reads.forEach(f -> f.result().ifPresent(r -> goldens.add(r.goldenId())));
      return goldens;
    });
  }

  private Future<List<ObjectNode>> persons(List<String> goldenIds, IdentityDomains identity, Set<String> wanted) {
    Survivorship rule = survivorship.get(); // one rule for the whole answer, even when the console changes it
    List<Future<ObjectNode>> each = goldenIds.stream().map(id -> store.golden(id).compose(g -> members(g)
        .map(members -> PersonView.of(id, members, identity, cruidSystem, wanted, rule)))).toList();
    return Future.all(each).map(all -> each.stream().map(Future::result).filter(p -> p != null).toList());
  }

  private Future<List<SourceRecord>> members(Optional<GoldenRecord> golden) {
    if (golden.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Future<Optional<SourceRecord>>> reads = golden.get().memberIds().stream().map(store::source).toList();
    return Future.all(reads).map(all -> reads.stream().map(Future::result).flatMap(Optional::stream).toList());
  }

  private static String bundle(List<ObjectNode> persons, Integer total, boolean capped, PdqQuery q, Page page,
                               boolean more) {
    ObjectNode b = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "searchset");
    if (total != null) {
      b.put("total", total);
    }
    if (page.selfUrl() != null) {
      ArrayNode links = b.putArray("link");
      links.addObject().put("relation", "self").put("url", withPaging(page.selfUrl(), q.count(), q.offset()));
      if (more) {
        links.addObject().put("relation", "next").put("url", withPaging(page.selfUrl(), q.count(),
            q.offset() + q.count()));
      }
    }
    ArrayNode entries = b.putArray("entry");
    String base = page.selfUrl() == null ? null : page.selfUrl().substring(0, page.selfUrl().indexOf("/Patient"));
    for (ObjectNode p : persons) {
      ObjectNode e = entries.addObject();
      if (base != null) {
        e.put("fullUrl", base + "/Patient/" + p.get("id").asText());
      }
      e.set("resource", p);
      e.putObject("search").put("mode", "match");
    }
    if (capped) {
      ObjectNode outcome = entries.addObject();
      outcome.putObject("resource").put("resourceType", "OperationOutcome").putArray("issue").addObject()
          .put("severity", "warning").put("code", "too-costly").put("diagnostics", "More than " + MAX_SOURCES
              + " records match; only the persons of the first " + MAX_SOURCES + " are paged. Narrow the search.");
      outcome.putObject("search").put("mode", "outcome");
    }
    return b.toString();
  }

  private static String withPaging(String url, int count, int offset) {
    return url + (url.contains("?") ? "&" : "?") + "_count=" + count + "&_offset=" + offset;
  }
}
