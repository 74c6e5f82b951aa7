package org.clientregistry.linking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.clientregistry.matching.Comparison;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.FieldResult;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.matching.Outcome;
import org.clientregistry.matching.RuleSet;
import org.hl7.fhir.r4.model.Patient;

/**
 * FHIR {@code $match}: the golden records a Patient would match, best first, with a grade and the explanation of
 * the best comparison. Reads the index only; nothing is stored. CPU work: call it on a worker.
 */
public final class MatchService {
  private final Supplier<MatchingState> matching;

  public MatchService(Supplier<MatchingState> matching) {
    this.matching = matching;
  }

  /**
   * One matching golden record: its CRUID, the 0..1 score, the grade, the deciding comparison, and how many of its
   * fields that identify a person (not names, not gender: see {@link #identifying}) agreed.
   */
  public record GoldenMatch(String goldenId, double score, String grade, Comparison comparison,
                            int identifyingAgreements) {}

  public List<GoldenMatch> match(Patient patient, boolean onlyCertain, int count) {
    MatchingState state = matching.get();
    String[][] values = state.rules().normalise(state.extractor().extract(patient));
    Map<String, Comparison> best = new HashMap<>();
    for (MatchRecord candidate : state.index().candidates(values, null).records()) {
      Comparison c = state.matcher().compare(new MatchRecord("$match", 0, "", "", false, values), candidate);
      if (c.outcome() == Outcome.NONE) {
        continue;
      }
      best.merge(candidate.goldenId(), c, (a, b) -> b.betterThan(a) ? b : a);
    }
    List<GoldenMatch> out = new ArrayList<>();
    best.forEach((golden, c) -> {
      if (!onlyCertain || c.outcome() == Outcome.AUTO) {
        out.add(new GoldenMatch(golden, c.normalisedScore(), grade(state.rules(), c), c,
            identifyingAgreements(state.rules(), c)));
      }
    });
    out.sort(Comparator.comparing((GoldenMatch m) -> m.comparison().outcome()).reversed()
        .thenComparing(Comparator.comparingDouble(GoldenMatch::score).reversed()));
    return out.size() > count ? out.subList(0, count) : out;
  }

  /**
   * Fields of the deciding rule set that passed and identify a person: those read from anything but a name or the
   * gender, which a caller may know or guess of anyone (docs/security.md, what $match discloses).
   */
  static int identifyingAgreements(DecisionRules rules, Comparison c) {
    RuleSet set = rules.ruleSets().stream().filter(s -> s.name().equals(c.ruleSet())).findFirst().orElse(null);
    if (set == null) {
      return 0;
    }
    int n = 0;
    for (FieldResult r : c.explanation()) {
      if (r.result() == FieldResult.Result.PASS && set.fields().stream().anyMatch(f -> f.name().equals(r.field())
          && identifying(rules.slots().get(f.slot()).fhirpath()))) {
        n++;
      }
    }
    return n;
  }

  static boolean identifying(String fhirpath) {
    String path = fhirpath.startsWith("Patient.") ? fhirpath.substring("Patient.".length()) : fhirpath;
    return !path.startsWith("name") && !path.startsWith("gender");
  }

  private static String grade(DecisionRules rules, Comparison c) {
    return Grades.of(rules, c);
  }
}
