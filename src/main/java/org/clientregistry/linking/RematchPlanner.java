package org.clientregistry.linking;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.matching.Outcome;

/**
 * Re-evaluates one golden record's automatic links under the rules in force (after a rules change), on a
 * workspace: members that no longer auto-match split off (to the golden record they now auto-match, or a new one;
 * the largest group keeps the CRUID), a golden record that now auto-matches another joins it (the emptied one is
 * replaced by it), and review-band candidates become review items. Manual links and not-the-same-person marks
 * are never undone. Writes nothing when nothing changes.
 */
final class RematchPlanner {
  private final LinkPlanner planner;

  RematchPlanner(LinkPlanner planner) {
    this.planner = planner;
  }

  void recheck(Workspace ws, String goldenId) {
    List<MatchRecord> pool = ws.members(goldenId);
    if (pool.isEmpty() || pool.stream().allMatch(MatchRecord::manualLink)) {
      return;
    }
    List<List<MatchRecord>> groups = pool.size() == 1 ? List.of(pool) : planner.components(ws, pool, null);
    List<MatchRecord> keeper = LinkPlanner.keeper(groups);
    Set<String> poolIds = new HashSet<>();
    pool.forEach(m -> poolIds.add(m.sourceId()));
    for (List<MatchRecord> group : groups) {
      if (group == keeper) {
        continue;
      }
      String target = planner.externalTarget(ws, group, poolIds);
      String to = target != null ? target : ws.newGolden();
      group.forEach(m -> ws.link(m, to, planner.factsWithin(m, group, to, ws)));
    }
    LinkPlanner.Scored scored = planner.score(ws, keeper, poolIds);
    boolean movable = keeper.stream().noneMatch(MatchRecord::manualLink) && groups.size() == 1;
    String joined = null;
    if (movable) {
      for (LinkPlanner.GoldenScore g : scored.ranked(Outcome.AUTO)) {
        if (keeper.stream().noneMatch(m -> LinkPlanner.blocked(ws, m, g.goldenId()))) {
          joined = g.goldenId();
          break;
        }
      }
    }
    if (joined != null) {
      String into = joined;
      keeper.forEach(m -> ws.link(m, into, planner.factsWithin(m, keeper, into, ws)));
      ws.replaced(goldenId, into);
    }
    MatchRecord representative = keeper.get(0);
    for (LinkPlanner.GoldenScore g : scored.ranked(Outcome.REVIEW)) {
      if (!g.goldenId().equals(joined) && !LinkPlanner.blocked(ws, representative, g.goldenId())) {
        ws.review(planner.reviewItem(representative, g.goldenId(), g.candidateId(), g.best(),
            "re-match under new rules: score between the potential and auto-match thresholds"));
      }
    }
  }
}
