package org.clientregistry.linking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.config.Role;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.DecisionRulesParser;
import org.clientregistry.store.ReviewItem;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** When the candidate cap cuts a search, the submission still links what it saw and a review item says so. */
class CandidateCapTest {
  private static final String SYSTEM = "http://clientregistry.org/openmrs";
  private static final ClientConfig CLIENT = new ClientConfig("openmrs", "OpenMRS", List.of(SYSTEM), Set.of(Role.POS));

  @Test
  void aCappedSearchRaisesAReviewItem() {
    DecisionRules rules = DecisionRulesParser.parse(Path.of("config", "decision-rules.json"),
        FieldExtractor::validate);
    int cap = 3;
    MatchingState state = MatchingState.of(rules, cap);
    Linker linker = new Linker(state.index(), state.matcher(), cap);
    SubmissionPreparer preparer = new SubmissionPreparer(state.extractor(), rules, state.index());
    // Six different people who share given name, family name and sex (one blocking key), each with own birth date.
    for (int i = 0; i < 6; i++) {
      linker.linkInMemory(CLIENT.id(), List.of(preparer.prepare(CLIENT, patient("cap-" + i, "1980-01-0" + (i + 1)),
          null)));
    }
    assertEquals(6, state.index().size());
    PreparedSubmission next = preparer.prepare(CLIENT, patient("cap-next", "1980-02-01"), null);
    Linker.Planned planned = linker.plan(CLIENT.id(), List.of(next), List.of(Optional.empty()));
    List<ReviewItem> reviews = planned.commit().changes().reviews();
    assertTrue(reviews.stream().anyMatch(r -> r.reason().contains("candidate cap reached")), reviews.toString());
    assertTrue(state.index().stats().capped() > 0, "the capped search is counted for /metrics");
  }

  private static Patient patient(String id, String birthDate) {
    Patient p = new Patient();
    p.addIdentifier().setSystem(SYSTEM).setValue(id);
    p.addName().setFamily("Okello").addGiven("Grace");
    p.setGender(AdministrativeGender.FEMALE);
    p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birthDate));
    return p;
  }
}
