package org.clientregistry.identity;

import java.util.Set;

/**
 * An identity domain (assigning authority): the URL of its identifier system, its OID as {@code urn:oid:…} (null
 * when it has none), whether one person has at most one value of it, and the clients that may assign its
 * identifiers ({@code *}: any client, an open domain). Another client's identifier in the domain is a claim.
 */
public record IdentityDomain(String system, String oid, boolean unique, Set<String> assigners) {
  public static final String ANY_CLIENT = "*";

  public IdentityDomain {
    assigners = Set.copyOf(assigners);
  }

  public boolean open() {
    return assigners.contains(ANY_CLIENT);
  }

  /** Whether this client's identifiers in the domain are authoritative (else they are claims). */
  public boolean assignedBy(String clientId) {
    return open() || assigners.contains(clientId);
  }
}
