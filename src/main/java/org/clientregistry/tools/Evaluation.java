package org.clientregistry.tools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.config.Role;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.linking.Linker;
import org.clientregistry.linking.PreparedSubmission;
import org.clientregistry.linking.SubmissionPreparer;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.Matcher;
import org.clientregistry.matching.RuleSet;
import org.hl7.fhir.r4.model.Patient;

/**
 * Submits labelled records one by one, in order, through the registry's own preparation and linking code (the
 * same {@link SubmissionPreparer} and {@link Linker} as the server, minus the store), then scores the resulting
 * golden records against the truth, pairwise.
 */
final class Evaluation {
  static final String ID_SYSTEM = "urn:client-registry:evaluate";
  private static final ClientConfig CLIENT = new ClientConfig("evaluate", "evaluate", List.of(ID_SYSTEM),
      Set.of(Role.POS));

  /** One labelled record: its id, the person it is (entity key), and the Patient built from its columns. */
  record Labelled(String id, String entity, Patient patient) {}

  /** Pairwise figures of one run. */
  record Result(double autoThreshold, long records, long truePairs, long linkedPairs, long truePositives,
                double precision, double recall, double f1, double blockingRecall,
                double linkableBlockingRecall, double candidatesPerRecord,
                java.util.Map<String, Double> candidatesPerRecordByRuleSet, double recordsPerSecond,
                long cappedLookups, int candidatesP50, int candidatesP99) {
    long falsePositives() {
      return linkedPairs - truePositives;
    }

    long falseNegatives() {
      return truePairs - truePositives;
    }
  }

  private Evaluation() {}

  static Result run(DecisionRules rules, List<Labelled> records, int maxCandidates) {
    FieldExtractor extractor = new FieldExtractor(rules.expressions());
    MatchIndex index = new MatchIndex(rules, maxCandidates);
    Linker linker = new Linker(index, new Matcher(rules, index), maxCandidates);
    SubmissionPreparer preparer = new SubmissionPreparer(extractor, rules, index);
    List<String> sourceIds = new ArrayList<>(records.size());
    Map<String, List<String[][]>> valuesByEntity = new HashMap<>();
    long started = System.nanoTime();
    for (Labelled r : records) {
      PreparedSubmission prepared = preparer.prepare(CLIENT, r.patient(), null);
      sourceIds.add(linker.linkInMemory(CLIENT.id(), List.of(prepared)).get(0).record().id());
      valuesByEntity.computeIfAbsent(r.entity(), k -> new ArrayList<>()).add(prepared.values());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    List<String> goldens = new ArrayList<>(records.size());
    List<String> entities = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      goldens.add(index.record(sourceIds.get(i)).orElseThrow().goldenId());
      entities.add(records.get(i).entity());
    }
    PairwiseQuality q = PairwiseQuality.of(entities, goldens);
    long linked = q.linkedPairs();
    long truth = q.truePairs();
    long tp = q.truePositives();
    double precision = q.precision();
    double recall = q.recall();
    double f1 = q.f1();
    MatchIndex.Stats stats = index.stats();
    return new Result(rules.ruleSets().get(0).autoThreshold(), records.size(), truth, linked, tp, precision, recall,
        f1, blockingRecall(index, valuesByEntity, null), blockingRecall(index, valuesByEntity, new Matcher(rules, index)),
        stats.candidatesPerLookup(), perRuleSet(stats),
        records.size() / seconds, stats.capped(), stats.candidatesPercentile(0.5),
        stats.candidatesPercentile(0.99));
  }

  private static java.util.Map<String, Double> perRuleSet(MatchIndex.Stats stats) {
    java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
    stats.candidatesByRuleSet().keySet().forEach(name -> out.put(name, stats.candidatesPerLookup(name)));
    return out;
  }

  /**
   * True pairs the candidate search finds (they share a searched blocking key, as the index stands) / all true
   * pairs. With a matcher: only the true pairs the rules could link when compared (score at least a potential
   * threshold), i.e. the share of linkable pairs that blocking does not lose; the others can only join through
   * third records.
   */
  private static double blockingRecall(MatchIndex index, Map<String, List<String[][]>> valuesByEntity,
                                       Matcher linkable) {
    long pairs = 0;
    long found = 0;
    for (List<String[][]> group : valuesByEntity.values()) {
      for (int i = 0; i < group.size(); i++) {
        for (int j = i + 1; j < group.size(); j++) {
          if (linkable != null && linkable.compare(record(group.get(i)), record(group.get(j))).outcome()
              == org.clientregistry.matching.Outcome.NONE) {
            continue;
          }
          pairs++;
          found += index.wouldFind(group.get(j), group.get(i)) ? 1 : 0; // the later record's search
        }
      }
    }
    return pairs == 0 ? 1 : (double) found / pairs;
  }

  private static org.clientregistry.matching.MatchRecord record(String[][] values) {
    return new org.clientregistry.matching.MatchRecord("", 0, CLIENT.id(), "", false, values);
  }


  /** The same rules with every rule set's auto-link threshold set to t (potential lowered to t when above). */
  static DecisionRules withAutoThreshold(DecisionRules rules, double t) {
    List<RuleSet> sets = rules.ruleSets().stream().map(s -> new RuleSet(s.name(), s.type(), s.fields(), s.filters(),
        Math.min(s.potentialThreshold(), t), t, Math.max(Math.min(s.potentialThreshold(), t),
        s.blockingThreshold()))).toList();
    return new DecisionRules(sets, rules.slots(), rules.bridges());
  }

  static List<Labelled> shuffled(List<Labelled> records, long seed) {
    List<Labelled> copy = new ArrayList<>(records);
    Collections.shuffle(copy, new Random(seed));
    return copy;
  }
}
