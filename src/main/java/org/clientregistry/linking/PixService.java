package org.clientregistry.linking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.identity.IdentityDomains;
import org.clientregistry.store.GoldenRecord;
import org.clientregistry.store.PatientStore;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * IHE PIXm (ITI-83): from one identifier to every identifier of the same person, the CRUID, and references to each
 * linked record. Identifiers only: no demographics leave the registry this way. A source identifier resolves only
 * through its domain's assigners' records ({@link IdentityResolver}); claims are neither resolved nor answered.
 */
public final class PixService {
  private static final int MAX_REPLACED_BY_HOPS = 16;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PatientStore store;
  private final String cruidSystem;
  private final Supplier<IdentityDomains> domains;
  private final IdentityResolver resolver;

  public PixService(PatientStore store, String cruidSystem, Supplier<IdentityDomains> domains,
                    IdentityResolver resolver) {
    this.store = store;
    this.cruidSystem = cruidSystem;
    this.domains = domains;
    this.resolver = resolver;
  }

  /** The same service, its store calls recorded in {@code log}. */
  public PixService observed(org.clientregistry.calls.CallLog log) {
    return new PixService(store.observed(log), cruidSystem, domains, resolver.observed(log));
  }

  /** The ITI-83 answer, a FHIR {@code Parameters} resource as JSON (written straight, it is the hot path). */
  public Future<String> lookup(String sourceIdentifier, List<String> targetSystems) {
    return lookup(sourceIdentifier, targetSystems, system -> true);
  }

  /**
   * @param permitted the systems the caller may receive (docs/security.md): a targetSystem outside them is a 403,
   *                  and an answer without targetSystem holds only them
   */
  public Future<String> lookup(String sourceIdentifier, List<String> targetSystems,
                               java.util.function.Predicate<String> permitted) {
    IdentityDomains domains = this.domains.get();
    Identifier source = parse(sourceIdentifier, domains);
    List<String> targets = targetSystems.stream().map(domains::canonical).toList();
    return checkTargetSystems(domains, targets)
        .compose(v -> targets.stream().allMatch(permitted) ? Future.<Void>succeededFuture()
            : Future.failedFuture(FhirException.forbidden("targetSystem not permitted for this client")))
        .compose(v -> goldenId(domains, source))
        .compose(id -> id.isEmpty() ? Future.succeededFuture(Optional.<PatientStore.Person>empty())
            : store.person(cruidSystem, id.get(), cruidSystem, MAX_REPLACED_BY_HOPS))
        .map(person -> person.orElseThrow(() -> FhirException.notFound("sourceIdentifier Patient Identifier not "
            + "found")))
        .compose(person -> resolver.owners(person.golden().memberIds())
            .map(owners -> answer(domains, source, targets, person, owners, permitted)));
  }

  private Future<Optional<String>> goldenId(IdentityDomains domains, Identifier source) {
    String system = source.getSystem();
    if (system.equals(cruidSystem)) {
      return Future.succeededFuture(Optional.of(source.getValue()));
    }
    Future<Void> known = domains.domain(system).isPresent() ? Future.succeededFuture()
        : !domains.acceptsUnknown() ? Future.failedFuture(unknownSourceDomain())
        : store.knowsSystem(system).compose(k -> k ? Future.<Void>succeededFuture()
            : Future.failedFuture(unknownSourceDomain()));
    return known.compose(v -> resolver.goldenOf(domains, system, source.getValue()));
  }

  /** ITI-83 3.83.4.2.2: an identity domain the registry does not recognise. */
  private static FhirException unknownSourceDomain() {
    return new FhirException(400, IssueType.CODEINVALID, "sourceIdentifier Assigning Authority not found");
  }

  private static Identifier parse(String sourceIdentifier, IdentityDomains domains) {
    if (sourceIdentifier == null) {
      throw FhirException.badRequest("sourceIdentifier is required, as system|value");
    }
    int bar = sourceIdentifier.indexOf('|');
    if (bar <= 0 || bar == sourceIdentifier.length() - 1) {
      throw FhirException.badRequest("sourceIdentifier must be system|value with both parts, got '"
          + sourceIdentifier + "'");
    }
    return new Identifier().setSystem(domains.canonical(sourceIdentifier.substring(0, bar)))
        .setValue(sourceIdentifier.substring(bar + 1));
  }

  /** ITI-83: a target system the registry does not recognise is 403 {@code code-invalid}. */
  private Future<Void> checkTargetSystems(IdentityDomains domains, List<String> targetSystems) {
    Future<Void> chain = Future.succeededFuture();
    for (String system : targetSystems) {
      if (system.isBlank()) {
        return Future.failedFuture(FhirException.badRequest("targetSystem must not be empty"));
      }
      if (system.equals(cruidSystem) || domains.domain(system).isPresent()) {
        continue;
      }
      // Identifiers stored while unknown domains were accepted are still answered.
      chain = chain.compose(v -> store.knowsSystem(system).compose(known -> known ? Future.succeededFuture()
          : Future.failedFuture(new FhirException(403, IssueType.CODEINVALID, "targetSystem not found"))));
    }
    return chain;
  }

  private String answer(IdentityDomains domains, Identifier source, List<String> targetSystems,
                        PatientStore.Person person, Map<String, String> owners,
                        java.util.function.Predicate<String> permitted) {
    GoldenRecord golden = person.golden();
    ObjectNode out = JSON.createObjectNode().put("resourceType", "Parameters");
    ArrayNode parameters = out.putArray("parameter");
    Set<String> seen = new LinkedHashSet<>();
    for (PatientStore.SourceIdentifier id : person.identifiers()) {
      boolean isQuery = id.system().equals(source.getSystem()) && id.value().equals(source.getValue());
      String owner = owners.get(id.sourceId());
      boolean claim = owner != null && !domains.authoritative(owner, id.system());
      boolean answered = wanted(targetSystems, id.system()) && permitted.test(id.system());
      if (!isQuery && !claim && answered && seen.add(id.system() + "|" + id.value())) {
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
