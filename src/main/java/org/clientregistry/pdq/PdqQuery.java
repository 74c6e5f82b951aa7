package org.clientregistry.pdq;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.identity.IdentityDomains;
import org.clientregistry.store.DemographicSearch;
import org.clientregistry.store.DemographicSearch.Clause;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * A PDQm (ITI-78) query, checked: the store's search clauses, the ids asked for ({@code _id}, or identifiers in the
 * CRUID system), the identity domains whose identifiers the answer may carry ({@code identifier=system|}), paging.
 */
record PdqQuery(List<Clause> clauses, Set<String> ids, Set<String> domains, int count, int offset) {
  static final int DEFAULT_COUNT = 20;
  static final int MAX_COUNT = 100;
  private static final Set<String> CONTROL = Set.of("_id", "_count", "_offset", "_format");
  private static final Set<String> EXACT_ALLOWED = Set.of("family", "given", "address", "address-city",
      "address-state", "address-postalcode", "address-country", "mothersMaidenName");
  private static final Set<String> GENDERS = Set.of("male", "female", "other", "unknown");

  static PdqQuery parse(MultiMap params, IdentityDomains domains, String cruidSystem) {
    return parse(params, domains, cruidSystem, DemographicSearch.PARAMETERS);
  }

  /** @param supported the search parameters of the store in use */
  static PdqQuery parse(MultiMap params, IdentityDomains domains, String cruidSystem, List<String> supported) {
    List<Clause> clauses = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    Set<String> wanted = new LinkedHashSet<>();
    for (Map.Entry<String, String> e : params) {
      String name = e.getKey();
      String parameter = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
      String modifier = name.contains(":") ? name.substring(name.indexOf(':') + 1) : null;
      if (!CONTROL.contains(parameter) && !supported.contains(parameter)) {
        throw FhirException.badRequest("Unknown search parameter '" + name + "'; supported: _id, "
            + String.join(", ", supported) + ", _count, _offset");
      }
      if (modifier != null && !(modifier.equals("exact") && EXACT_ALLOWED.contains(parameter))) {
        throw FhirException.badRequest("Modifier ':" + modifier + "' is not supported on " + parameter);
      }
      List<String> values = Arrays.stream(e.getValue().split(",")).map(String::trim).toList();
      if (CONTROL.contains(parameter)) {
        if (parameter.equals("_id")) {
          values.stream().filter(v -> !v.isEmpty()).forEach(ids::add);
        }
        continue;
      }
      if (values.stream().anyMatch(String::isEmpty) && !parameter.equals("identifier")) {
        throw FhirException.badRequest("Search parameter '" + name + "' has an empty value");
      }
      switch (parameter) {
        case "identifier" -> values = identifiers(values, domains, cruidSystem, ids, wanted);
        case DemographicSearch.MOTHER_IDENTIFIER -> values = motherIdentifiers(values, domains);
        case "birthdate" -> values.forEach(PdqQuery::date);
        case "active" -> values.stream().filter(a -> !a.equals("true") && !a.equals("false")).findFirst()
            .ifPresent(a -> {
              throw FhirException.badRequest("active must be true or false, got '" + a + "'");
            });
        case "gender" -> values.stream().filter(g -> !GENDERS.contains(g)).findFirst().ifPresent(g -> {
          throw FhirException.badRequest("gender must be one of " + GENDERS + ", got '" + g + "'");
        });
        default -> { }
      }
      if (!values.isEmpty()) {
        clauses.add(new Clause(parameter, modifier != null, values));
      }
    }
    if (clauses.isEmpty() && ids.isEmpty()) {
      throw FhirException.badRequest("A patient search needs at least one criterion (family, given, birthdate, "
          + "identifier, _id, ...)");
    }
    return new PdqQuery(clauses, ids, wanted, integer(params, "_count", DEFAULT_COUNT, 1, MAX_COUNT),
        integer(params, "_offset", 0, 0, Integer.MAX_VALUE));
  }

  /**
   * {@code system|value} criteria (the system canonical), {@code value} in any system, {@code system|} a domain the
   * answer's identifiers are restricted to (ITI-78: an unknown one is 404), a CRUID an id.
   */
  private static List<String> identifiers(List<String> values, IdentityDomains domains, String cruidSystem,
                                          Set<String> ids, Set<String> wanted) {
    List<String> criteria = new ArrayList<>();
    for (String v : values) {
      int bar = v.indexOf('|');
      String system = bar < 0 ? null : domains.canonical(v.substring(0, bar));
      String value = bar < 0 ? v : v.substring(bar + 1);
      if (system != null && value.isEmpty()) {
        if (!system.equals(cruidSystem) && domains.domain(system).isEmpty()) {
          throw new FhirException(404, IssueType.CODEINVALID, "targetSystem not found");
        }
        wanted.add(system);
      } else if (value.isEmpty()) {
        throw FhirException.badRequest("identifier needs a value, system|value or system|");
      } else if (cruidSystem.equals(system)) {
        ids.add(value);
      } else {
        criteria.add(system == null ? value : system + "|" + value);
      }
    }
    return criteria;
  }

  /**
   * {@code system|value} or {@code value}; a known domain's system in both of its forms (URL and {@code urn:oid:}),
   * as a contact keeps the mother's identifiers as the message sent them.
   */
  private static List<String> motherIdentifiers(List<String> values, IdentityDomains domains) {
    List<String> criteria = new ArrayList<>();
    for (String v : values) {
      int bar = v.indexOf('|');
      String value = v.substring(bar + 1);
      if (value.isEmpty() || bar == 0) {
        throw FhirException.badRequest(DemographicSearch.MOTHER_IDENTIFIER + " needs system|value or value");
      }
      if (bar < 0) {
        criteria.add(value);
        continue;
      }
      String system = domains.canonical(v.substring(0, bar));
      criteria.add(system + "|" + value);
      domains.domain(system).map(org.clientregistry.identity.IdentityDomain::oid)
          .ifPresent(oid -> criteria.add(oid + "|" + value));
    }
    return criteria;
  }

  /** Checks a birthdate value (prefix, partial date); stores take it as it is. */
  private static void date(String v) {
    try {
      org.clientregistry.store.DateCriterion.parse(v);
    } catch (IllegalArgumentException e) {
      throw FhirException.badRequest(e.getMessage());
    }
  }

  private static int integer(MultiMap params, String name, int otherwise, int min, int max) {
    String v = params.get(name);
    if (v == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw FhirException.badRequest(name + " must be from " + min + " to " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw FhirException.badRequest(name + " must be a whole number");
    }
  }
}
