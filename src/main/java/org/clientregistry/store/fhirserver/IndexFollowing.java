package org.clientregistry.store.fhirserver;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.clientregistry.store.PatientStore.GoldenVersion;
import org.clientregistry.store.PatientStore.MarkChanges;
import org.clientregistry.store.PatientStore.NotSamePerson;
import org.clientregistry.store.PatientStore.UnlinkedPatient;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the FHIR-server store keeps a matching index in step with the server (docs/storage.md, "Index load and other
 * writers"): the load at start by paging {@code Patient}, then following {@code Patient/_history?_since=} and the
 * not-the-same-person marks changed since, for what other replicas and other writers put there.
 */
final class IndexFollowing {
  private static final Logger LOG = LoggerFactory.getLogger(IndexFollowing.class);
  /** Changes this long before the server's clock at the last look are read again (commits in flight). */
  static final Duration FOLLOW_MARGIN = Duration.ofSeconds(10);
  /** Index load: pages asked for before they are read (memory: this many pages' bodies at most). */
  private static final int LOAD_PAGES_AHEAD = 2;

  private final FhirServerStore store;

  IndexFollowing(FhirServerStore store) {
    this.store = store;
  }

  Future<Long> load(Consumer<SourceRecord> sources, Consumer<GoldenVersion> goldens, Consumer<NotSamePerson> marks) {
    long[] count = {0};
    long started = System.nanoTime();
    // The server prepares the next pages while this one is parsed (HAPI FHIR: on its other threads).
    PagesAhead ahead = new PagesAhead(LOAD_PAGES_AHEAD, page -> store.get("FHIR: load patients", page));
    return store.pages("FHIR: load patients", "/Patient?_count=" + store.pageSize(), r -> {
      if (!(r instanceof Patient p)) {
        return;
      }
      if (RegistryResources.isGolden(p)) {
        if (!RegistryResources.replaced(p)) {
          goldens.accept(new GoldenVersion(p.getIdElement().getIdPart(), RegistryResources.version(p)));
        }
      } else if (!RegistryResources.isLinkedSource(p)) {
        // Written into the server while no registry ran: handed to the first look for other writers.
        store.unlinkedAtLoad().add(p.getIdElement().getIdPart());
      } else {
        sources.accept(store.resources().source(p));
        if (++count[0] % 100_000 == 0) {
          LOG.info("Loading the index from the FHIR server: {} source records so far", count[0]);
        }
      }
    }, reply -> {}, () -> false, ahead).compose(n -> marks(marks))
        .map(n -> {
          LOG.info("Read {} source records from the FHIR server in {} ms", count[0],
              (System.nanoTime() - started) / 1_000_000);
          return count[0];
        });
  }

  Future<Long> loadChangedSince(Instant since, Consumer<SourceRecord> sources, Consumer<GoldenVersion> goldens) {
    long[] count = {0};
    return history(since, sources.andThen(s -> count[0]++), goldens, u -> {}).map(next -> count[0]);
  }

  Future<Instant> otherWrites(Instant since, Consumer<SourceRecord> sources, Consumer<GoldenVersion> goldens,
                              Consumer<UnlinkedPatient> unlinked) {
    List<String> found = new ArrayList<>();
    for (String id; found.size() < store.pageSize() && (id = store.unlinkedAtLoad().poll()) != null; ) {
      found.add(id);
    }
    Future<Void> atLoad = found.isEmpty() ? Future.succeededFuture()
        : store.byIds("FHIR: read patients found unlinked at load", found).map(patients -> {
          patients.values().stream().filter(p -> !RegistryResources.isLinkedSource(p) && !RegistryResources.isGolden(p))
              .map(store.resources()::unlinked).forEach(unlinked);
          return null;
        });
    return atLoad.compose(v -> history(since, sources, goldens, unlinked));
  }

  Future<MarkChanges> marksSince(Instant since) {
    MarkChanges marks = new MarkChanges(new ArrayList<>(), new ArrayList<>());
    String codes = RegistryResources.KIND + "|" + RegistryResources.NOT_SAME_PERSON + "," + RegistryResources.KIND
        + "|" + RegistryResources.NOT_SAME_PERSON_REMOVED;
    return store.pages("FHIR: follow not-the-same-person marks", "/Basic?code=" + FhirServerStore.enc(codes)
        + "&_lastUpdated=ge" + FhirServerStore.enc(since.toString()) + "&_count=" + store.pageSize(), r -> {
          if (r instanceof Basic b) {
            (AdminResources.removedMark(b) ? marks.removed() : marks.made()).add(AdminResources.notSamePerson(b));
          }
        }).map(n -> marks);
  }

  /** Every not-the-same-person mark in force (removed ones have another code). */
  private Future<Long> marks(Consumer<NotSamePerson> each) {
    return store.pages("FHIR: load not-the-same-person marks", "/Basic?code="
        + FhirServerStore.enc(RegistryResources.KIND + "|" + RegistryResources.NOT_SAME_PERSON) + "&_count="
        + store.pageSize(), r -> {
          if (r instanceof Basic b) {
            each.accept(AdminResources.notSamePerson(b));
          }
        });
  }

  /**
   * Follows {@code Patient/_history?_since=}: the newest version of each patient changed since a time (the history
   * lists newest first). Completes with the server's clock at the first answer, less a margin.
   */
  private Future<Instant> history(Instant since, Consumer<SourceRecord> sources, Consumer<GoldenVersion> goldens,
                                  Consumer<UnlinkedPatient> unlinked) {
    Set<String> seen = new java.util.HashSet<>();
    Instant[] serverTime = {null};
    String first = "/Patient/_history?_since=" + FhirServerStore.enc(since.toString()) + "&_count=" + store.pageSize();
    return store.pages("FHIR: follow patient history", first, r -> {
      if (!(r instanceof Patient p) || !seen.add(p.getIdElement().getIdPart())) {
        return;
      }
      if (RegistryResources.isGolden(p)) {
        goldens.accept(new GoldenVersion(p.getIdElement().getIdPart(), RegistryResources.version(p)));
      } else if (RegistryResources.isLinkedSource(p)) {
        sources.accept(store.resources().source(p));
      } else {
        unlinked.accept(store.resources().unlinked(p));
      }
    }, reply -> {
      if (serverTime[0] == null) {
        serverTime[0] = serverDate(reply);
      }
    }, () -> false).map(n -> serverTime[0] == null ? since : serverTime[0].minus(FOLLOW_MARGIN));
  }

  static Instant serverDate(FhirHttp.Reply reply) {
    String date = reply.headers().get("Date");
    try {
      return date == null ? Instant.now() : ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME)
          .toInstant();
    } catch (RuntimeException e) {
      return Instant.now();
    }
  }
}
