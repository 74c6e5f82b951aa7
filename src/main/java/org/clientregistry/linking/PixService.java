package org.clientregistry.linking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.store.GoldenRecord;
import org.clientregistry.store.PatientStore;
import org.hl7.fhir.r4.model.Identifier;

/**
 * IHE PIXm (ITI-83): from one identifier to every identifier of the same person, the CRUID, and references to each
 * linked record. Identifiers only: no demographics leave the registry this way.
 */
public final class PixService {
  private static final int MAX_REPLACED_BY_HOPS = 16;
  private static final ObjectMapper JSON = new ObjectMapper();

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

  /** The ITI-83 answer, a FHIR {@code Parameters} resource as JSON (written straight, it is the hot path). */
  public Future<String> lookup(String sourceIdentifier, List<String> targetSystems) {
    Identifier source = parse(sourceIdentifier);
    return checkTargetSystems(targetSystems)
        .compose(v -> store.person(source.getSystem(), source.getValue(), cruidSystem, MAX_REPLACED_BY_HOPS))
        .map(person -> answer(source, targetSystems, person.orElseThrow(() -> FhirException.notFound(
            source.getSystem().equals(cruidSystem) ? "No patient with CRUID " + source.getValue()
                : "No patient with identifier " + source.getSystem() + "|" + source.getValue()))));
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

  private String answer(Identifier source, List<String> targetSystems, PatientStore.Person person) {
    GoldenRecord golden = person.golden();
    ObjectNode out = JSON.createObjectNode().put("resourceType", "Parameters");
    ArrayNode parameters = out.putArray("parameter");
    Set<String> seen = new LinkedHashSet<>();
    for (PatientStore.SourceIdentifier id : person.identifiers()) {
      boolean isQuery = id.system().equals(source.getSystem()) && id.value().equals(source.getValue());
      if (!isQuery && wanted(targetSystems, id.system()) && seen.add(id.system() + "|" + id.value())) {
        targetIdentifier(parameters, id.system(), id.value());
      }
    }
    if (wanted(targetSystems, cruidSystem) && !source.getSystem().equals(cruidSystem)) {
      targetIdentifier(parameters, cruidSystem, golden.id());
    }
    golden.memberIds().forEach(id -> targetId(parameters, id));
    targetId(parameters, golden.id());
    return out.toString();
  }

  private static void targetIdentifier(ArrayNode parameters, String system, String value) {
    parameters.addObject().put("name", "targetIdentifier").putObject("valueIdentifier").put("system", system)
        .put("value", value);
  }

  private static void targetId(ArrayNode parameters, String id) {
    parameters.addObject().put("name", "targetId").putObject("valueReference").put("reference", "Patient/" + id);
  }

  private static boolean wanted(List<String> targetSystems, String system) {
    return targetSystems.isEmpty() || targetSystems.contains(system);
  }
}
