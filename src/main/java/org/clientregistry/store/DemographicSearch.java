package org.clientregistry.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * Demographic search over source records (PDQm), for stores that can do it. Kept out of {@link PatientStore} so
 * that a store without it still serves everything else.
 */
public interface DemographicSearch {

  /**
   * One FHIR search parameter of Patient: {@code values} are alternatives (a comma-separated list); several clauses
   * must all hold. {@code exact}: the {@code :exact} modifier (whole value, case-sensitive) instead of FHIR's default
   * string match (starts with, ignoring case).
   */
  record Clause(String parameter, boolean exact, List<String> values) {}

  /** The parameters every store that searches supports. */
  List<String> PARAMETERS = List.of("family", "given", "birthdate", "gender", "identifier", "telecom",
      "address", "address-city", "address-state", "address-postalcode", "address-country");

  /** The parameters this store searches: {@link #PARAMETERS} and those it adds (active, mothersMaidenName). */
  default List<String> parameters() {
    return PARAMETERS;
  }

  /** The ITI-78 extension behind {@code mothersMaidenName}. */
  String MOTHERS_MAIDEN_NAME = "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName";

  /**
   * Not in PDQm (which has no search by a related person): the identifier of a newborn's mother, kept by a PMIR
   * feed in the extension {@link #RELATED_IDENTIFIER} of a contact whose relationship is a mother's (OHIE-CR-05).
   */
  String MOTHER_IDENTIFIER = "mother-identifier";
  /** Where a contact made from a RelatedPerson keeps that person's identifiers (Patient.contact has none). */
  String RELATED_IDENTIFIER = "http://openclientregistry.org/fhir/StructureDefinition/related-person-identifier";
  /** The relationship codes (HL7 v3 RoleCode, v2 table 0063) that make a contact a mother. */
  List<String> MOTHER_CODES = List.of("MTH", "NMTH", "GESTM", "ADOPTM", "STPMTH", "FMTH");

  /** Ids of the source records matching every clause, at most {@code limit}, in a stable order. */
  Future<List<String>> searchSources(List<Clause> clauses, int limit);
}
