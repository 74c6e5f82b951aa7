package org.clientregistry.pmir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clientregistry.fhir.FhirException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Patient.LinkType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;

/**
 * A PMIR Mobile Patient Identity Feed message (ITI-93) read into what it asks for, without I/O: a message Bundle
 * whose first entry is the MessageHeader (event {@link #EVENT}) and whose second is a history Bundle of Patients,
 * each to create (POST), update (PUT), merge (PUT with a {@code replaced-by} link) or deprecate (DELETE).
 * A RelatedPerson of the message (a newborn's mother, OHIE-CR-05) becomes a contact of the Patient it names;
 * other resources are not stored (the registry keeps Patients only) and are reported in {@link #notes}.
 */
public record PmirMessage(String headerId, List<Action> actions, List<String> notes) {
  public static final String EVENT = "urn:ihe:iti:pmir:2019:patient-feed";
  /** A contact made from a RelatedPerson keeps that person's identifiers here (Patient.contact has none). */
  public static final String RELATED_IDENTIFIER = org.clientregistry.store.DemographicSearch.RELATED_IDENTIFIER;

  public enum Kind { CREATE, UPDATE, MERGE, DELETE }

  /**
   * One history entry: its index, the Patient (for DELETE only when sent), the registry id a DELETE names, and for
   * MERGE the surviving record (a reference or an identifier, as {@code Patient.link.other}).
   */
  public record Action(int index, Kind kind, Patient patient, String deleteId, Reference survivor) {}

  /** Entries of the message, those of the Bundles it carries included (what the entry limit counts). */
  public static int size(Bundle message) {
    return message.getEntry().stream().mapToInt(e -> e.getResource() instanceof Bundle b ? b.getEntry().size() : 1)
        .sum();
  }

  public static PmirMessage read(Bundle message) {
    if (message.getEntry().size() < 2 || !(message.getEntry().get(0).getResource() instanceof MessageHeader header)) {
      throw FhirException.badRequest("A PMIR message Bundle starts with a MessageHeader, followed by a history"
          + " Bundle");
    }
    if (!header.hasEventUriType() || !EVENT.equals(header.getEventUriType().getValue())) {
      throw FhirException.badRequest("MessageHeader.eventUri must be " + EVENT + " (the only message this registry"
          + " takes)");
    }
    if (!(message.getEntry().get(1).getResource() instanceof Bundle history)
        || history.getType() != BundleType.HISTORY) {
      throw FhirException.badRequest("The second entry of a PMIR message must be a Bundle of type history");
    }
    String headerId = header.getIdElement().getIdPart();
    List<Action> actions = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, Patient> byUrl = new HashMap<>();
    Map<String, Resource> unstored = new HashMap<>();
    List<Integer> related = new ArrayList<>();
    for (int i = 0; i < history.getEntry().size(); i++) {
      BundleEntryComponent e = history.getEntry().get(i);
      Resource r = e.getResource();
      HTTPVerb method = e.hasRequest() ? e.getRequest().getMethod() : null;
      if (method == HTTPVerb.DELETE) {
        actions.add(new Action(i, Kind.DELETE, r instanceof Patient p ? p : null, deleteId(e, i), null));
      } else if (r instanceof Patient p) {
        keys(e, p).forEach(k -> byUrl.put(k, p));
        actions.add(patientAction(i, method, p));
      } else if (r instanceof RelatedPerson) {
        related.add(i);
      } else {
        notes.add("entry " + i + ": " + (r == null ? "no resource" : r.fhirType())
            + " not stored (this registry keeps Patients only)");
        if (r != null) {
          keys(e, r).forEach(k -> unstored.put(k, r));
        }
      }
    }
    byUrl.values().stream().distinct().forEach(p -> unlinkUnstored(p, unstored));
    for (int i : related) {
      RelatedPerson rp = (RelatedPerson) history.getEntry().get(i).getResource();
      Patient p = byUrl.get(rp.getPatient().getReference());
      if (p == null) {
        throw FhirException.badRequest("entry " + i + ": the RelatedPerson must name a Patient of the same message"
            + " in RelatedPerson.patient");
      }
      attach(rp, p);
      notes.add("entry " + i + ": RelatedPerson kept as a contact of its Patient");
    }
    if (actions.isEmpty()) {
      throw FhirException.badRequest("The history Bundle holds no Patient to create, update, merge or delete");
    }
    return new PmirMessage(headerId, actions, notes);
  }

  private static Action patientAction(int i, HTTPVerb method, Patient p) {
    List<Patient.PatientLinkComponent> replaced = p.getLink().stream()
        .filter(l -> l.getType() == LinkType.REPLACEDBY).toList();
    if (replaced.size() > 1) {
      throw FhirException.badRequest("entry " + i + ": a Patient is replaced by one Patient, not " + replaced.size());
    }
    if (!replaced.isEmpty()) {
      if (method != HTTPVerb.PUT) {
        throw FhirException.badRequest("entry " + i + ": a merge (replaced-by link) is sent with request.method PUT");
      }
      Reference other = replaced.get(0).getOther();
      if (!other.hasReference() && !(other.hasIdentifier() && other.getIdentifier().hasValue())) {
        throw FhirException.badRequest("entry " + i + ": the replaced-by link names its Patient by reference or"
            + " identifier");
      }
      return new Action(i, Kind.MERGE, p, null, other);
    }
    if (method != null && method != HTTPVerb.POST && method != HTTPVerb.PUT) {
      throw FhirException.badRequest("entry " + i + ": request.method " + method + " is not a PMIR feed action");
    }
    return new Action(i, method == HTTPVerb.PUT ? Kind.UPDATE : Kind.CREATE, p, null, null);
  }

  /** The registry id of a DELETE's {@code request.url Patient/<id>}. */
  private static String deleteId(BundleEntryComponent e, int i) {
    String url = e.getRequest().getUrl();
    if (url == null || !url.matches("Patient/[A-Za-z0-9\\-.]{1,64}")) {
      throw FhirException.badRequest("entry " + i + ": DELETE needs request.url Patient/<id> (the registry's id of"
          + " the caller's record), got '" + url + "'");
    }
    return url.substring("Patient/".length());
  }

  /** How RelatedPerson.patient may name the Patient: its entry's fullUrl, or Patient/<id>. */
  private static List<String> keys(BundleEntryComponent e, Resource p) {
    List<String> keys = new ArrayList<>();
    if (e.hasFullUrl()) {
      keys.add(e.getFullUrl());
    }
    if (p.getIdElement().hasIdPart()) {
      keys.add(p.fhirType() + "/" + p.getIdElement().getIdPart());
    }
    return keys;
  }

  /**
   * A reference to a resource of the message that is not stored would point nowhere: it becomes a logical one, the
   * resource's first identifier and its display (or name), as the registry keeps no Organization or Practitioner.
   */
  private static void unlinkUnstored(Patient p, Map<String, Resource> unstored) {
    List<Reference> refs = new ArrayList<>(p.getGeneralPractitioner());
    if (p.hasManagingOrganization()) {
      refs.add(p.getManagingOrganization());
    }
    p.getContact().stream().filter(Patient.ContactComponent::hasOrganization)
        .forEach(c -> refs.add(c.getOrganization()));
    for (Reference ref : refs) {
      Resource target = ref.hasReference() ? unstored.get(ref.getReference()) : null;
      if (target == null) {
        continue;
      }
      ref.setReference(null);
      ref.setResource(null); // the parser linked it to the entry, whose id the encoder would write back
      if (target instanceof org.hl7.fhir.r4.model.Organization o) {
        o.getIdentifier().stream().findFirst().ifPresent(id -> ref.setIdentifier(id.copy()));
        ref.setDisplay(ref.hasDisplay() ? ref.getDisplay() : o.getName());
      } else if (target instanceof org.hl7.fhir.r4.model.Practitioner pr) {
        pr.getIdentifier().stream().findFirst().ifPresent(id -> ref.setIdentifier(id.copy()));
        ref.setDisplay(ref.hasDisplay() ? ref.getDisplay() : pr.getNameFirstRep().getNameAsSingleString());
      }
      if (!ref.hasDisplay() && !ref.hasIdentifier()) {
        ref.setDisplay(target.fhirType());
      }
    }
  }

  /** The related person as a contact: relationship, name, telecom, address, gender, and its identifiers. */
  private static void attach(RelatedPerson rp, Patient p) {
    Patient.ContactComponent c = p.addContact();
    rp.getRelationship().forEach(c::addRelationship);
    if (rp.hasName()) {
      c.setName(rp.getNameFirstRep());
    }
    rp.getTelecom().forEach(c::addTelecom);
    if (rp.hasAddress()) {
      c.setAddress(rp.getAddressFirstRep());
    }
    if (rp.hasGender()) {
      c.setGender(rp.getGender());
    }
    rp.getIdentifier().forEach(id -> c.addExtension(RELATED_IDENTIFIER, id.copy()));
  }
}
