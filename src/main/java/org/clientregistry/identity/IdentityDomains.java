package org.clientregistry.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.config.ConfigException;
import org.clientregistry.fhir.FhirException;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * The identity domains in force: those declared, plus one per client internal-id system (assigned by that client)
 * and the CRUID system (assigned by the registry alone). A domain's OID ({@code urn:oid:…}) and URL name the same
 * domain: identifiers are stored, matched and answered under the URL. Immutable; swapped with the live settings.
 */
public final class IdentityDomains {
  private final Map<String, IdentityDomain> bySystem;
  private final Map<String, String> oidToUrl;
  private final List<IdentityDomain> declared;
  private final boolean acceptUnknown;
  private final String cruidSystem;

  private IdentityDomains(Map<String, IdentityDomain> bySystem, Map<String, String> oidToUrl,
                          List<IdentityDomain> declared, boolean acceptUnknown, String cruidSystem) {
    this.cruidSystem = cruidSystem;
    this.bySystem = bySystem;
    this.oidToUrl = oidToUrl;
    this.declared = declared;
    this.acceptUnknown = acceptUnknown;
  }

  /**
   * @param declared      the configured domains
   * @param clients       the clients: each internal-id system is a domain its client assigns
   * @param cruidSystem   the registry's own identifier system (null: none)
   * @param acceptUnknown whether identifiers of undeclared domains are stored (as open domains) or refused
   */
  public static IdentityDomains of(List<IdentityDomain> declared, Collection<ClientConfig> clients, String cruidSystem,
                                   boolean acceptUnknown) {
    Map<String, IdentityDomain> bySystem = new LinkedHashMap<>();
    Map<String, String> oids = new LinkedHashMap<>();
    for (IdentityDomain d : declared) {
      if (bySystem.put(d.system(), d) != null || oids.containsKey(d.system())) {
        throw new ConfigException("domains", "declares the identity domain " + d.system() + " twice");
      }
      if (d.oid() != null && (oids.put(d.oid(), d.system()) != null || bySystem.containsKey(d.oid()))) {
        throw new ConfigException("domains", "gives the OID " + d.oid() + " to two identity domains");
      }
    }
    for (ClientConfig c : clients) {
      for (String system : c.internalIdSystems()) {
        String url = oids.getOrDefault(system, system);
        IdentityDomain d = bySystem.get(url);
        Set<String> assigners = new LinkedHashSet<>(d == null ? Set.of() : d.assigners());
        assigners.add(c.id());
        bySystem.put(url, d == null ? new IdentityDomain(url, null, false, assigners)
            : new IdentityDomain(d.system(), d.oid(), d.unique(), assigners));
      }
    }
    if (cruidSystem != null) {
      bySystem.putIfAbsent(cruidSystem, new IdentityDomain(cruidSystem, null, true, Set.of()));
    }
    return new IdentityDomains(Collections.unmodifiableMap(bySystem), Map.copyOf(oids), List.copyOf(declared),
        acceptUnknown, cruidSystem);
  }

  /** The domains for other declarations or clients (a config from the console), the same CRUID system. */
  public IdentityDomains with(List<IdentityDomain> declared, Collection<ClientConfig> clients, boolean acceptUnknown) {
    return of(declared, clients, cruidSystem, acceptUnknown);
  }

  /** The registry's own identifier system (null: none). */
  public String cruidSystem() {
    return cruidSystem;
  }

  /** The system an identifier is kept under: a domain's URL for its OID, anything else as it is. */
  public String canonical(String system) {
    return system == null ? null : oidToUrl.getOrDefault(system, system);
  }

  public Optional<IdentityDomain> domain(String system) {
    return Optional.ofNullable(bySystem.get(canonical(system)));
  }

  public boolean acceptsUnknown() {
    return acceptUnknown;
  }

  /** The declared domains (as configured, before the implicit ones were added). */
  public List<IdentityDomain> declared() {
    return declared;
  }

  /** Every domain in force. */
  public Collection<IdentityDomain> all() {
    return bySystem.values();
  }

  /**
   * Whether this client's identifier in this system establishes identity (PIX resolves through it and answers it).
   * A domain the registry does not know (identifiers stored while unknown domains were accepted) counts as open.
   */
  public boolean authoritative(String clientId, String system) {
    IdentityDomain d = bySystem.get(canonical(system));
    return d == null || d.assignedBy(clientId);
  }

  /** Rewrites OID systems of known domains to their URL (a $match query: matched as it would be stored). */
  public void canonicalize(Patient patient) {
    patient.getIdentifier().stream().filter(Identifier::hasSystem)
        .forEach(id -> id.setSystem(canonical(id.getSystem())));
  }

  /**
   * Checks a submitted Patient's identifiers and references, and rewrites OID systems to their domain's URL.
   * Returns whether anything was rewritten (the body as sent is then not what is stored).
   */
  public boolean admit(ClientConfig client, Patient patient) {
    boolean rewritten = false;
    List<Identifier> identifiers = patient.getIdentifier();
    for (int i = 0; i < identifiers.size(); i++) {
      Identifier id = identifiers.get(i);
      String at = "Patient.identifier[" + i + "]";
      if (!id.hasSystem() || id.getSystem().isBlank()) {
        throw new FhirException(400, IssueType.REQUIRED, at + " has no system: every identifier must name its "
            + "identity domain");
      }
      String system = canonical(id.getSystem());
      if (!system.equals(id.getSystem())) {
        id.setSystem(system);
        rewritten = true;
      }
      IdentityDomain domain = bySystem.get(system);
      if (domain == null) {
        if (!acceptUnknown) {
          throw new FhirException(400, IssueType.CODEINVALID, at + ": '" + system
              + "' is not an identity domain of this registry");
        }
      } else if (!domain.assignedBy(client.id()) && id.getUse() == Identifier.IdentifierUse.OFFICIAL) {
        throw new FhirException(400, IssueType.BUSINESSRULE, at + ": client '" + client.id()
            + "' is not an assigner of the identity domain '" + system + "' and may not send its identifiers as "
            + "official (without use official it is kept as a claim)");
      }
    }
    checkReferences(patient);
    return rewritten;
  }

  /** The registry stores Patients only: a reference to any other stored resource names one that does not exist. */
  private static void checkReferences(Patient patient) {
    List<Reference> refs = new ArrayList<>();
    if (patient.hasManagingOrganization()) {
      refs.add(patient.getManagingOrganization());
    }
    refs.addAll(patient.getGeneralPractitioner());
    patient.getContact().stream().filter(Patient.ContactComponent::hasOrganization)
        .forEach(c -> refs.add(c.getOrganization()));
    for (Reference r : refs) {
      String ref = r.hasReference() ? r.getReference() : "";
      if (!ref.isEmpty() && !ref.startsWith("#") && !ref.matches("(?i)https?://.*")) {
        throw new FhirException(400, IssueType.NOTFOUND, "The Patient refers to " + r.getReference()
            + ", which does not exist in this registry (it keeps Patients only; send a display or an identifier)");
      }
    }
  }
}
