package org.clientregistry.store.fhirserver;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.clientregistry.store.DateCriterion;
import org.clientregistry.store.DemographicSearch;
import org.clientregistry.store.DemographicSearch.Clause;

/**
 * PDQm on the FHIR server: the server's own Patient search with the registry's parameters, restricted to linked
 * source records, with the two ways HAPI FHIR needs dates asked (partial bounds as full dates, alternatives of
 * prefixed dates as one search each).
 */
final class DemographicSearches {
  /**
   * A FHIR server searches {@code active} as well; {@code mothersMaidenName} and {@code mother-identifier} once the
   * SearchParameters the registry defines there are in force (ServerSearchParameters).
   */
  static final List<String> PARAMETERS = Stream.concat(DemographicSearch.PARAMETERS.stream(), Stream.of("active"))
      .toList();

  private final FhirServerStore store;

  DemographicSearches(FhirServerStore store) {
    this.store = store;
  }

  /**
   * A partial-date bound as the full date it means ({@code gt1990} is {@code ge1991-01-01}): HAPI FHIR finds nothing
   * for two partial bounds together ({@code ge1990&lt1991}) although each alone works. eq and ne stay as sent.
   */
  private static String fullDate(String value) {
    DateCriterion d = DateCriterion.parse(value);
    boolean partial = !value.matches(".*\\d{4}-\\d{2}-\\d{2}");
    return !partial ? value : switch (d.prefix()) {
      case "ge" -> "ge" + d.start();
      case "gt" -> "ge" + d.end();
      case "lt" -> "lt" + d.start();
      case "le" -> "lt" + d.end();
      default -> value;
    };
  }

  Future<List<String>> searchSources(List<Clause> clauses, int limit) {
    // HAPI FHIR refuses alternatives of prefixed dates (birthdate=lt1990,gt2000): one search per alternative.
    for (int i = 0; i < clauses.size(); i++) {
      Clause c = clauses.get(i);
      if (c.parameter().equals("birthdate") && c.values().size() > 1) {
        int at = i;
        List<Future<List<String>>> each = c.values().stream().map(v -> {
          List<Clause> one = new ArrayList<>(clauses);
          one.set(at, new Clause(c.parameter(), c.exact(), List.of(v)));
          return searchSources(one, limit);
        }).toList();
        return Future.all(each).map(all -> each.stream().flatMap(f -> f.result().stream()).distinct().sorted()
            .limit(limit).toList());
      }
    }
    StringBuilder query = new StringBuilder("/Patient?_sort=_id&_count=").append(limit);
    for (Clause c : clauses) {
      List<String> values = c.parameter().equals("birthdate")
          ? c.values().stream().map(DemographicSearches::fullDate).toList() : c.values();
      query.append('&').append(c.parameter()).append(c.exact() ? ":exact" : "").append('=')
          .append(FhirServerStore.enc(String.join(",", values)));
    }
    List<String> defined = clauses.stream().map(Clause::parameter).filter(ServerSearchParameters::defines).toList();
    return store.search("FHIR: demographic search", query + goldensLeftOut(clauses))
        .onFailure(e -> {
          if (!defined.isEmpty()) {
            store.searchParametersFailed(defined); // deleted on the server since? then defined again
          }
        })
        .map(patients -> patients.stream().filter(RegistryResources::isLinkedSource)
            .map(p -> p.getIdElement().getIdPart()).toList());
  }

  /**
   * Golden records on the server hold no demographics, only the CRUID and links: a search finds one only by an
   * identifier of any system (or the CRUID's). Only such a search leaves them out with _tag:not, which HAPI FHIR
   * runs as a NOT IN over every golden record on the server; the others would page past none.
   */
  private String goldensLeftOut(List<Clause> clauses) {
    boolean couldFindOne = clauses.isEmpty() || clauses.stream().filter(c -> c.parameter().equals("identifier"))
        .flatMap(c -> c.values().stream())
        .anyMatch(v -> v.indexOf('|') < 0 || store.resources().goldenIdentifier(v.substring(0, v.indexOf('|'))));
    return couldFindOne ? FhirServerStore.NOT_GOLDEN : "";
  }
}
