package org.clientregistry.linking;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.store.GoldenRecord;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;

/**
 * IHE PIXm (ITI-83): from one identifier to every identifier of the same person, the CRUID, and references to each
 * linked record. Identifiers only: no demographics leave the registry this way.
 */
public final class PixService {
  private static final int MAX_REPLACED_BY_HOPS = 16;

  private final PatientStore store;
  private final String cruidSystem;
  private final java.util.function.Supplier<Set<String>> configuredSystems;

  public PixService(PatientStore store, String cruidSystem,
                    java.util.function.Supplier<Set<String>> configuredSystems) {
    this.store = store;
    this.cruidSystem = cruidSystem;
    this.configuredSystems = configuredSystems;
  }

  /** The same service, its store calls recorded in {@code log}. */
  public PixService observed(org.clientregistry.calls.CallLog log) {
    return new PixService(store.observed(log), cruidSystem, configuredSystems);
  }

  public Future<Parameters> lookup(String sourceIdentifier, List<String> targetSystems) {
    Identifier source = parse(sourceIdentifier);
    return checkTargetSystems(targetSystems)
        .compose(v -> goldenIdOf(source))
        .compose(goldenId -> resolve(goldenId, 0))
        .compose(golden -> store.identifiersOf(golden.memberIds())
            .map(ids -> answer(source, targetSystems, golden, ids)));
  }

  private static Identifier parse(String sourceIdentifier) {
    if (sourceIdentifier == null) {
      throw FhirException.badRequest("sourceIdentifier is required, as system|value");
    }
    int bar = sourceIdentifier.indexOf('|');
    if (bar <= 0 || bar == sourceIdentifier.length() - 1) {
      throw FhirException.badRequest("sourceIdentifier must be system|value with both parts, got '"
          + sourceIdentifier + "'");
    }
    return new Identifier().setSystem(sourceIdentifier.substring(0, bar))
        .setValue(sourceIdentifier.substring(bar + 1));
  }

  /** ITI-83: a target system the registry does not know is 403. */
  private Future<Void> checkTargetSystems(List<String> targetSystems) {
    Future<Void> chain = Future.succeededFuture();
    for (String system : targetSystems) {
      if (system.isBlank()) {
        return Future.failedFuture(FhirException.badRequest("targetSystem must not be empty"));
      }
      if (system.equals(cruidSystem) || configuredSystems.get().contains(system)) {
        continue;
      }
      chain = chain.compose(v -> store.knowsSystem(system).compose(known -> known ? Future.succeededFuture()
          : Future.failedFuture(FhirException.forbidden("targetSystem '" + system
              + "' is not an identifier system known to this registry"))));
    }
    return chain;
  }

  private Future<String> goldenIdOf(Identifier source) {
    if (source.getSystem().equals(cruidSystem)) {
      return Future.succeededFuture(source.getValue());
    }
    return store.sourceIdsByIdentifier(source.getSystem(), source.getValue()).compose(ids -> {
      if (ids.isEmpty()) {
        return Future.failedFuture(FhirException.notFound("No patient with identifier " + source.getSystem() + "|"
            + source.getValue()));
      }
      // Several records can share a shared identifier (e.g. a national id); the first one's person answers.
      return store.source(ids.get(0)).map(found -> found.map(SourceRecord::goldenId)
          .orElseThrow(() -> FhirException.notFound("No patient with identifier " + source.getSystem())));
    });
  }

  /** Follows replaced-by links so that an old CRUID still resolves to the surviving golden record. */
  private Future<GoldenRecord> resolve(String goldenId, int hops) {
    return store.golden(goldenId).compose((Optional<GoldenRecord> found) -> {
      if (found.isEmpty()) {
        return Future.failedFuture(FhirException.notFound("No patient with CRUID " + goldenId));
      }
      GoldenRecord g = found.get();
      if (g.replacedBy() != null && hops < MAX_REPLACED_BY_HOPS) {
        return resolve(g.replacedBy(), hops + 1);
      }
      return Future.succeededFuture(g);
    });
  }

  private Parameters answer(Identifier source, List<String> targetSystems, GoldenRecord golden,
                            List<PatientStore.SourceIdentifier> identifiers) {
    Parameters out = new Parameters();
    Set<String> seen = new LinkedHashSet<>();
    List<Identifier> targets = new ArrayList<>();
    for (PatientStore.SourceIdentifier id : identifiers) {
      boolean isQuery = id.system().equals(source.getSystem()) && id.value().equals(source.getValue());
      if (!isQuery && wanted(targetSystems, id.system()) && seen.add(id.system() + "|" + id.value())) {
        targets.add(new Identifier().setSystem(id.system()).setValue(id.value()));
      }
    }
    if (wanted(targetSystems, cruidSystem) && !source.getSystem().equals(cruidSystem)) {
      targets.add(new Identifier().setSystem(cruidSystem).setValue(golden.id()));
    }
    targets.forEach(t -> out.addParameter().setName("targetIdentifier").setValue(t));
    golden.memberIds().forEach(id -> out.addParameter().setName("targetId")
        .setValue(new Reference("Patient/" + id)));
    out.addParameter().setName("targetId").setValue(new Reference("Patient/" + golden.id()));
    return out;
  }

  private static boolean wanted(List<String> targetSystems, String system) {
    return targetSystems.isEmpty() || targetSystems.contains(system);
  }
}
