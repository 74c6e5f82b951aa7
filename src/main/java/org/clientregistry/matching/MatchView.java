package org.clientregistry.matching;

import java.util.List;
import java.util.Optional;

/** What linking reads while it decides: candidates, records, golden-record membership and versions, marks. */
public interface MatchView {
  /** Records sharing a blocking key with the values, without the record {@code excludeSourceId}. */
  Candidates candidates(String[][] values, String excludeSourceId);

  Optional<MatchRecord> record(String sourceId);

  List<MatchRecord> members(String goldenId);

  /** The golden record's stored version, 0 when it does not exist yet. */
  int goldenVersion(String goldenId);

  /** Whether an administrator marked the two source records as different people. */
  boolean notSamePerson(String sourceA, String sourceB);
}
