package org.clientregistry.linking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.config.Role;
import org.clientregistry.fhir.FieldExtractor;
import org.clientregistry.matching.BridgePolicy;
import org.clientregistry.matching.DecisionRules;
import org.clientregistry.matching.DecisionRulesParser;
import org.clientregistry.matching.RulesException;
import org.clientregistry.store.ReviewItem;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * A new record is compared with every member of the golden records it auto-matches: it never joins one whose
 * members disagree with it, and golden records it bridges are merged or reviewed by the rules' bridge policy.
 */
class BridgingTest {
  private static final String SYSTEM = "http://clientregistry.org/openmrs";
  private static final ClientConfig CLIENT = new ClientConfig("openmrs", "OpenMRS", List.of(SYSTEM), Set.of(Role.POS));

  /** Five exact fields of weight 1: three agreeing link, two are a review. */
  private static String rules(String bridges) {
    String field = "{\"algorithm\": \"exact\", \"weight\": 1, \"fhirpath\": \"%s\"}";
    return "{" + (bridges == null ? "" : "\"bridges\": \"" + bridges + "\", ") + "\"rules\": [{\"name\": \"five\","
        + " \"matchingType\": \"deterministic\", \"fields\": {"
        + "\"given\": " + field.formatted("name.given") + ", \"family\": " + field.formatted("name.family")
        + ", \"birthDate\": " + field.formatted("birthDate")
        + ", \"phone\": " + field.formatted("telecom.value")
        + ", \"nid\": " + field.formatted("identifier.where(system='http://clientregistry.org/nid').value")
        + "}, \"potentialMatchThreshold\": 2, \"autoMatchThreshold\": 3}]}";
  }

  private static final class Registry {
    final MatchingState state;
    final Linker linker;
    final SubmissionPreparer preparer;
    final java.util.Map<String, String> sourceIds = new java.util.HashMap<>();

    Registry(String bridges) {
      DecisionRules rules = DecisionRulesParser.parse(rules(bridges), FieldExtractor::validate);
      state = MatchingState.of(rules, 100);
      linker = new Linker(state.index(), state.matcher(), 100);
      preparer = new SubmissionPreparer(state.extractor(), rules, state.index());
    }

    /** Links one record and returns its review items. */
    List<ReviewItem> submit(String id, String given, String family, String birthDate, String phone, String nid) {
      PreparedSubmission s = preparer.prepare(CLIENT, patient(id, given, family, birthDate, phone, nid), null);
      Linker.Planned planned = linker.plan(CLIENT.id(), List.of(s), List.of(Optional.empty()));
      linker.apply(planned.commit());
      sourceIds.put(id, planned.results().get(0).record().id());
      return planned.commit().changes().reviews();
    }

    String golden(String id) {
      return state.index().record(sourceIds.get(id)).orElseThrow().goldenId();
    }
  }

  @Test
  void theBridgePolicyIsReadFromTheRulesAndDefaultsToReview() {
    assertEquals(BridgePolicy.REVIEW, DecisionRulesParser.parse(rules(null), FieldExtractor::validate).bridges());
    assertEquals(BridgePolicy.MERGE, DecisionRulesParser.parse(rules("merge"), FieldExtractor::validate).bridges());
    assertThrows(RulesException.class, () -> DecisionRulesParser.parse(rules("sometimes"), FieldExtractor::validate));
  }

  @Test
  void aRecordNeverJoinsAGoldenRecordWhoseOtherMembersDisagreeWithIt() {
    Registry r = new Registry(null);
    r.submit("a", "Ann", "Lee", "1990-01-01", "111", "N1");
    r.submit("b", "Ann", "Lee", "1990-01-01", "222", "N2"); // names and birth date: linked to a
    assertEquals(r.golden("a"), r.golden("b"));
    // c auto-matches b (family, phone, national id) but shares only the family name with a.
    List<ReviewItem> reviews = r.submit("c", "Tom", "Lee", "1975-05-05", "222", "N2");
    assertNotEquals(r.golden("a"), r.golden("c"));
    assertTrue(reviews.stream().anyMatch(i -> i.goldenId().equals(r.golden("a"))
        && i.reason().contains("other members of that golden record")), reviews.toString());
  }

  @Test
  void underReviewABridgingRecordJoinsTheBestGoldenRecordAndFlagsTheOther() {
    Registry r = new Registry("review");
    bridge(r);
    assertNotEquals(r.golden("p"), r.golden("q"), "not merged");
    assertTrue(r.golden("r").equals(r.golden("p")) || r.golden("r").equals(r.golden("q")));
  }

  @Test
  void underMergeAgreeingBridgedGoldenRecordsBecomeOneWhateverTheOrder() {
    Registry first = new Registry("merge");
    List<ReviewItem> reviews = bridge(first);
    assertEquals(first.golden("p"), first.golden("q"));
    assertEquals(first.golden("p"), first.golden("r"));
    assertTrue(reviews.stream().noneMatch(i -> i.reason().contains("possible duplicate")), reviews.toString());
    // The bridge first: p and q then join it one after the other, the same single golden record.
    Registry second = new Registry("merge");
    second.submit("r", "Ann", "Lee", "1990-01-01", "222", "N9");
    second.submit("p", "Ann", "Lee", "1990-01-01", "111", "N1");
    second.submit("q", "Ann", "Lee", "1991-11-11", "222", "N2");
    assertEquals(second.golden("p"), second.golden("q"));
    assertEquals(second.golden("p"), second.golden("r"));
  }

  @Test
  void underMergeGoldenRecordsThatDisagreeAcrossAreNotMerged() {
    Registry r = new Registry("merge");
    r.submit("p", "Ann", "Lee", "1990-01-01", "111", "N1");
    r.submit("q", "Bea", "Ng", "1990-01-01", "222", "N9"); // shares only the birth date with p
    // s auto-matches p (names, birth date) and q (birth date, phone, national id); p and q disagree.
    List<ReviewItem> reviews = r.submit("s", "Ann", "Lee", "1990-01-01", "222", "N9");
    assertNotEquals(r.golden("p"), r.golden("q"));
    assertTrue(reviews.stream().anyMatch(i -> i.reason().contains("possible duplicate")), reviews.toString());
  }

  /** p and q share names only (2: a review); r auto-matches both (3 each). Returns r's review items. */
  private static List<ReviewItem> bridge(Registry r) {
    r.submit("p", "Ann", "Lee", "1990-01-01", "111", "N1");
    r.submit("q", "Ann", "Lee", "1991-11-11", "222", "N2");
    assertNotEquals(r.golden("p"), r.golden("q"));
    return r.submit("r", "Ann", "Lee", "1990-01-01", "222", "N9");
  }

  private static Patient patient(String id, String given, String family, String birthDate, String phone,
                                 String nid) {
    Patient p = new Patient();
    p.addIdentifier().setSystem(SYSTEM).setValue(id);
    p.addIdentifier().setSystem("http://clientregistry.org/nid").setValue(nid);
    p.addName().setFamily(family).addGiven(given);
    p.setBirthDateElement(new DateType(birthDate));
    p.addTelecom().setValue(phone);
    return p;
  }
}
