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
 *
 * <p>Compact, because a national registry keeps millions of records here: records and golden records are numbered
 * densely ({@link IdTable}) and their facts kept in plain arrays, values are packed in one byte array per record
 * ({@link PackedValues}), and blocking keys are 32-bit hashes in a primitive table ({@link Postings}). A record's
 * keys are not stored: they are derived again from its values when it changes.
 */
public final class MatchIndex implements MatchView, TermFrequencies {
  private final BlockingKeys blocking;
  private final int maxCandidates;
  private final int slotCount;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final IdTable sourceIds = new IdTable();
  private final IdTable goldenIds = new IdTable();
  private final Postings postings = new Postings();
  private final List<String> clientNames = new ArrayList<>();
  private final Map<String, Short> clientNumbers = new HashMap<>();
  // Per source record (by slot).
  private byte[][] values = new byte[16][];
  private int[] versions = new int[16];
  private int[] goldenOf = new int[16];
  private short[] clientOf = new short[16];
  private boolean[] manual = new boolean[16];
  // Per golden record (by slot): version, and members as [count, slot, slot, ...]; null once emptied.
  private int[] goldenVersions = new int[16];
  private int[][] members = new int[16][];
  private final Map<String, Set<String>> marks = new HashMap<>();
  /** Per slot with term-frequency adjustment: how many records carry each value (null for other slots). */
  private final Map<String, Integer>[] valueCounts;
  private final LongAdder lookups = new LongAdder();
  private final LongAdder candidatesFound = new LongAdder();
  /** Lookups by number of candidates (the last bucket: that many or more), for percentiles. */
  private final java.util.concurrent.atomic.AtomicLongArray byCount = new java.util.concurrent.atomic.AtomicLongArray(
      1025);
  private final LongAdder cappedLookups = new LongAdder();
  private final List<String> ruleSetNames;
  private final DecisionRules rules;
  private final LongAdder[] candidatesByRuleSet;

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
    this.slotCount = rules.slots().size();
    this.valueCounts = new Map[slotCount];
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
      return n == null || sourceIds.size() == 0 ? Double.NaN : (double) n / sourceIds.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  public Set<String> keysOf(String[][] values) {
    return blocking.of(values);
  }

  /**
   * A pair key that many records share (a common given and family name, say) finds many candidates that fail on
   * the rest. Once a pair key that can be narrowed has {@value #COMMON_KEY} records, it is common: each of its
   * records is also indexed under its narrower keys (the pair plus a field that every minimal matching set behind
   * the pair needs), and searches use those instead. Candidate lists then stay short as the registry grows, while
   * small registries keep the wider pair keys. Common keys stay common.
   */
  static final int COMMON_KEY = 8;
  private final IntSet common = new IntSet();

  /** What a search visits: a key's hash and the rule set it was made for. */
  private interface SearchedKey {
    void accept(int hash, int ruleSet);
  }

  /** Visits the keys a search with these keys looks up: narrower keys in place of common pair keys. Under the lock. */
  private void forEachSearched(BlockingKeys.Keys keys, SearchedKey visit) {
    int[] hashes = keys.hashes();
    int[] packed = keys.narrowing();
    for (int i = 0; i < hashes.length; i++) {
      int at = keys.narrowingAt()[i];
      if (at >= 0 && common.contains(hashes[i])) {
        for (int k = 0; k < packed[at + 1]; k++) {
          visit.accept(packed[at + 2 + k], keys.ruleSets()[i]);
        }
      } else {
        visit.accept(hashes[i], keys.ruleSets()[i]);
      }
    }
  }

  /** The narrower keys a record is indexed under now (those of its common pair keys), sorted. Under the lock. */
  private int[] narrowerIndexed(BlockingKeys.Keys keys) {
    if (common.isEmpty()) {
      return NONE;
    }
    int[] packed = keys.narrowing();
    int[] out = new int[packed.length];
    int n = 0;
    for (int at = 0; at < packed.length; at += 2 + packed[at + 1]) {
      if (common.contains(packed[at])) {
        System.arraycopy(packed, at + 2, out, n, packed[at + 1]);
        n += packed[at + 1];
      }
    }
    return java.util.Arrays.stream(out, 0, n).sorted().distinct().toArray();
  }

  private static final int[] NONE = new int[0];
  /** The version of a slot whose record was taken out ({@link #forget}): no keys, no golden record. */
  private static final int GONE = -1;

  private static boolean inSorted(int[] sorted, int hash) {
    return java.util.Arrays.binarySearch(sorted, hash) >= 0;
  }

  /**
   * Whether a search with the first values would find a record with the second (they share a searched key), as
   * the index stands: for blocking recall.
   */
  public boolean wouldFind(String[][] query, String[][] stored) {
    lock.readLock().lock();
    try {
      BlockingKeys.Keys s = blocking.keys(stored);
      int[] narrower = narrowerIndexed(s);
      boolean[] found = {false};
      forEachSearched(blocking.keys(query), (hash, ruleSet) -> found[0] |= s.has(hash) || inSorted(narrower, hash));
      return found[0];
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * A bulk load (the start-up load of the whole store) leaves indexing common keys' records under their narrower
   * keys to its end: done per key as records arrive, each key turning common would make the index work out the keys
   * of its earlier records again. Meanwhile each record's narrowing is kept as hashes (see
   * {@link BlockingKeys.Keys#narrowing}), by slot, and the pair keys that reach {@value #COMMON_KEY} records are
   * noted as they do; both null when no bulk load is running.
   */
  private int[][] bulkNarrowing;
  private IntSet bulkTurned;

  /**
   * Starts a bulk load into this empty index: records go in with their pair keys only, until {@link #endBulkLoad}.
   * (Empty, so that every record's narrowing is kept.)
   */
  public void beginBulkLoad() {
    lock.writeLock().lock();
    try {
      if (sourceIds.size() > 0) {
        throw new IllegalStateException("a bulk load needs an empty index");
      }
      bulkNarrowing = new int[Math.max(16, values.length)][];
      bulkTurned = new IntSet();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Ends a bulk load: makes the pair keys that turned common common, and indexes their records under their
   * narrower keys, from the narrowing each record brought (so nothing is worked out again). Which narrower keys
   * each record needs is read on every core; only adding them to the postings is done by this one thread.
   */
  public void endBulkLoad() {
    lock.writeLock().lock();
    try {
      if (bulkNarrowing == null) {
        return; // no bulk load running
      }
      int n = sourceIds.size();
      int[][] kept = bulkNarrowing;
      IntSet turned = bulkTurned;
      bulkNarrowing = null;
      bulkTurned = null;
      if (!turned.isEmpty()) {
        // Read-only while it runs (this thread holds the write lock and waits): each record's narrower keys to add.
        java.util.stream.IntStream.range(0, n).parallel()
            .forEach(slot -> kept[slot] = narrowerOfTurned(kept[slot], turned));
        for (int slot = 0; slot < n; slot++) {
          for (int hash : kept[slot]) {
            postings.add(hash, slot);
          }
        }
        common.addAll(turned);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The narrower keys of a record's pair keys that are in {@code turned}. */
  private static int[] narrowerOfTurned(int[] packed, IntSet turned) {
    int[] out = NONE;
    int n = 0;
    for (int at = 0; at < packed.length; at += 2 + packed[at + 1]) {
      if (turned.contains(packed[at])) {
        if (n + packed[at + 1] > out.length) {
          out = java.util.Arrays.copyOf(out, packed.length);
        }
        System.arraycopy(packed, at + 2, out, n, packed[at + 1]);
        n += packed[at + 1];
      }
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  /**
   * Makes a pair key common once it has enough records ({@code records}, with the one just added), indexing them
   * under its narrower keys too; in a bulk load, only notes it for the load's end.
   */
  private void noteShared(int hash, int records) {
    if (records < COMMON_KEY || common.contains(hash)) {
      return;
    }
    if (bulkTurned != null) {
      bulkTurned.add(hash);
      return;
    }
    List<Integer> slots = new ArrayList<>(COMMON_KEY);
    postings.forEach(hash, slot -> slots.add(slot));
    for (int slot : slots) {
      BlockingKeys.Keys k = blocking.keys(PackedValues.unpack(values[slot], slotCount));
      int i = k.indexOf(hash);
      int at = i < 0 ? -1 : k.narrowingAt()[i];
      for (int x = 0; at >= 0 && x < k.narrowing()[at + 1]; x++) {
        postings.add(k.narrowing()[at + 2 + x], slot);
      }
    }
    common.add(hash);
  }

  @Override
  public Candidates candidates(String[][] query, String excludeSourceId) {
    BlockingKeys.Keys keys = blocking.keys(query);
    lock.readLock().lock();
    try {
      int exclude = excludeSourceId == null ? -1 : sourceIds.find(excludeSourceId);
      Set<Integer> found = new LinkedHashSet<>();
      List<Set<Integer>> byRuleSet = new ArrayList<>(ruleSetNames.size());
      ruleSetNames.forEach(n -> byRuleSet.add(new HashSet<>()));
      boolean[] capped = {false};
      forEachSearched(keys, (hash, ruleSet) -> {
        Set<Integer> ofRuleSet = byRuleSet.get(ruleSet);
        postings.forEach(hash, slot -> {
          if (slot == exclude) {
            return true;
          }
          if (!found.contains(slot) && found.size() >= maxCandidates) {
            capped[0] = true;
            return false;
          }
          ofRuleSet.add(slot);
          found.add(slot);
          return true;
        });
      });
      lookups.increment();
      candidatesFound.add(found.size());
      byCount.incrementAndGet(Math.min(found.size(), byCount.length() - 1));
      for (int i = 0; i < byRuleSet.size(); i++) {
        candidatesByRuleSet[i].add(byRuleSet.get(i).size());
      }
      if (capped[0]) {
        cappedLookups.increment();
      }
      List<MatchRecord> out = new ArrayList<>(found.size());
      found.forEach(slot -> out.add(recordAt(slot)));
      return new Candidates(out, capped[0]);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Whether a source record of this id is in the index. */
  public boolean contains(String sourceId) {
    lock.readLock().lock();
    try {
      int slot = sourceIds.find(sourceId);
      return slot >= 0 && versions[slot] != GONE;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<MatchRecord> record(String sourceId) {
    lock.readLock().lock();
    try {
      int slot = sourceIds.find(sourceId);
      return slot < 0 || versions[slot] == GONE ? Optional.empty() : Optional.of(recordAt(slot));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<MatchRecord> members(String goldenId) {
    lock.readLock().lock();
    try {
      int g = goldenIds.find(goldenId);
      int[] m = g < 0 ? null : members[g];
      if (m == null) {
        return List.of();
      }
      List<MatchRecord> out = new ArrayList<>(m[0]);
      for (int k = 1; k <= m[0]; k++) {
        out.add(recordAt(m[k]));
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public int goldenVersion(String goldenId) {
    lock.readLock().lock();
    try {
      int g = goldenIds.find(goldenId);
      return g < 0 || members[g] == null ? 0 : goldenVersions[g];
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
  public record Stats(long lookups, long candidates, long capped, Map<String, Long> candidatesByRuleSet,
                      long[] lookupsByCount) {
    /** The number of candidates that share q (0..1) of lookups did not exceed (1024 stands for 1024 or more). */
    public int candidatesPercentile(double q) {
      long need = (long) Math.ceil(q * lookups);
      long seen = 0;
      for (int n = 0; n < lookupsByCount.length; n++) {
        seen += lookupsByCount[n];
        if (seen >= need && seen > 0) {
          return n;
        }
      }
      return 0;
    }

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
    long[] counts = new long[byCount.length()];
    for (int n = 0; n < counts.length; n++) {
      counts[n] = byCount.get(n);
    }
    return new Stats(lookups.sum(), candidatesFound.sum(), cappedLookups.sum(), byRuleSet, counts);
  }

  public int size() {
    lock.readLock().lock();
    try {
      return sourceIds.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Applies committed changes: records (added or replaced, with their golden link) and golden versions. */
  public void apply(Collection<MatchRecord> changedRecords, Map<String, Integer> newGoldenVersions) {
    lock.writeLock().lock();
    try {
      changedRecords.forEach(this::putLocked);
      newGoldenVersions.forEach((id, version) -> {
        int g = goldenIds.find(id);
        if (g >= 0 && members[g] != null) {
          goldenVersions[g] = version;
          if (members[g][0] == 0) {
            members[g] = null; // emptied: gone from the index, as from the golden record's links
          }
        }
      });
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Takes records out (a creation the store lost after the index applied it): they are no one's candidate or
   * member any more; a golden record left without members goes too. Their slots stay, empty, for a later put.
   */
  public void forget(Collection<String> ids) {
    lock.writeLock().lock();
    try {
      for (String id : ids) {
        int slot = sourceIds.find(id);
        if (slot < 0 || versions[slot] == GONE) {
          continue;
        }
        String[][] old = PackedValues.unpack(values[slot], slotCount);
        countValues(old, -1);
        BlockingKeys.Keys keys = blocking.keys(old);
        removeAbsent(keys.hashes(), NONE, slot);
        removeAbsent(narrowerIndexed(keys), NONE, slot);
        int g = goldenOf[slot];
        removeMember(g, slot);
        if (members[g] != null && members[g][0] == 0) {
          members[g] = null;
        }
        versions[slot] = GONE;
      }
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

  /** How many golden records have members (the console's dashboard), without listing them. */
  public int goldenCount() {
    lock.readLock().lock();
    try {
      int n = 0;
      for (int g = 0; g < goldenIds.size() && g < members.length; g++) {
        n += members[g] != null && members[g][0] > 0 ? 1 : 0;
      }
      return n;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The ids of every golden record with members, sorted (a stable order for long jobs that resume). */
  public List<String> goldenIdsSorted() {
    List<String> out = new ArrayList<>();
    lock.readLock().lock();
    try {
      for (int g = 0; g < goldenIds.size(); g++) {
        if (g < members.length && members[g] != null && members[g][0] > 0) {
          out.add(goldenIds.id(g));
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    out.sort(null);
    return out;
  }

  public void unmarkNotSame(String a, String b) {
    lock.writeLock().lock();
    try {
      Set<String> ofA = marks.get(a);
      Set<String> ofB = marks.get(b);
      if (ofA != null && ofA.remove(b) && ofA.isEmpty()) {
        marks.remove(a);
      }
      if (ofB != null && ofB.remove(a) && ofB.isEmpty()) {
        marks.remove(b);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private MatchRecord recordAt(int slot) {
    return new MatchRecord(sourceIds.id(slot), versions[slot], clientNames.get(clientOf[slot]),
        goldenIds.id(goldenOf[slot]), manual[slot], PackedValues.unpack(values[slot], slotCount));
  }

  private void putLocked(MatchRecord record) {
    int known = sourceIds.size();
    int slot = sourceIds.add(record.sourceId()); // one look-up whether new or not
    boolean isNew = slot == known;
    if (isNew) {
      ensureSourceCapacity(slot + 1);
    }
    // A slot taken out by forget has nothing indexed any more: filled again like a new one.
    String[][] oldValues = isNew || versions[slot] == GONE ? null : PackedValues.unpack(values[slot], slotCount);
    countValues(oldValues, -1);
    countValues(record.values(), 1);
    BlockingKeys.Keys newKeys = blocking.keys(record.values());
    int[] keys = newKeys.hashes();
    int[] narrower = narrowerIndexed(newKeys);
    int[] oldKeys = NONE;
    int[] oldNarrower = NONE;
    if (oldValues != null) {
      BlockingKeys.Keys old = blocking.keys(oldValues);
      oldKeys = old.hashes();
      oldNarrower = narrowerIndexed(old);
    }
    int golden = goldenSlot(record.goldenId());
    boolean alreadyMember = false;
    if (oldValues != null) {
      removeAbsent(oldKeys, keys, slot);
      removeAbsent(oldNarrower, narrower, slot);
      if (goldenOf[slot] != golden) {
        removeMember(goldenOf[slot], slot);
      } else {
        alreadyMember = members[golden] != null && contains(members[golden], slot);
      }
    }
    for (int k : narrower) {
      if (!inSorted(oldNarrower, k)) {
        postings.add(k, slot);
      }
    }
    values[slot] = PackedValues.pack(record.values());
    if (bulkNarrowing != null) {
      if (slot >= bulkNarrowing.length) {
        bulkNarrowing = java.util.Arrays.copyOf(bulkNarrowing, Math.max(slot + 1, values.length));
      }
      bulkNarrowing[slot] = newKeys.narrowing();
    }
    for (int i = 0; i < keys.length; i++) {
      if (!inSorted(oldKeys, keys[i])) {
        int records = postings.add(keys[i], slot);
        if (newKeys.narrowingAt()[i] >= 0) {
          noteShared(keys[i], records); // after its values are stored: a key turning common indexes this one too
        }
      }
    }
    versions[slot] = record.version();
    goldenOf[slot] = golden;
    clientOf[slot] = clientNumber(record.clientId());
    manual[slot] = record.manualLink();
    if (!alreadyMember) {
      addMember(golden, slot);
    }
  }

  /** Removes the slot from the postings of the old keys (sorted hashes) that are not among the new ones. */
  private void removeAbsent(int[] oldKeys, int[] newKeys, int slot) {
    for (int k : oldKeys) {
      if (!inSorted(newKeys, k)) {
        postings.remove(k, slot);
      }
    }
  }

  private int goldenSlot(String goldenId) {
    int g = goldenIds.add(goldenId);
    if (g >= goldenVersions.length) {
      int n = Math.max(g + 1, goldenVersions.length * 2);
      goldenVersions = java.util.Arrays.copyOf(goldenVersions, n);
      members = java.util.Arrays.copyOf(members, n);
    }
    return g;
  }

  /** Joins a golden record, bringing it back (at version 0, until a write says otherwise) if it had emptied. */
  private void addMember(int g, int slot) {
    int[] m = members[g];
    if (m == null) {
      goldenVersions[g] = 0;
      members[g] = new int[] {1, slot};
      return;
    }
    if (m[0] + 1 == m.length) {
      m = java.util.Arrays.copyOf(m, m.length * 2);
      members[g] = m;
    }
    m[++m[0]] = slot;
  }

  private void removeMember(int g, int slot) {
    int[] m = members[g];
    if (m == null) {
      return;
    }
    for (int k = 1; k <= m[0]; k++) {
      if (m[k] == slot) {
        System.arraycopy(m, k + 1, m, k, m[0] - k);
        m[0]--;
        return;
      }
    }
  }

  private static boolean contains(int[] m, int slot) {
    for (int k = 1; k <= m[0]; k++) {
      if (m[k] == slot) {
        return true;
      }
    }
    return false;
  }

  private short clientNumber(String clientId) {
    Short n = clientNumbers.get(clientId);
    if (n == null) {
      n = (short) clientNames.size();
      clientNames.add(clientId);
      clientNumbers.put(clientId, n);
    }
    return n;
  }

  private void ensureSourceCapacity(int n) {
    if (n <= values.length) {
      return;
    }
    int c = Math.max(n, values.length * 2);
    values = java.util.Arrays.copyOf(values, c);
    versions = java.util.Arrays.copyOf(versions, c);
    goldenOf = java.util.Arrays.copyOf(goldenOf, c);
    clientOf = java.util.Arrays.copyOf(clientOf, c);
    manual = java.util.Arrays.copyOf(manual, c);
  }

  /**
   * Writes the whole index, as it is, for {@link IndexSnapshot}: what a restart would otherwise rebuild from every
   * stored record. The caller makes sure no write runs meanwhile; the read lock keeps it consistent regardless.
   */
  void writeTo(SnapshotOutput out) throws java.io.IOException {
    lock.readLock().lock();
    try {
      int n = sourceIds.size();
      int g = goldenIds.size();
      out.writeInt(slotCount);
      sourceIds.writeTo(out);
      goldenIds.writeTo(out);
      postings.writeTo(out);
      common.writeTo(out);
      out.writeInt(clientNames.size());
      for (String client : clientNames) {
        out.writeString(client);
      }
      for (int slot = 0; slot < n; slot++) {
        out.writeBytes(values[slot]);
      }
      out.writeInts(versions, n);
      out.writeInts(goldenOf, n);
      out.writeShorts(clientOf, n);
      out.writeBooleans(manual, n);
      out.writeInts(goldenVersions, g);
      for (int i = 0; i < g; i++) {
        out.writeInts(members[i], members[i] == null ? 0 : members[i][0] + 1);
      }
      out.writeInt(marks.size());
      for (Map.Entry<String, Set<String>> e : marks.entrySet()) {
        out.writeString(e.getKey());
        out.writeInt(e.getValue().size());
        for (String other : e.getValue()) {
          out.writeString(other);
        }
      }
      for (Map<String, Integer> counts : valueCounts) {
        out.writeInt(counts == null ? -1 : counts.size());
        if (counts != null) {
          for (Map.Entry<String, Integer> e : counts.entrySet()) {
            out.writeString(e.getKey());
            out.writeInt(e.getValue());
          }
        }
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Fills this empty index from what {@link #writeTo} wrote (with the same rules: the caller checks). On failure
   * the index is left part-filled: throw it away.
   */
  void readFrom(SnapshotInput in) throws java.io.IOException {
    lock.writeLock().lock();
    try {
      if (sourceIds.size() > 0) {
        throw new IllegalStateException("a snapshot is read into an empty index");
      }
      if (in.readInt() != slotCount) {
        throw new java.io.IOException("the snapshot was made with other rules");
      }
      sourceIds.readFrom(in);
      goldenIds.readFrom(in);
      postings.readFrom(in);
      common.readFrom(in);
      for (int c = in.readInt(); c > 0; c--) {
        clientNumber(in.readString());
      }
      int n = sourceIds.size();
      int g = goldenIds.size();
      int capacity = Math.max(16, n);
      values = new byte[capacity][];
      for (int slot = 0; slot < n; slot++) {
        values[slot] = in.readBytes();
      }
      versions = in.readInts(capacity);
      goldenOf = in.readInts(capacity);
      clientOf = in.readShorts(capacity);
      manual = in.readBooleans(capacity);
      goldenVersions = in.readInts(Math.max(16, g));
      members = new int[goldenVersions.length][];
      for (int i = 0; i < g; i++) {
        members[i] = in.readInts(0);
      }
      for (int m = in.readInt(); m > 0; m--) {
        Set<String> others = marks.computeIfAbsent(in.readString(), k -> new HashSet<>());
        for (int k = in.readInt(); k > 0; k--) {
          others.add(in.readString());
        }
      }
      for (Map<String, Integer> counts : valueCounts) {
        int size = in.readInt();
        if ((size >= 0) != (counts != null)) {
          throw new java.io.IOException("the snapshot was made with other rules");
        }
        for (int k = 0; k < size; k++) {
          counts.put(in.readString(), in.readInt());
        }
      }
      if (versions.length < n || goldenOf.length < n || clientOf.length < n || manual.length < n) {
        throw new java.io.IOException("the snapshot's records are not well formed");
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** A blocking key's 32-bit hash (FNV-1a over its characters, then mixed). */
  static int hash(String key) {
    return mix(fnv(FNV_BASIS, key));
  }

  static final long FNV_BASIS = 0xcbf29ce484222325L;

  /** FNV-1a state after {@code text}, from state {@code h}: a key that extends another hashes on from its state. */
  static long fnv(long h, String text) {
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** The 32-bit hash of an FNV state. */
  static int mix(long h) {
    h ^= h >>> 32;
    h *= 0xd6e8feb86659fd93L;
    return (int) (h ^ (h >>> 32));
  }

  private void countValues(String[][] recordValues, int delta) {
    if (recordValues == null) {
      return;
    }
    for (int slot = 0; slot < valueCounts.length; slot++) {
      if (valueCounts[slot] != null) {
        for (String v : recordValues[slot]) {
          valueCounts[slot].merge(v, delta, (x, y) -> x + y == 0 ? null : x + y);
        }
      }
    }
  }
}
