package org.clientregistry.linking;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.identity.IdentityDomains;
import org.clientregistry.matching.MatchRecord;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Which person an identifier names. Only an assigner's identifier establishes identity: a record of a client that
 * does not assign the domain merely claims it (a claim is matched on, never resolved through). When the records
 * assigning the identifier belong to two persons, that is a conflict for an administrator, never a guess.
 */
public final class IdentityResolver {
  private final PatientStore store;
  private final Supplier<MatchingState> matching;

  public IdentityResolver(PatientStore store, Supplier<MatchingState> matching) {
    this.store = store;
    this.matching = matching;
  }

  public IdentityResolver observed(org.clientregistry.calls.CallLog log) {
    return new IdentityResolver(store.observed(log), matching);
  }

  /**
   * The golden record id of the person {@code system|value} (system already canonical) identifies; empty when no
   * assigner's record carries it; a 409 ({@code multiple-matches}) when the assigners' records are two persons'.
   */
  public Future<Optional<String>> goldenOf(IdentityDomains domains, String system, String value) {
    return store.sourcesByIdentifier(system, value).map(records -> {
      Set<String> goldens = new LinkedHashSet<>();
      for (SourceRecord r : records) {
        if (domains.authoritative(r.clientId(), system) && r.goldenId() != null) {
          goldens.add(r.goldenId());
        }
      }
      if (goldens.size() > 1) {
        throw new FhirException(409, IssueType.MULTIPLEMATCHES, "The identifier is assigned to " + goldens.size()
            + " different persons (golden records " + String.join(", ", goldens) + "); an administrator must "
            + "merge them or correct the records");
      }
      return goldens.stream().findFirst();
    });
  }

  /** The owning client of each source record: from the matching index, else read from the store. */
  public Future<Map<String, String>> owners(List<String> sourceIds) {
    Map<String, String> owners = new HashMap<>();
    List<String> unknown = new ArrayList<>();
    var index = matching.get().index();
    for (String id : sourceIds) {
      Optional<MatchRecord> r = index.record(id);
      if (r.isPresent()) {
        owners.put(id, r.get().clientId());
      } else {
        unknown.add(id);
      }
    }
    return sources(unknown).map(records -> {
      records.forEach(r -> owners.put(r.id(), r.clientId()));
      return owners;
    });
  }

  /** The linked ones among these records, as stored (one search on a FHIR server). */
  private Future<List<SourceRecord>> sources(List<String> ids) {
    return ids.isEmpty() ? Future.succeededFuture(List.of())
        : store.current(ids, List.of()).map(PatientStore.Current::sources);
  }
}
