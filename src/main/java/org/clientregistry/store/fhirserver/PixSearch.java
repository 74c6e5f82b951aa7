package org.clientregistry.store.fhirserver;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.clientregistry.store.GoldenRecord;
import org.clientregistry.store.PatientStore.Person;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;

/**
 * A PIX answer's person in one search (the store-independent way takes four round trips): the source records
 * carrying the identifier, or the golden record of a CRUID, with {@code _include:iterate=Patient:link} bringing
 * their golden record, a replaced-by survivor and every member (each links to the next). Whatever the server's
 * include did not bring (a server capping includes per page) is read the long way.
 */
final class PixSearch {
  private final FhirServerStore store;

  PixSearch(FhirServerStore store) {
    this.store = store;
  }

  Future<Optional<Person>> person(String system, String value, boolean cruid, int maxHops,
                                  Supplier<Future<Optional<Person>>> longWay) {
    if (cruid && !value.matches(FhirServerStore.ID)) {
      return Future.succeededFuture(Optional.empty());
    }
    // Golden records carry the CRUID alone, so another system's identifier finds none without _tag:not (which HAPI
    // FHIR runs as a NOT IN over every golden record on the server, at every query).
    String query = "/Patient?" + (cruid ? "_id=" + FhirServerStore.enc(value)
        : "identifier=" + FhirServerStore.token(system, value))
        + "&_include:iterate=Patient:link&_count=" + store.pageSize();
    return store.onePage("FHIR: find a person for PIX", query).compose(bundle -> {
      Map<String, Patient> found = new HashMap<>();
      Optional<String> first = Optional.empty();
      for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
        if (e.getResource() instanceof Patient p) {
          String id = p.getIdElement().getIdPart();
          found.put(id, p);
          boolean match = e.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE;
          if (match && !cruid && RegistryResources.isLinkedSource(p) && first.map(f -> id.compareTo(f) < 0)
              .orElse(true)) {
            first = Optional.of(id); // the default way takes the lowest id too
          }
        }
      }
      Optional<String> goldenId = cruid ? Optional.of(value)
          : first.map(id -> store.resources().source(found.get(id)).goldenId());
      if (goldenId.isEmpty()) {
        return Future.succeededFuture(Optional.<Person>empty());
      }
      Optional<GoldenRecord> golden = golden(found, goldenId.get());
      for (int hops = maxHops; golden.isPresent() && golden.get().replacedBy() != null && hops > 0; hops--) {
        if (!found.containsKey(golden.get().replacedBy())) {
          return longWay.get();
        }
        golden = golden(found, golden.get().replacedBy());
      }
      if (golden.isEmpty()) {
        return cruid || found.containsKey(goldenId.get()) ? Future.succeededFuture(Optional.<Person>empty())
            : longWay.get();
      }
      List<String> members = golden.get().memberIds();
      if (!members.stream().allMatch(found::containsKey)) {
        return longWay.get();
      }
      return Future.succeededFuture(Optional.of(new Person(golden.get(), FhirServerStore.identifiers(members,
          found))));
    });
  }

  private Optional<GoldenRecord> golden(Map<String, Patient> found, String id) {
    return Optional.ofNullable(found.get(id)).filter(RegistryResources::isGolden).map(store.resources()::golden);
  }
}
