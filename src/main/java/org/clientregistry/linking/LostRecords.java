package org.clientregistry.linking;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.MatchRecord;

/**
 * Records taken out of the index because the store lost their creation, remembered for the reads that began
 * before: a following round or a look that read the server before the loss would otherwise put the record back
 * when its answer arrives, and every later submission would plan against it again. A reader takes a
 * {@link #mark()} before it reads and asks {@link #since} before indexing what it read.
 */
public final class LostRecords {
  /** Memory bound: losses are rare; a read older than this many of them is long done. */
  private static final int KEPT = 10_000;

  private record Lost(long at, int version) {}

  private long count;
  private final Map<String, Lost> lost = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Lost> eldest) {
      return size() > KEPT;
    }
  };

  /** Takes the records out of the index and remembers them, with the versions the index held. */
  synchronized void forget(MatchIndex index, Collection<String> ids) {
    count++;
    for (String id : ids) {
      index.record(id).map(MatchRecord::version).ifPresent(v -> lost.put(id, new Lost(count, v)));
    }
    index.forget(ids);
  }

  /** Where reads started now stand; pass it to {@link #since}. */
  synchronized long mark() {
    return count;
  }

  /**
   * Whether this version of the record was taken out as lost after a read that started at {@code mark}: that read
   * may have seen the record before the store lost it. A newer version is a later write and is not refused.
   */
  synchronized boolean since(long mark, String id, int version) {
    Lost l = lost.get(id);
    return l != null && l.at() > mark && version <= l.version();
  }
}
