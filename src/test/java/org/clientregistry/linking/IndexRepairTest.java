package org.clientregistry.linking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.config.Role;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.DecisionRulesParser;
import org.clientregistry.matching.MatchIndex;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.store.PatientStore;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** What another replica's writes, seen by a submission's look, bring to the index. */
class IndexRepairTest {
  private static final String SYSTEM = "http://clientregistry.org/openmrs";
  private static final ClientConfig CLIENT = new ClientConfig("openmrs", "OpenMRS", List.of(SYSTEM), Set.of(Role.POS));

  @Test
  void aGoldenRecordEmptiedByAMergeIsNoNewsToLaterLooks() {
    DecisionRules rules = DecisionRulesParser.parse(Path.of("config", "decision-rules.json"),
        FieldExtractor::validate);
    MatchingState state = MatchingState.of(rules, 100);
    Linker linker = new Linker(state.index(), state.matcher(), 100);
    SubmissionPreparer preparer = new SubmissionPreparer(state.extractor(), rules, state.index());
    String one = linker.linkInMemory(CLIENT.id(), List.of(preparer.prepare(CLIENT,
        patient("r-1", "Grace", "Okello", "1980-01-01"), null))).get(0).record().id();
    String two = linker.linkInMemory(CLIENT.id(), List.of(preparer.prepare(CLIENT,
        patient("r-2", "Peter", "Mukasa", "1975-05-05"), null))).get(0).record().id();
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
    DecisionRules rules = DecisionRulesParser.parse(Path.of("config", "decision-rules.json"),
        FieldExtractor::validate);
    MatchingState state = MatchingState.of(rules, 100);
    Linker linker = new Linker(state.index(), state.matcher(), 100);
    SubmissionPreparer preparer = new SubmissionPreparer(state.extractor(), rules, state.index());
    var held = linker.linkInMemory(CLIENT.id(), List.of(preparer.prepare(CLIENT,
        patient("r-3", "Grace", "Okello", "1980-01-01"), null))).get(0).record();
    long before = state.lost().mark();
    state.lost().forget(state.index(), List.of(held.id()));
    long after = state.lost().mark();
    assertFalse(state.index().contains(held.id()));
    assertTrue(state.lost().since(before, held.id(), held.version()), "a read from before the loss");
    assertFalse(state.lost().since(before, held.id(), held.version() + 1), "a later write of the record");
    assertFalse(state.lost().since(after, held.id(), held.version()), "a read after the loss: made again");
    assertFalse(state.lost().since(before, "another", 1));
  }

  private static Patient patient(String id, String given, String family, String birthDate) {
    Patient p = new Patient();
    p.addIdentifier().setSystem(SYSTEM).setValue(id);
    p.addName().setFamily(family).addGiven(given);
    p.setGender(AdministrativeGender.FEMALE);
    p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birthDate));
    return p;
  }
}
