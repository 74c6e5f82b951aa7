package org.clientregistry.console;

import org.clientregistry.fhir.FhirException;

/** Record ids from paths and forms: {@code Patient/<id>} or a bare id, of the characters ids are made of. */
final class Ids {
  private Ids() {}

  static String check(String value) {
    String v = value == null ? "" : value.trim();
    if (v.startsWith("Patient/")) {
      v = v.substring("Patient/".length());
    }
    if (!v.matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw FhirException.badRequest("Not a record id");
    }
    return v;
  }
}
