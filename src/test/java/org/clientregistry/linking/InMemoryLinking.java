package org.clientregistry.linking;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.config.Role;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.matching.DecisionRulesParser;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;

/** The shipped decision rules, an index and a linker without a store: for tests of what linking does in memory. */
record InMemoryLinking(MatchingState state, Linker linker, SubmissionPreparer preparer) {
  static final String SYSTEM = "http://clientregistry.org/openmrs";
  static final ClientConfig CLIENT = new ClientConfig("openmrs", "OpenMRS", List.of(SYSTEM), Set.of(Role.POS));

  /** With this candidate cap. */
  static InMemoryLinking of(int cap) {
    MatchingState state = MatchingState.of(DecisionRulesParser.parse(Path.of("config", "decision-rules.json"),
        FieldExtractor::validate), cap);
    return new InMemoryLinking(state, new Linker(state.index(), state.matcher(), cap),
        new SubmissionPreparer(state.extractor(), state.rules(), state.index()));
  }

  /** Links a record of {@link #CLIENT} and answers it as stored. */
  SourceRecord link(Patient p) {
    return linker.linkInMemory(CLIENT.id(), List.of(prepare(p))).get(0).record();
  }

  PreparedSubmission prepare(Patient p) {
    return preparer.prepare(CLIENT, p, null);
  }

  /** A female patient of {@link #CLIENT}. */
  static Patient patient(String id, String given, String family, String birthDate) {
    Patient p = new Patient();
    p.addIdentifier().setSystem(SYSTEM).setValue(id);
    p.addName().setFamily(family).addGiven(given);
    p.setGender(AdministrativeGender.FEMALE);
    p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birthDate));
    return p;
  }
}
