package org.clientregistry.linking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.clientregistry.matching.BridgePolicy;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.matching.Matcher;
import org.clientregistry.matching.Outcome;

/**
 * Order independence (linking.md, bridged golden records): a new record is compared with every member of the golden
 * records it auto-matches, not only with the member that matched best. It joins only a golden record none of whose
 * members disagrees with it (scores below the review threshold), so a chain of near matches cannot grow a golden
 * record whatever the order; golden records it bridges are merged when every pair across them agrees and the
 * rules' {@code bridges} policy is {@code merge}, else left to review.
 */
final class Bridging {
  /** Members compared per golden record (in source-id order): bounds the work a very large golden record costs. */
  static final int MEMBER_LIMIT = 50;

  private final Matcher matcher;

  Bridging(Matcher matcher) {
    this.matcher = matcher;
  }

  /** The auto-matched golden records the record may join, best first. */
  List<LinkPlanner.GoldenScore> joinable(Workspace ws, MatchRecord record, List<LinkPlanner.GoldenScore> autos) {
    return autos.stream().filter(g -> agrees(List.of(record), members(ws, g.goldenId()), ws)).toList();
  }

  /**
   * Under the merge policy, moves into {@code into} the members of the other joinable golden records that agree
   * with it as a whole (the record included); returns the golden records merged.
   */
  List<String> merge(Workspace ws, MatchRecord record, String into, List<LinkPlanner.GoldenScore> others,
                     LinkPlanner planner) {
    List<String> merged = new ArrayList<>();
    if (matcher.rules().bridges() != BridgePolicy.MERGE) {
      return merged;
    }
    for (LinkPlanner.GoldenScore other : others) {
      List<MatchRecord> moving = ws.members(other.goldenId());
      List<MatchRecord> staying = new ArrayList<>(members(ws, into));
      staying.add(record);
      // A manual link is an administrator's word on that golden record as it is: never merged automatically.
      if (moving.size() > MEMBER_LIMIT || moving.stream().anyMatch(MatchRecord::manualLink)
          || staying.stream().anyMatch(MatchRecord::manualLink) || !agrees(moving, staying, ws)) {
        continue;
      }
      for (MatchRecord m : moving) {
        ws.link(m, into, planner.factsWithin(m, List.of(record), into, ws));
      }
      ws.replaced(other.goldenId(), into);
      merged.add(other.goldenId());
    }
    return merged;
  }

  /** Whether every pair across the two lists scores at least the review threshold and is not marked apart. */
  private boolean agrees(List<MatchRecord> a, List<MatchRecord> b, Workspace ws) {
    for (MatchRecord x : a) {
      for (MatchRecord y : b) {
        if (x.sourceId().equals(y.sourceId())) {
          continue;
        }
        if (ws.notSamePerson(x.sourceId(), y.sourceId()) || matcher.compare(x, y).outcome() == Outcome.NONE) {
          return false;
        }
      }
    }
    return true;
  }

  private static List<MatchRecord> members(Workspace ws, String goldenId) {
    List<MatchRecord> all = ws.members(goldenId);
    if (all.size() <= MEMBER_LIMIT) {
      return all;
    }
    return all.stream().sorted(Comparator.comparing(MatchRecord::sourceId)).limit(MEMBER_LIMIT).toList();
  }
}
