package org.clientregistry.linking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clientregistry.matching.Candidates;
import org.clientregistry.matching.Comparison;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.matching.Matcher;
import org.clientregistry.matching.Outcome;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.ReviewItem;

/**
 * Decides links (linking.md, workflow steps 4 to 6): where a new record goes, and how an updated record's golden
 * record is re-formed. Pure decisions on a {@link Workspace}; no I/O.
 */
final class LinkPlanner {
  /** Above this many members, an update compares the record with the others instead of re-clustering them all. */
  private static final int FULL_RECLUSTER_LIMIT = 50;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Matcher matcher;
  private final Bridging bridging;

  LinkPlanner(Matcher matcher) {
    this.matcher = matcher;
    this.bridging = new Bridging(matcher);
  }

  /** The best comparison with each golden record among the candidates. */
  record GoldenScore(String goldenId, Comparison best, String candidateId) {}

  record Scored(Map<String, GoldenScore> byGolden, boolean capped) {
    List<GoldenScore> ranked(Outcome outcome) {
      // Equal scores: the candidate with the smaller source id (made from its owner and identifier, so the same
      // in every run) wins, never the order of a hash map of random golden ids.
      return byGolden.values().stream().filter(g -> g.best().outcome() == outcome)
          .sorted(Comparator.comparingDouble((GoldenScore g) -> g.best().normalisedScore()).reversed()
              .thenComparing(GoldenScore::candidateId)).toList();
    }
  }

  Decision placeNew(Workspace ws, MatchRecord record) {
    Scored scored = score(ws, List.of(record), Set.of(record.sourceId()));
    List<GoldenScore> autos = bridging.joinable(ws, record, linkable(ws, record, scored.ranked(Outcome.AUTO)));
    Decision decision;
    Set<String> merged = Set.of();
    if (!autos.isEmpty()) {
      GoldenScore best = autos.get(0);
      ws.link(record, best.goldenId(), facts(best.best()));
      decision = new Decision(best.goldenId(), facts(best.best()), Decision.Outcome.LINKED, 0);
      merged = Set.copyOf(bridging.merge(ws, record, best.goldenId(), autos.subList(1, autos.size()), this));
    } else {
      String golden = ws.newGolden();
      ws.link(record, golden, ownGolden());
      decision = new Decision(golden, ownGolden(), Decision.Outcome.CREATED, 0);
    }
    return withReviews(ws, record, decision, scored, merged, joinableIds(autos));
  }

  private static Set<String> joinableIds(List<GoldenScore> joinable) {
    Set<String> ids = new HashSet<>();
    joinable.forEach(g -> ids.add(g.goldenId()));
    return ids;
  }

  Decision placeUpdated(Workspace ws, MatchRecord updated, LinkFacts previousLink) {
    String golden = updated.goldenId();
    if (previousLink.manual()) {
      // An administrator's link stays; new data may only raise review items.
      ws.link(updated, golden, previousLink);
      Scored scored = score(ws, List.of(updated), Set.of(updated.sourceId()));
      return withReviews(ws, updated, new Decision(golden, previousLink, Decision.Outcome.KEPT, 0), scored);
    }
    List<MatchRecord> pool = new ArrayList<>();
    pool.add(updated);
    ws.members(golden).stream().filter(m -> !m.sourceId().equals(updated.sourceId())).forEach(pool::add);
    if (pool.size() == 1) {
      return placeAlone(ws, updated);
    }
    List<List<MatchRecord>> groups = pool.size() <= FULL_RECLUSTER_LIMIT ? components(ws, pool, updated)
        : splitOne(ws, pool);
    List<MatchRecord> keeper = keeper(groups);
    Set<String> poolIds = new HashSet<>();
    pool.forEach(m -> poolIds.add(m.sourceId()));
    Decision decision = null;
    for (List<MatchRecord> group : groups) {
      boolean keeps = group == keeper;
      String target = keeps ? golden : externalTarget(ws, group, poolIds);
      boolean created = target == null;
      if (created) {
        target = ws.newGolden();
      }
      for (MatchRecord m : group) {
        if (keeps && m != updated) {
          continue; // unchanged members of the surviving group need no write
        }
        LinkFacts facts = factsWithin(m, group, target, ws);
        ws.link(m, target, facts);
        if (m == updated) {
          Decision.Outcome outcome = keeps ? Decision.Outcome.KEPT
              : created ? Decision.Outcome.CREATED : Decision.Outcome.LINKED;
          decision = new Decision(target, facts, outcome, 0);
        }
      }
    }
    // Former co-members the update left are compared too: a split the rules are unsure of is never silent.
    Scored scored = withFormerPeers(ws, updated, pool, score(ws, List.of(updated), Set.of(updated.sourceId())));
    return withReviews(ws, updated, decision, scored);
  }

  /** Adds the comparisons with the pool's other records, by the golden record each now belongs to. */
  private Scored withFormerPeers(Workspace ws, MatchRecord updated, List<MatchRecord> pool, Scored scored) {
    Map<String, GoldenScore> byGolden = new HashMap<>(scored.byGolden());
    for (MatchRecord peer : pool) {
      if (peer == updated) {
        continue;
      }
      MatchRecord now = ws.record(peer.sourceId()).orElse(peer);
      Comparison cmp = matcher.compare(updated, now);
      GoldenScore current = byGolden.get(now.goldenId());
      if (cmp.outcome() != Outcome.NONE && (current == null || cmp.betterThan(current.best()))) {
        byGolden.put(now.goldenId(), new GoldenScore(now.goldenId(), cmp, now.sourceId()));
      }
    }
    return new Scored(byGolden, scored.capped());
  }

  /** An updated record that was alone in its golden record: keep the CRUID unless it now belongs elsewhere. */
  private Decision placeAlone(Workspace ws, MatchRecord updated) {
    String golden = updated.goldenId();
    Scored scored = score(ws, List.of(updated), Set.of(updated.sourceId()));
    List<GoldenScore> autos = bridging.joinable(ws, updated, linkable(ws, updated, scored.ranked(Outcome.AUTO))
        .stream().filter(g -> !g.goldenId().equals(golden)).toList());
    Decision decision;
    if (!autos.isEmpty()) {
      GoldenScore best = autos.get(0);
      ws.link(updated, best.goldenId(), facts(best.best()));
      ws.replaced(golden, best.goldenId());
      decision = new Decision(best.goldenId(), facts(best.best()), Decision.Outcome.LINKED, 0);
    } else {
      ws.link(updated, golden, ownGolden());
      decision = new Decision(golden, ownGolden(), Decision.Outcome.KEPT, 0);
    }
    return withReviews(ws, updated, decision, scored, Set.of(), joinableIds(autos));
  }

  /**
   * Groups of the pool that still auto-match each other (single linkage). A manual member holds the others
   * together: an administrator vouched for the golden record as it was, so only the record whose content changed
   * ({@code changed}, null for none) must earn its place by an auto-match.
   */
  List<List<MatchRecord>> components(Workspace ws, List<MatchRecord> pool, MatchRecord changed) {
    int n = pool.size();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        MatchRecord a = pool.get(i);
        MatchRecord b = pool.get(j);
        boolean vouched = (a.manualLink() && b != changed) || (b.manualLink() && a != changed);
        boolean joined = !ws.notSamePerson(a.sourceId(), b.sourceId())
            && (vouched || matcher.compare(a, b).outcome() == Outcome.AUTO);
        if (joined) {
          parent[find(parent, i)] = find(parent, j);
        }
      }
    }
    Map<Integer, List<MatchRecord>> groups = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(pool.get(i));
    }
    return new ArrayList<>(groups.values());
  }

  /** For large golden records: the others stay together; the updated record stays if it matches any of them. */
  private List<List<MatchRecord>> splitOne(Workspace ws, List<MatchRecord> pool) {
    MatchRecord updated = pool.get(0);
    List<MatchRecord> others = pool.subList(1, pool.size());
    boolean stays = others.stream().anyMatch(o -> !ws.notSamePerson(updated.sourceId(), o.sourceId())
        && matcher.compare(updated, o).outcome() == Outcome.AUTO);
    if (stays) {
      return List.of(new ArrayList<>(pool));
    }
    return List.of(new ArrayList<>(others), List.of(updated));
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** The group that keeps the golden id: one with a manual member, else the largest; ties keep the unchanged. */
  static List<MatchRecord> keeper(List<List<MatchRecord>> groups) {
    for (List<MatchRecord> g : groups) {
      if (g.stream().anyMatch(MatchRecord::manualLink)) {
        return g;
      }
    }
    // groups.get(0) holds the updated record (it is first in the pool): on a tie the unchanged records keep it.
    List<MatchRecord> best = null;
    for (List<MatchRecord> g : groups) {
      if (best == null || g.size() > best.size() || (g.size() == best.size() && best == groups.get(0))) {
        best = g;
      }
    }
    return best;
  }

  /** The golden record outside the pool that a split-off group auto-matches best, or null for a new one. */
  String externalTarget(Workspace ws, List<MatchRecord> group, Set<String> poolIds) {
    Scored scored = score(ws, group, poolIds);
    for (GoldenScore g : scored.ranked(Outcome.AUTO)) {
      if (group.stream().allMatch(m -> !blocked(ws, m, g.goldenId()))) {
        return g.goldenId();
      }
    }
    return null;
  }

  LinkFacts factsWithin(MatchRecord m, List<MatchRecord> group, String target, Workspace ws) {
    Comparison best = Comparison.NONE;
    List<MatchRecord> peers = new ArrayList<>(group);
    peers.addAll(ws.members(target));
    for (MatchRecord other : peers) {
      if (!other.sourceId().equals(m.sourceId())) {
        Comparison c = matcher.compare(m, other);
        if (c.betterThan(best)) {
          best = c;
        }
      }
    }
    return best.outcome() == Outcome.AUTO ? facts(best) : ownGolden();
  }

  Scored score(Workspace ws, List<MatchRecord> records, Set<String> exclude) {
    Map<String, GoldenScore> byGolden = new HashMap<>();
    boolean capped = false;
    for (MatchRecord record : records) {
      Candidates candidates = ws.candidates(record.values(), record.sourceId());
      capped |= candidates.capped();
      for (MatchRecord c : candidates.records()) {
        if (exclude.contains(c.sourceId())) {
          continue;
        }
        Comparison cmp = matcher.compare(record, c);
        if (cmp.outcome() == Outcome.NONE) {
          continue;
        }
        if (ws.notSamePerson(record.sourceId(), c.sourceId()) && cmp.outcome() == Outcome.AUTO) {
          // Marked as different people: never linked automatically, at most reviewed.
          cmp = new Comparison(cmp.ruleSet(), cmp.score(), cmp.normalisedScore(), Outcome.REVIEW, cmp.explanation());
        }
        GoldenScore current = byGolden.get(c.goldenId());
        if (current == null || cmp.betterThan(current.best()) || (!current.best().betterThan(cmp)
            && c.sourceId().compareTo(current.candidateId()) < 0)) {
          byGolden.put(c.goldenId(), new GoldenScore(c.goldenId(), cmp, c.sourceId()));
        }
      }
    }
    return new Scored(byGolden, capped);
  }

  /** Auto candidates on goldens that hold nobody marked as a different person. */
  private List<GoldenScore> linkable(Workspace ws, MatchRecord record, List<GoldenScore> autos) {
    return autos.stream().filter(g -> !blocked(ws, record, g.goldenId())).toList();
  }

  static boolean blocked(Workspace ws, MatchRecord record, String goldenId) {
    return ws.members(goldenId).stream().anyMatch(m -> ws.notSamePerson(record.sourceId(), m.sourceId()));
  }

  /** Review items for candidates worth a look on golden records other than the one chosen. */
  private Decision withReviews(Workspace ws, MatchRecord record, Decision decision, Scored scored) {
    return withReviews(ws, record, decision, scored, Set.of(), null);
  }

  /**
   * @param merged golden records merged into the decision's (no item)
   * @param joinable the auto-matched golden records no member of which disagrees with the record (null: all)
   */
  private Decision withReviews(Workspace ws, MatchRecord record, Decision decision, Scored scored,
                               Set<String> merged, Set<String> joinable) {
    List<GoldenScore> worthALook = scored.byGolden().values().stream()
        .filter(g -> !g.goldenId().equals(decision.goldenId()) && !merged.contains(g.goldenId())
            && !blocked(ws, record, g.goldenId()) // an administrator already said these are different people
            && !ws.reviewsBetween(decision.goldenId(), g.goldenId())) // this request already asks it
        .sorted(BEST_FIRST).toList();
    // The best few only, raised in golden-id order (the same input raises the same items in the same order): a
    // crowd of look-alikes must not raise an item for every pair of them (issue 20.9).
    List<GoldenScore> raised = new ArrayList<>(worthALook.subList(0, Math.min(MAX_ITEMS_PER_RECORD,
        worthALook.size())));
    raised.sort(Comparator.comparing(GoldenScore::goldenId));
    int left = worthALook.size() - raised.size();
    String capped = scored.capped() ? "; candidate cap reached: some candidates were not compared" : "";
    for (GoldenScore g : raised) {
      String reason = g.best().outcome() != Outcome.AUTO ? "score between the potential and auto-match thresholds"
          : joinable != null && !joinable.contains(g.goldenId())
          ? "auto-match with a member, but other members of that golden record score below the potential threshold"
          : "auto-match on another golden record: possible duplicate golden records";
      String more = left == 0 ? "" : "; " + left + " more golden record(s) scored lower and were not raised";
      ws.review(reviewItem(record, g.goldenId(), g.candidateId(), g.best(), reason + more + capped),
          decision.goldenId());
    }
    int items = raised.size();
    if (scored.capped() && items == 0) { // else the items raised say so: one look at the record either way
      ws.review(reviewItem(record, decision.goldenId(), null, Comparison.NONE,
          "candidate cap reached: some candidates were not compared"), decision.goldenId());
      items++;
    }
    return new Decision(decision.goldenId(), decision.link(), decision.outcome(), items);
  }

  /** Review items one record may raise: the best-scoring candidates' golden records. */
  static final int MAX_ITEMS_PER_RECORD = 3;
  private static final Comparator<GoldenScore> BEST_FIRST = Comparator
      .comparingDouble((GoldenScore g) -> g.best().normalisedScore()).reversed()
      .thenComparing(GoldenScore::goldenId);

  ReviewItem reviewItem(MatchRecord record, String goldenId, String candidateId, Comparison c,
                                String reason) {
    return new ReviewItem(TimeOrderedIds.next(), record.sourceId(), goldenId, candidateId, c.normalisedScore(),
        Grades.of(matcher.rules(), c), c.ruleSet(), reason, explanationJson(c), Instant.now());
  }

  static String explanationJson(Comparison c) {
    try {
      return JSON.writeValueAsString(c.explanation());
    } catch (JsonProcessingException e) {
      return "[]";
    }
  }

  private LinkFacts facts(Comparison c) {
    return new LinkFacts(LinkFacts.AUTO, c.normalisedScore(), Grades.of(matcher.rules(), c), c.ruleSet(),
        Instant.now(), explanationJson(c));
  }

  /** A record that starts or keeps its own golden record: no match made the link. */
  private static LinkFacts ownGolden() {
    return new LinkFacts(LinkFacts.AUTO, null, null, null, Instant.now(), null);
  }
}
