package org.clientregistry.linking;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the matching index from the store at start. Rule values extracted when a record was written are reused;
 * only records written under rules with other expressions are evaluated again (FHIRPath on the stored resource).
 */
public final class IndexLoader {
  private static final Logger LOG = LoggerFactory.getLogger(IndexLoader.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int READS_IN_FLIGHT = 64;
  /** Made once: a reader bound to its type skips the per-call set-up {@code readValue} does. */
  private static final com.fasterxml.jackson.databind.ObjectReader FIELDS =
      JSON.readerFor(new TypeReference<Map<String, List<String>>>() {});

  private final PatientStore store;
  private final DecisionRules rules;
  private final FieldExtractor extractor;

  public IndexLoader(PatientStore store, DecisionRules rules, FieldExtractor extractor) {
    this.store = store;
    this.rules = rules;
    this.extractor = extractor;
  }

  public Future<Long> load(MatchIndex index) {
    long started = System.nanoTime();
    Map<String, Integer> goldenVersions = new HashMap<>();
    Batches batches = new Batches(index);
    index.beginBulkLoad();
    return store.load(batches::add, golden -> goldenVersions.put(golden.id(), golden.version()),
            mark -> index.markNotSame(mark.sourceA(), mark.sourceB()))
        .compose(count -> batches.finish().compose(v -> reExtract(index, batches.withoutValues)).map(count))
        .eventually(() -> {
          batches.stop(); // also when the load failed
          return Future.succeededFuture();
        })
        .map(count -> {
          index.apply(List.of(), goldenVersions);
          LOG.info("Matching index loaded: {} source records, {} golden records in {} ms ({} re-extracted)",
              count, goldenVersions.size(), (System.nanoTime() - started) / 1_000_000,
              batches.withoutValues.size());
          return count;
        });
  }

  /**
   * Records come in batches: their values are prepared (stored values parsed, normalised, blocking keys made) on
   * every core at once, then the batch enters the index on a thread of its own while the next batch is prepared.
   * Start-up time is mostly this work.
   */
  private final class Batches {
    private static final int SIZE = 200;
    /**
     * Batches prepared but not yet in the index: enough that the cores preparing rarely wait for the index thread
     * (or it for them), few enough that their keys stay in the blocking keys' cache (1,024 records).
     */
    private static final int IN_FLIGHT = 3;
    private final MatchIndex index;
    private final java.util.concurrent.ExecutorService indexer = java.util.concurrent.Executors
        .newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "cr-index-load");
          t.setDaemon(true); // never what keeps a failed start-up alive
          return t;
        });
    private final java.util.ArrayDeque<java.util.concurrent.Future<?>> applying = new java.util.ArrayDeque<>();
    private List<SourceRecord> pending = new ArrayList<>(SIZE);
    /** Records written under rules with other expressions and loaded without their resource: read after. */
    final List<String> withoutValues = new ArrayList<>();

    Batches(MatchIndex index) {
      this.index = index;
    }

    void add(SourceRecord source) {
      pending.add(source);
      if (pending.size() == SIZE) {
        flush();
      }
    }

    private void flush() {
      List<SourceRecord> batch = pending;
      pending = new ArrayList<>(SIZE);
      MatchRecord[] prepared = new MatchRecord[batch.size()];
      IntStream.range(0, prepared.length).parallel().forEach(i -> {
        SourceRecord s = batch.get(i);
        String[][] values = valuesOf(s, rules, extractor);
        if (values != null) {
          index.keysOf(values); // made here on every core; the index finds them in its keys' cache
          prepared[i] = record(s, values);
        }
      });
      List<MatchRecord> ready = new ArrayList<>(prepared.length);
      for (int i = 0; i < prepared.length; i++) {
        if (prepared[i] != null) {
          ready.add(prepared[i]);
        } else {
          withoutValues.add(batch.get(i).id());
        }
      }
      while (applying.size() >= IN_FLIGHT) {
        await(applying.poll());
      }
      applying.add(indexer.submit(() -> index.apply(ready, Map.of())));
    }

    /**
     * The last batch in, then the index's end of bulk load (its common keys), on the index thread: a few seconds
     * at a million records, which must not hold the caller's thread.
     */
    Future<Void> finish() {
      flush();
      java.util.concurrent.CompletableFuture<Void> done = java.util.concurrent.CompletableFuture.runAsync(() -> {
        applying.forEach(this::await);
        index.endBulkLoad();
      }, indexer);
      io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
      return context == null ? Future.fromCompletionStage(done) : Future.fromCompletionStage(done, context);
    }

    void stop() {
      indexer.shutdown();
    }

    private void await(java.util.concurrent.Future<?> batch) {
      try {
        batch.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while loading the matching index", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("Loading the matching index failed", e.getCause());
      }
    }
  }

  /**
   * Reads the records whose stored values do not fit the rules (new expressions after a rules change), and
   * evaluates the rules on their resource: {@link #READS_IN_FLIGHT} reads at a time, one chunk after another.
   */
  private Future<Void> reExtract(MatchIndex index, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < ids.size(); from += READS_IN_FLIGHT) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + READS_IN_FLIGHT));
      chain = chain.compose(v -> Future.all(chunk.stream().map(store::source).toList()).map(all -> {
        for (int i = 0; i < all.size(); i++) {
          all.<java.util.Optional<SourceRecord>>resultAt(i)
              .ifPresent(s -> index.put(record(s, valuesOf(s, rules, extractor))));
        }
        return null;
      }));
    }
    return chain;
  }

  /** Reads again the records and golden versions written since a time, into an index built before them. */
  public Future<Long> loadChangedSince(MatchIndex index, java.time.Instant since) {
    Map<String, Integer> goldenVersions = new HashMap<>();
    return store.loadChangedSince(since, source -> index.put(record(source, valuesOf(source, rules, extractor))),
        golden -> goldenVersions.put(golden.id(), golden.version()))
        .map(count -> {
          index.apply(List.of(), goldenVersions);
          return count;
        });
  }

  private static MatchRecord record(SourceRecord s, String[][] values) {
    return new MatchRecord(s.id(), s.version(), s.clientId(), s.goldenId(), s.link().manual(), values);
  }

  /**
   * A stored record's normalised rule values: from the values kept at write time, or evaluated again on its
   * resource; null when the kept values do not fit these rules and the resource was not loaded with the record.
   */
  public static String[][] valuesOf(SourceRecord source, DecisionRules rules, FieldExtractor extractor) {
    Map<String, List<String>> raw = parseFields(source.fieldsJson());
    if (!raw.keySet().containsAll(extractor.expressions())) {
      if (source.resourceJson() == null) {
        return null;
      }
      raw = extractor.extract((Patient) Fhir.parse(source.resourceJson()));
    }
    return rules.normalise(raw);
  }

  private static Map<String, List<String>> parseFields(String json) {
    try {
      return FIELDS.readValue(json);
    } catch (IOException e) {
      return Map.of();
    }
  }
}
