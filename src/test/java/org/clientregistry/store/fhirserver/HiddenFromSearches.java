package org.clientregistry.store.fhirserver;

import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/**
 * A hook into the HAPI test server that leaves out of the replicas' look for each other's new records (the search with
 * {@code _tag:not} that ends a transaction) the Patients whose identifier starts with a prefix, and the golden
 * records linking to them: while it is registered, a replica's search inside its transaction cannot see what
 * another replica wrote, as when both transactions search before either commits (the window of
 * docs/storage.md, replicas, which an in-memory H2 database, locking whole tables, never lets two transactions
 * reach at once).
 */
final class HiddenFromSearches implements ServerHooks {
  private final String prefix;

  HiddenFromSearches(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public void shown(IPreResourceShowDetails details, ca.uhn.fhir.rest.api.server.RequestDetails request) {
    if (request == null || !request.getParameters().containsKey("_tag:not")) {
      return; // only the replicas' look for each other's new records is blinded, not reads by id or history
    }
    Set<String> sources = new HashSet<>();
    for (int i = 0; i < details.size(); i++) {
      if (details.getResource(i) instanceof Patient p && watched(p)) {
        sources.add("Patient/" + p.getIdElement().getIdPart());
        leaveOut(details, i);
      }
    }
    for (int i = 0; i < details.size(); i++) {
      IBaseResource r = details.getResource(i);
      if (r instanceof Patient p && p.getLink().stream().anyMatch(l -> sources.contains(l.getOther().getReference()))) {
        leaveOut(details, i);
      }
    }
  }

  private boolean watched(Patient p) {
    for (Identifier id : p.getIdentifier()) {
      if (id.getValue() != null && id.getValue().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private void leaveOut(IPreResourceShowDetails details, int i) {
    details.setResource(i, null);
  }
}
