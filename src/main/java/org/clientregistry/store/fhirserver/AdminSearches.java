package org.clientregistry.store.fhirserver;

import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.clientregistry.store.AdminReads;
import org.clientregistry.store.LinkEvent;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.ReviewItem;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Patient;

/**
 * The FHIR-server store's administration reads (AdminReads) as searches (docs/storage.md). The review queue and
 * links are filtered and paged in memory after reading every match; link events are read in the server's
 * {@code _lastUpdated} order and stop as soon as enough are read.
 */
final class AdminSearches {
  private static final String CODE = "/Basic?code=";
  /** Only open items carry a review-pair identifier (a decision takes it away): any value of that system. */
  private static final String OPEN = "&identifier=" + FhirServerStore.token(RegistryResources.REVIEW_PAIR, "");
  private static final int IDS_PER_SEARCH = 100;
  /** Millisecond precision always, so that a position's time is searched exactly. */
  private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
      .withZone(ZoneOffset.UTC);

  private final FhirServerStore store;

  AdminSearches(FhirServerStore store) {
    this.store = store;
  }

  Future<AdminReads.Page<ReviewItem>> reviewItems(AdminReads.ReviewQuery query) {
    return reviewItems(query, "");
  }

  /** {@code narrower}: more search parameters for the server, that never leave out an item the query wants. */
  private Future<AdminReads.Page<ReviewItem>> reviewItems(AdminReads.ReviewQuery query, String narrower) {
    // The client is the source record's tag: its Patient comes along only when asked for.
    boolean byClient = query.clientId() != null;
    List<ReviewItem> items = new ArrayList<>();
    Map<String, String> clients = new HashMap<>();
    // Open items only, when only they are asked for: decided items (which pile up) are not read.
    String search = CODE + kind(RegistryResources.REVIEW_ITEM) + (ReviewItem.OPEN.equals(query.status()) ? OPEN : "")
        + narrower + (byClient ? "&_include=Basic:subject" : "") + "&_count=" + store.pageSize();
    return store.pages("FHIR: list review items", search, r -> {
      if (r instanceof Basic b && b.getCode().hasCoding(RegistryResources.KIND, RegistryResources.REVIEW_ITEM)) {
        ReviewItem item = store.resources().review(b);
        if (query.accepts(item)) {
          items.add(item);
        }
      } else if (r instanceof Patient p) {
        clients.put(p.getIdElement().getIdPart(), RegistryResources.clientOf(p));
      }
    }, () -> false).map(n -> {
      if (byClient) {
        items.removeIf(i -> !query.clientId().equals(clients.get(i.sourceId())));
      }
      items.sort(Comparator.comparing(ReviewItem::created).thenComparing(ReviewItem::id));
      return page(items, query.offset(), query.count());
    });
  }

  /** How many review items are open, counted by the server. */
  Future<Integer> openReviewItemCount() {
    return store.searchBundle("FHIR: count open review items", CODE + kind(RegistryResources.REVIEW_ITEM) + OPEN
        + "&_summary=count").map(bundle -> bundle.getTotal());
  }

  Future<Optional<ReviewItem>> reviewItem(String id) {
    return reviewBasics(List.of(id)).map(found -> Optional.ofNullable(found.get(id)).map(store.resources()::review));
  }

  /** Stored review items by the registry's item id (not the server's resource id). */
  Future<Map<String, Basic>> reviewBasics(List<String> ids) {
    Map<String, Basic> out = new ConcurrentHashMap<>();
    return reviewsByIdentifier("FHIR: read review items", RegistryResources.REVIEW_ID, ids, b -> {
      if (b.getCode().hasCoding(RegistryResources.KIND, RegistryResources.REVIEW_ITEM)) {
        out.put(store.resources().review(b).id(), b);
      }
    }).map(out);
  }

  /** Which (source/golden) pairs have an open review item: searched by the pair identifier only open items carry. */
  Future<Set<String>> openReviewPairs(Collection<String> pairs) {
    Set<String> out = ConcurrentHashMap.newKeySet();
    return reviewsByIdentifier("FHIR: read review pairs", RegistryResources.REVIEW_PAIR, new ArrayList<>(pairs), b -> {
      if (RegistryResources.open(b)) {
        out.add(store.resources().review(b).pair());
      }
    }).map(out);
  }

  /** The Basics carrying any of these identifier values of one system, {@value #IDS_PER_SEARCH} per search. */
  private Future<Long> reviewsByIdentifier(String name, String system, List<String> values,
                                           java.util.function.Consumer<Basic> each) {
    Future<Long> chain = Future.succeededFuture(0L);
    for (int from = 0; from < values.size(); from += IDS_PER_SEARCH) {
      String tokens = values.subList(from, Math.min(values.size(), from + IDS_PER_SEARCH)).stream()
          .map(v -> FhirServerStore.token(system, v)).collect(Collectors.joining(","));
      chain = chain.compose(n -> store.pages(name, "/Basic?identifier=" + tokens + "&_count=" + IDS_PER_SEARCH,
          r -> {
            if (r instanceof Basic b) {
              each.accept(b);
            }
          }, () -> false));
    }
    return chain;
  }

  Future<AdminReads.Page<SourceRecord>> links(AdminReads.LinkQuery query) {
    List<SourceRecord> found = new ArrayList<>();
    Future<?> read;
    if (query.sourceId() != null) {
      read = store.readPatient("FHIR: read source record", query.sourceId()).map(p -> {
        p.filter(RegistryResources::isLinkedSource).map(store.resources()::source).ifPresent(found::add);
        return null;
      });
    } else {
      // A golden record's members are the sources whose refer link points at it (Patient.link.other); golden records
      // merged into it link to it too, and are left out here rather than by _tag:not (a NOT IN over every golden
      // record on the server). Listing all links needs it: half the records read would be golden.
      String search = "/Patient?_elements=identifier,link,extension&_count=" + store.pageSize()
          + (query.goldenId() == null ? FhirServerStore.NOT_GOLDEN : "&link=" + enc("Patient/" + query.goldenId()));
      read = store.pages("FHIR: list links", search, r -> {
        if (r instanceof Patient p && RegistryResources.isLinkedSource(p)) {
          found.add(store.resources().source(p));
        }
      }, () -> false);
    }
    return read.map(v -> {
      List<SourceRecord> links = found.stream()
          .filter(s -> query.goldenId() == null || query.goldenId().equals(s.goldenId()))
          .filter(s -> query.method() == null || query.method().equals(s.link().method()))
          .sorted(Comparator.comparing(SourceRecord::id)).map(AdminSearches::withoutContent)
          .collect(Collectors.toCollection(ArrayList::new));
      return page(links, query.offset(), query.count());
    });
  }

  /** As the embedded store lists links: the link facts without explanation, no resource. */
  private static SourceRecord withoutContent(SourceRecord s) {
    LinkFacts l = s.link();
    return new SourceRecord(s.id(), s.version(), s.clientId(), s.idSystem(), s.idValue(), s.goldenId(),
        new LinkFacts(l.method(), l.score(), l.grade(), l.rule(), l.at(), null), null, null, s.lastUpdated());
  }

  Future<List<LinkEvent>> linkHistory(String sourceId, String goldenId, int count) {
    String filter = sourceId != null ? "&subject=" + enc("Patient/" + sourceId)
        : "&identifier=" + FhirServerStore.token(AdminResources.EVENT_GOLDEN, goldenId) + ","
          + FhirServerStore.token(AdminResources.EVENT_PREVIOUS, goldenId);
    return events("FHIR: read link history", filter, null, count);
  }

  Future<List<LinkEvent>> linkChanges(String after, int count) {
    AdminResources.Position from;
    try {
      from = after == null || after.isBlank() ? null : AdminResources.Position.parse(after);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String filter = from == null ? ""
        : "&_lastUpdated=" + enc("ge" + MILLIS.format(Instant.ofEpochMilli(from.millis())));
    return events("FHIR: read link changes", filter, from, count);
  }

  /**
   * The first {@code count} link events after a position, in position order. Pages come in {@code _lastUpdated}
   * order; reading stops once enough are held and a later time has been seen, so that events of the same
   * millisecond (one transaction) are all weighed before the cut.
   */
  private Future<List<LinkEvent>> events(String name, String filter, AdminResources.Position after, int count) {
    if (count <= 0) {
      return Future.succeededFuture(List.of());
    }
    TreeMap<AdminResources.Position, LinkEvent> kept = new TreeMap<>();
    long[] latest = {Long.MIN_VALUE};
    String search = CODE + kind(AdminResources.LINK_EVENT) + filter + "&_sort=_lastUpdated&_count="
        + Math.min(store.pageSize(), Math.max(50, count + 1));
    return store.pages(name, search, r -> {
      if (r instanceof Basic b && AdminResources.isLinkEvent(b)) {
        AdminResources.Position p = AdminResources.position(b);
        latest[0] = Math.max(latest[0], p.millis());
        if (after == null || p.compareTo(after) > 0) {
          kept.put(p, AdminResources.linkEvent(b));
          if (kept.size() > count) {
            kept.pollLastEntry();
          }
        }
      }
    }, () -> kept.size() >= count && latest[0] > kept.lastKey().millis()).map(n -> new ArrayList<>(kept.values()));
  }

  /**
   * Link events stored from the time on (by {@code _lastUpdated}, the transaction's time) counted as they are read,
   * and the review items written since (less a margin) counted as they are read (a FHIR server cannot count by
   * extension values).
   */
  Future<AdminReads.Activity> activity(Instant since) {
    long[] links = new long[3];
    Future<Long> events = store.pages("FHIR: count link events", CODE + kind(AdminResources.LINK_EVENT)
        + "&_lastUpdated=" + enc("ge" + MILLIS.format(since)) + "&_count=" + store.pageSize(), r -> {
          if (r instanceof Basic b && AdminResources.isLinkEvent(b)) {
            LinkFacts f = AdminResources.linkEvent(b).facts();
            links[f.manual() ? 2 : f.score() != null ? 0 : 1]++;
          }
        }, () -> false);
    Future<List<ReviewItem>> items = reviewItems(new AdminReads.ReviewQuery(null, null, null, null, null, null,
        null, 0, Integer.MAX_VALUE), touchedSince(since)).map(AdminReads.Page::items);
    return Future.all(events, items).map(all -> new AdminReads.Activity(links[0], links[1], links[2],
        items.result().stream().filter(i -> !i.created().isBefore(since)).count(),
        items.result().stream().filter(i -> i.resolvedAt() != null && !i.resolvedAt().isBefore(since)).count()));
  }

  /**
   * Items raised or decided from a time on were last written then or later (by the server's clock, which may differ
   * from the registry's that stamps them: an hour of margin); older items are not read.
   */
  private static String touchedSince(Instant since) {
    return "&_lastUpdated=" + enc("ge" + MILLIS.format(since.minus(java.time.Duration.ofHours(1))));
  }

  Future<List<AdminReads.DayCount>> decisionsPerDay(Instant since) {
    return reviewItems(new AdminReads.ReviewQuery(ReviewItem.RESOLVED, null, null, null, null, null, null, 0,
        Integer.MAX_VALUE), touchedSince(since)).map(page -> page.items().stream()
            .filter(i -> i.resolvedAt() != null && !i.resolvedAt().isBefore(since))
            .collect(Collectors.groupingBy(i -> new AdminReads.DayCount(
                java.time.LocalDate.ofInstant(i.resolvedAt(), ZoneOffset.UTC), i.decision(), 0),
                Collectors.counting()))
            .entrySet().stream().map(e -> new AdminReads.DayCount(e.getKey().day(), e.getKey().decision(),
                e.getValue())).sorted(Comparator.comparing(AdminReads.DayCount::day)
                .thenComparing(d -> String.valueOf(d.decision()))).toList());
  }

  Future<Optional<String>> jobCursor(String job) {
    AtomicReference<Optional<String>> cursor = new AtomicReference<>(Optional.empty());
    return store.pages("FHIR: read job progress", "/Basic?identifier=" + FhirServerStore.token(AdminResources.JOB, job),
        r -> {
          if (r instanceof Basic b && b.getCode().hasCoding(RegistryResources.KIND, AdminResources.JOB_PROGRESS)) {
            cursor.set(AdminResources.cursor(b));
          }
        }, () -> false).map(n -> cursor.get());
  }

  private static <T> AdminReads.Page<T> page(List<T> all, int offset, int count) {
    int from = Math.min(Math.max(0, offset), all.size());
    return new AdminReads.Page<>(new ArrayList<>(all.subList(from, Math.min(all.size(), from + Math.max(0, count)))),
        all.size());
  }

  private static String kind(String code) {
    return enc(RegistryResources.KIND + "|" + code);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
