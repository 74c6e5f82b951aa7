package org.clientregistry.matching;

import java.util.ArrayList;
import java.util.List;

/** Compares two records under every rule set and keeps the strongest classification. Stateless, thread-safe. */
public final class Matcher {
  private final DecisionRules rules;
  private final TermFrequencies frequencies;

  public Matcher(DecisionRules rules) {
    this(rules, TermFrequencies.NONE);
  }

  /** @param frequencies value frequencies for fields with term-frequency adjustment (usually the index) */
  public Matcher(DecisionRules rules, TermFrequencies frequencies) {
    this.rules = rules;
    this.frequencies = frequencies;
  }

  public DecisionRules rules() {
    return rules;
  }

  public Comparison compare(MatchRecord a, MatchRecord b) {
    Comparison best = Comparison.NONE;
    for (RuleSet set : rules.ruleSets()) {
      Comparison c = compare(set, a, b, frequencies);
      if (c != null && (best == Comparison.NONE || c.betterThan(best))) {
        best = c;
      }
    }
    return best;
  }

  /** Null when a filter keeps the pair out of this rule set. */
  private static Comparison compare(RuleSet set, MatchRecord ra, MatchRecord rb, TermFrequencies frequencies) {
    String[][] a = ra.values();
    String[][] b = rb.values();
    for (FieldRule filter : set.filters()) {
      FieldResult r = field(set.type(), filter, a[filter.slot()], b[filter.slot()]);
      if (r.result() == FieldResult.Result.FAIL) {
        return null;
      }
    }
    List<FieldResult> explanation = new ArrayList<>(set.fields().size());
    double score = 0;
    double passed = 0;
    double possible = 0;
    boolean[] crossed = crossed(set, a, b);
    for (int k = 0; k < set.fields().size(); k++) {
      FieldRule field = set.fields().get(k);
      String[] va = a[field.slot()];
      // Crossed: this field of one record against its partner field of the other (given ↔ family).
      String[] vb = crossed[k] ? b[set.fields().get(field.partner()).slot()] : b[field.slot()];
      if (!field.appliesTo(ra.clientId(), rb.clientId())) {
        // Limited to other clients' records: the condition does not apply, so it holds.
        explanation.add(new FieldResult(field.name(), field.algorithm().name(), null, FieldResult.Result.NULL,
            field.passWeight(set.type())));
        score += field.passWeight(set.type());
        continue;
      }
      FieldResult r = adjusted(field(set.type(), field, va, vb), set.type(), field, va, vb, frequencies);
      if (crossed[k]) {
        r = new FieldResult(r.field(), r.algorithm() + " (crossed with "
            + set.fields().get(field.partner()).name() + ")", r.rawScore(), r.result(), r.weight());
      }
      explanation.add(r);
      score += r.weight();
      // For the 0..1 score: moderate nulls are left out, conservative nulls count as fails, greedy as passes.
      NullHandling handling = r.result() == FieldResult.Result.NULL ? nullHandling(field, va, vb) : null;
      if (handling != NullHandling.MODERATE) {
        possible += field.passWeight(set.type());
        if (r.result() == FieldResult.Result.PASS || handling == NullHandling.GREEDY) {
          passed += field.passWeight(set.type());
        }
      }
    }
    Outcome outcome = score >= set.autoThreshold() ? Outcome.AUTO
        : score >= set.potentialThreshold() ? Outcome.REVIEW : Outcome.NONE;
    double normalised = normalise(set, score, passed, possible);
    return new Comparison(set.name(), score, normalised, outcome, List.copyOf(explanation));
  }

  /** For each pair of partner fields, whether comparing them crossed scores better than straight. */
  private static boolean[] crossed(RuleSet set, String[][] a, String[][] b) {
    List<FieldRule> fields = set.fields();
    boolean[] out = new boolean[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      int j = fields.get(i).partner();
      if (j <= i) {
        continue; // no partner, or the pair was decided at j
      }
      FieldRule f = fields.get(i);
      FieldRule p = fields.get(j);
      MatchingType t = set.type();
      double straight = field(t, f, a[f.slot()], b[f.slot()]).weight() + field(t, p, a[p.slot()], b[p.slot()]).weight();
      double cross = field(t, f, a[f.slot()], b[p.slot()]).weight() + field(t, p, a[p.slot()], b[f.slot()]).weight();
      if (cross > straight) {
        out[i] = true;
        out[j] = true;
      }
    }
    return out;
  }

  private static double normalise(RuleSet set, double score, double passed, double possible) {
    if (set.type() == MatchingType.PROBABILISTIC) {
      return 1 / (1 + Math.pow(2, -score)); // log-odds (base 2) to a probability
    }
    return possible <= 0 ? 0 : passed / possible;
  }

  /** Term-frequency adjustment: an exact agreement on a rare value weighs more than on a common one. */
  private static FieldResult adjusted(FieldResult r, MatchingType type, FieldRule rule, String[] a, String[] b,
                                      TermFrequencies frequencies) {
    if (!rule.termFrequency() || type != MatchingType.PROBABILISTIC || r.result() != FieldResult.Result.PASS) {
      return r;
    }
    double rarest = Double.NaN;
    for (String x : a) {
      for (String y : b) {
        double f = x.equals(y) ? frequencies.frequency(rule.slot(), x) : Double.NaN;
        if (!Double.isNaN(f) && f > 0 && (Double.isNaN(rarest) || f < rarest)) {
          rarest = f;
        }
      }
    }
    if (Double.isNaN(rarest)) {
      return r;
    }
    double m = rule.mValue();
    if (!rule.levels().isEmpty()) {
      // Only the first level, when it is exact equality, is adjusted: other levels do not mean equal values.
      if (r.rawScore() == null || r.rawScore() != 0 || rule.levels().get(0).algorithm().needsThreshold()
          || !rule.levels().get(0).algorithm().name().equals("exact")) {
        return r;
      }
      m = rule.levels().get(0).mValue();
    }
    double weight = Math.log(m / Math.min(rarest, 0.9999)) / Math.log(2);
    return new FieldResult(r.field(), r.algorithm(), r.rawScore(), r.result(), weight);
  }

  private static NullHandling nullHandling(FieldRule rule, String[] a, String[] b) {
    return a.length == 0 && b.length == 0 ? rule.bothNull() : rule.oneNull();
  }

  /** One field: the best pair of values counts (several given names, several phones). */
  public static FieldResult field(MatchingType type, FieldRule rule, String[] a, String[] b) {
    String algorithm = rule.algorithm().name();
    if (a.length == 0 || b.length == 0) {
      return switch (nullHandling(rule, a, b)) {
        case GREEDY -> new FieldResult(rule.name(), algorithm, null, FieldResult.Result.NULL, rule.passWeight(type));
        case CONSERVATIVE -> new FieldResult(rule.name(), algorithm, null, FieldResult.Result.NULL,
            rule.failWeight(type));
        case MODERATE -> new FieldResult(rule.name(), algorithm, null, FieldResult.Result.NULL, 0);
      };
    }
    if (!rule.levels().isEmpty()) {
      return levelled(rule, a, b);
    }
    double last = Double.NaN;
    for (String x : a) {
      for (String y : b) {
        double s = rule.algorithm().score(x, y);
        if (rule.algorithm().passes(s, rule.threshold())) {
          return new FieldResult(rule.name(), algorithm, s, FieldResult.Result.PASS, rule.passWeight(type));
        }
        last = s;
      }
    }
    return new FieldResult(rule.name(), algorithm, last, FieldResult.Result.FAIL, rule.failWeight(type));
  }

  /** A field with agreement levels: the best level any pair of values reaches. */
  private static FieldResult levelled(FieldRule rule, String[] a, String[] b) {
    int best = -1;
    for (String x : a) {
      for (String y : b) {
        int level = rule.level(x, y);
        if (level >= 0 && (best < 0 || level < best)) {
          best = level;
        }
      }
    }
    if (best < 0) {
      return new FieldResult(rule.name(), "else", null, FieldResult.Result.FAIL, rule.levelWeight(-1));
    }
    // Score 0 is the best level: it says which level was reached without holding the values.
    return new FieldResult(rule.name(), rule.levels().get(best).label(), (double) best, FieldResult.Result.PASS,
        rule.levelWeight(best));
  }
}
