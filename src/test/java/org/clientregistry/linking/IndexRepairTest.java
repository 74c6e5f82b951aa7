package org.clientregistry.linking;

import static org.clientregistry.linking.InMemoryLinking.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.SourceRecord;
import org.junit.jupiter.api.Test;

/** What another replica's writes, seen by a submission's look, bring to the index; what a lost record keeps out. */
class IndexRepairTest {

  @Test
  void aGoldenRecordEmptiedByAMergeIsNoNewsToLaterLooks() {
    InMemoryLinking linking = InMemoryLinking.of(100);
    MatchingState state = linking.state();
    String one = linking.link(patient("r-1", "Grace", "Okello", "1980-01-01")).id();
    String two = linking.link(patient("r-2", "Peter", "Mukasa", "1975-05-05")).id();
    MatchIndex index = state.index();
    MatchRecord moved = index.record(one).orElseThrow();
    String emptied = moved.goldenId();
    String kept = index.record(two).orElseThrow().goldenId();
    // Another replica merged record one into record two's golden record: the first golden record, emptied, is gone.
    int emptiedVersion = index.goldenVersion(emptied) + 1;
    index.apply(List.of(new MatchRecord(one, moved.version() + 1, moved.clientId(), kept, true, moved.values())),
        Map.of(emptied, emptiedVersion, kept, index.goldenVersion(kept) + 1));
    assertEquals(0, index.goldenVersion(emptied), "an emptied golden record is not held");

    // A later look sees the emptied golden record (written lately): nothing new for the index.
    assertEquals(Optional.empty(), IndexRepair.newer(state, List.of(),
        List.of(new PatientStore.GoldenVersion(emptied, emptiedVersion)), state.lost().mark()));
    // A golden record the index holds at an older version is news.
    assertTrue(IndexRepair.newer(state, List.of(), List.of(new PatientStore.GoldenVersion(kept,
        index.goldenVersion(kept) + 1)), state.lost().mark()).isPresent());
  }

  @Test
  void aRecordTakenOutAsLostIsRefusedOnlyToReadsThatBeganBefore() {
    InMemoryLinking linking = InMemoryLinking.of(100);
    MatchingState state = linking.state();
    SourceRecord held = linking.link(patient("r-3", "Grace", "Okello", "1980-01-01"));
    long before = state.lost().mark();
    state.lost().forget(state.index(), List.of(held.id()));
    long after = state.lost().mark();
    assertFalse(state.index().contains(held.id()));
    assertTrue(state.lost().since(before, held.id(), held.version()), "a read from before the loss");
    assertFalse(state.lost().since(before, held.id(), held.version() + 1), "a later write of the record");
    assertFalse(state.lost().since(after, held.id(), held.version()), "a read after the loss: made again");
    assertFalse(state.lost().since(before, "another", 1));
  }
}
