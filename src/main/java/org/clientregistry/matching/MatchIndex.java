package org.clientregistry.matching;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory matching index: every source record's normalised values, the blocking postings that find
 * candidates without scanning, golden-record membership and versions, and not-the-same-person marks. A cache of
 * the store: rebuilt from it at start, updated after each committed write. Thread-safe.
 */
public final class MatchIndex implements MatchView, TermFrequencies {
  private final BlockingKeys blocking;
  private final int maxCandidates;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, Indexed> records = new HashMap<>();
  private final Map<String, List<String>> postings = new HashMap<>();
  private final Map<String, Golden> goldens = new HashMap<>();
  private final Map<String, Set<String>> marks = new HashMap<>();
  /** Per slot with term-frequency adjustment: how many records carry each value (null for other slots). */
  private final Map<String, Integer>[] valueCounts;
  private final LongAdder lookups = new LongAdder();
  private final LongAdder candidatesFound = new LongAdder();
  private final LongAdder cappedLookups = new LongAdder();
  private final List<String> ruleSetNames;
  private final DecisionRules rules;
  private final LongAdder[] candidatesByRuleSet;

  private record Indexed(MatchRecord record, Set<String> keys) {}

  private static final class Golden {
    int version;
    final Set<String> members = new LinkedHashSet<>();
  }

  public MatchIndex(DecisionRules rules, int maxCandidates) {
    this(rules, new BlockingKeys(rules), maxCandidates);
  }

  /** An empty index keyed like this one (a submission's pending overlay): the key plan is worked out once. */
  public MatchIndex emptyLike() {
    return new MatchIndex(rules, blocking, maxCandidates);
  }

  @SuppressWarnings("unchecked")
  private MatchIndex(DecisionRules rules, BlockingKeys blocking, int maxCandidates) {
    this.rules = rules;
    this.blocking = blocking;
    this.maxCandidates = maxCandidates;
    this.valueCounts = new Map[rules.slots().size()];
    this.ruleSetNames = rules.ruleSets().stream().map(RuleSet::name).toList();
    this.candidatesByRuleSet = new LongAdder[ruleSetNames.size()];
    for (int i = 0; i < candidatesByRuleSet.length; i++) {
      candidatesByRuleSet[i] = new LongAdder();
    }
    rules.ruleSets().forEach(set -> set.fields().stream().filter(FieldRule::termFrequency)
        .forEach(f -> valueCounts[f.slot()] = new HashMap<>()));
  }

  @Override
  public double frequency(int slot, String value) {
    if (valueCounts[slot] == null) {
      return Double.NaN;
    }
    lock.readLock().lock();
    try {
      Integer n = valueCounts[slot].get(value);
      return n == null || records.isEmpty() ? Double.NaN : (double) n / records.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  public Set<String> keysOf(String[][] values) {
    return blocking.of(values);
  }

  @Override
  public Candidates candidates(String[][] values, String excludeSourceId) {
    Set<String> keys = blocking.of(values);
    lock.readLock().lock();
    try {
      Map<String, MatchRecord> found = new LinkedHashMap<>();
      List<Set<String>> byRuleSet = new ArrayList<>();
      ruleSetNames.forEach(n -> byRuleSet.add(new HashSet<>()));
      boolean capped = false;
      for (String key : keys) {
        List<String> ids = postings.get(key);
        if (ids == null) {
          continue;
        }
        Set<String> ofRuleSet = byRuleSet.get(BlockingKeys.ruleSetOf(key));
        for (String id : ids) {
          if (id.equals(excludeSourceId)) {
            continue;
          }
          if (!found.containsKey(id) && found.size() >= maxCandidates) {
            capped = true;
            break;
          }
          ofRuleSet.add(id);
          found.putIfAbsent(id, records.get(id).record());
        }
      }
      lookups.increment();
      candidatesFound.add(found.size());
      for (int i = 0; i < byRuleSet.size(); i++) {
        candidatesByRuleSet[i].add(byRuleSet.get(i).size());
      }
      if (capped) {
        cappedLookups.increment();
      }
      return new Candidates(new ArrayList<>(found.values()), capped);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<MatchRecord> record(String sourceId) {
    lock.readLock().lock();
    try {
      Indexed i = records.get(sourceId);
      return i == null ? Optional.empty() : Optional.of(i.record());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<MatchRecord> members(String goldenId) {
    lock.readLock().lock();
    try {
      Golden g = goldens.get(goldenId);
      if (g == null) {
        return List.of();
      }
      List<MatchRecord> out = new ArrayList<>(g.members.size());
      g.members.forEach(id -> out.add(records.get(id).record()));
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public int goldenVersion(String goldenId) {
    lock.readLock().lock();
    try {
      Golden g = goldens.get(goldenId);
      return g == null ? 0 : g.version;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public boolean notSamePerson(String sourceA, String sourceB) {
    lock.readLock().lock();
    try {
      return marks.getOrDefault(sourceA, Set.of()).contains(sourceB);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Candidate search statistics since start: lookups, candidates returned, lookups cut by the cap, and per rule
   * set (by name) the candidates its own keys found.
   */
  public record Stats(long lookups, long candidates, long capped, Map<String, Long> candidatesByRuleSet) {
    public double candidatesPerLookup() {
      return lookups == 0 ? 0 : (double) candidates / lookups;
    }

    public double candidatesPerLookup(String ruleSet) {
      return lookups == 0 ? 0 : (double) candidatesByRuleSet.getOrDefault(ruleSet, 0L) / lookups;
    }
  }

  public Stats stats() {
    Map<String, Long> byRuleSet = new LinkedHashMap<>();
    for (int i = 0; i < ruleSetNames.size(); i++) {
      byRuleSet.merge(ruleSetNames.get(i), candidatesByRuleSet[i].sum(), Long::sum);
    }
    return new Stats(lookups.sum(), candidatesFound.sum(), cappedLookups.sum(), byRuleSet);
  }

  public int size() {
    lock.readLock().lock();
    try {
      return records.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Applies committed changes: records (added or replaced, with their golden link) and golden versions. */
  public void apply(Collection<MatchRecord> changedRecords, Map<String, Integer> goldenVersions) {
    lock.writeLock().lock();
    try {
      changedRecords.forEach(this::putLocked);
      goldenVersions.forEach((id, version) -> {
        Golden g = goldens.get(id);
        if (g != null) {
          g.version = version;
          if (g.members.isEmpty()) {
            goldens.remove(id);
          }
        }
      });
    } finally {
      lock.writeLock().unlock();
    }
  }

  public void put(MatchRecord record) {
    apply(List.of(record), Map.of());
  }

  public void markNotSame(String a, String b) {
    lock.writeLock().lock();
    try {
      marks.computeIfAbsent(a, k -> new HashSet<>()).add(b);
      marks.computeIfAbsent(b, k -> new HashSet<>()).add(a);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void putLocked(MatchRecord record) {
    Indexed old = records.get(record.sourceId());
    countValues(old == null ? null : old.record().values(), -1);
    countValues(record.values(), 1);
    Set<String> keys = blocking.of(record.values());
    if (old != null) {
      for (String k : old.keys()) {
        if (!keys.contains(k)) {
          removePosting(k, record.sourceId());
        }
      }
      if (!old.record().goldenId().equals(record.goldenId())) {
        Golden g = goldens.get(old.record().goldenId());
        if (g != null) {
          g.members.remove(record.sourceId());
        }
      }
    }
    for (String k : keys) {
      if (old == null || !old.keys().contains(k)) {
        postings.computeIfAbsent(k, x -> new ArrayList<>(2)).add(record.sourceId());
      }
    }
    records.put(record.sourceId(), new Indexed(record, keys));
    goldens.computeIfAbsent(record.goldenId(), x -> new Golden()).members.add(record.sourceId());
  }

  private void countValues(String[][] values, int delta) {
    if (values == null) {
      return;
    }
    for (int slot = 0; slot < valueCounts.length; slot++) {
      if (valueCounts[slot] != null) {
        for (String v : values[slot]) {
          valueCounts[slot].merge(v, delta, (x, y) -> x + y == 0 ? null : x + y);
        }
      }
    }
  }

  private void removePosting(String key, String sourceId) {
    List<String> ids = postings.get(key);
    if (ids != null) {
      ids.remove(sourceId);
      if (ids.isEmpty()) {
        postings.remove(key);
      }
    }
  }
}
