package org.clientregistry.linking;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  private static final TypeReference<Map<String, List<String>>> FIELDS = new TypeReference<>() {};

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
    int[] reExtracted = {0};
    return store.load(source -> {
      index.put(recordOf(source, reExtracted));
    }, golden -> goldenVersions.put(golden.id(), golden.version()),
        mark -> index.markNotSame(mark.sourceA(), mark.sourceB()))
        .map(count -> {
          index.apply(List.of(), goldenVersions);
          LOG.info("Matching index loaded: {} source records, {} golden records in {} ms ({} re-extracted)",
              count, goldenVersions.size(), (System.nanoTime() - started) / 1_000_000, reExtracted[0]);
          return count;
        });
  }

  /** Reads again the records and golden versions written since a time, into an index built before them. */
  public Future<Long> loadChangedSince(MatchIndex index, java.time.Instant since) {
    Map<String, Integer> goldenVersions = new HashMap<>();
    int[] reExtracted = {0};
    return store.loadChangedSince(since, source -> index.put(recordOf(source, reExtracted)),
        golden -> goldenVersions.put(golden.id(), golden.version()))
        .map(count -> {
          index.apply(List.of(), goldenVersions);
          return count;
        });
  }

  private MatchRecord recordOf(SourceRecord source, int[] reExtracted) {
    if (!storedValuesFit(source, extractor)) {
      reExtracted[0]++;
    }
    return new MatchRecord(source.id(), source.version(), source.clientId(), source.goldenId(),
        source.link().manual(), valuesOf(source, rules, extractor));
  }

  /** A stored record's normalised rule values: from the values kept at write time, or evaluated again. */
  public static String[][] valuesOf(SourceRecord source, DecisionRules rules, FieldExtractor extractor) {
    Map<String, List<String>> raw = parseFields(source.fieldsJson());
    if (!raw.keySet().containsAll(extractor.expressions())) {
      raw = extractor.extract((Patient) Fhir.parse(source.resourceJson()));
    }
    return rules.normalise(raw);
  }

  /** Whether the values kept at write time cover every expression of these rules. */
  private static boolean storedValuesFit(SourceRecord source, FieldExtractor extractor) {
    return parseFields(source.fieldsJson()).keySet().containsAll(extractor.expressions());
  }

  private static Map<String, List<String>> parseFields(String json) {
    try {
      return JSON.readValue(json, FIELDS);
    } catch (IOException e) {
      return Map.of();
    }
  }
}
