package org.clientregistry.api;

import java.util.Date;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementKind;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;

/** The CapabilityStatement: exactly the interactions and operations this server implements. */
public final class MetadataFactory {
  private static final String MOTHERS_MAIDEN_NAME =
      "https://profiles.ihe.net/ITI/PDQm/SearchParameter/PDQm-mothersMaidenName";

  /** Not in PDQm: the registry's own SearchParameter (docs/ihe-conformance.md, OHIE-CR-05). */
  private static final String MOTHER_IDENTIFIER =
      "http://openclientregistry.org/fhir/SearchParameter/Patient-mother-identifier";

  private MetadataFactory() {}

  public static CapabilityStatement capabilityStatement(String baseUrl, String version) {
    return capabilityStatement(baseUrl, version, ALL_SEARCH, true);
  }

  private static final java.util.List<String> ALL_SEARCH = java.util.stream.Stream.concat(
      org.clientregistry.store.DemographicSearch.PARAMETERS.stream(),
      java.util.stream.Stream.of("active", "mothersMaidenName",
          org.clientregistry.store.DemographicSearch.MOTHER_IDENTIFIER)).toList();

  /**
   * @param searchParams the PDQm parameters of the store in use (besides {@code _id})
   * @param subscriptions whether the store keeps the change feed that subscriptions (ITI-94) need
   */
  public static CapabilityStatement capabilityStatement(String baseUrl, String version,
                                                        java.util.List<String> searchParams, boolean subscriptions) {
    CapabilityStatement cs = new CapabilityStatement();
    cs.setStatus(PublicationStatus.ACTIVE).setDate(new Date()).setKind(CapabilityStatementKind.INSTANCE)
        .setFhirVersion(FHIRVersion._4_0_1).addFormat("application/fhir+json").addFormat("json");
    cs.getSoftware().setName("Client registry mediator").setVersion(version);
    cs.getImplementation().setDescription("Client registry (master patient index)").setUrl(baseUrl + "/fhir");
    CapabilityStatementRestComponent rest = cs.addRest().setMode(RestfulCapabilityMode.SERVER);
    rest.addInteraction().setCode(SystemRestfulInteraction.BATCH);
    rest.addInteraction().setCode(SystemRestfulInteraction.TRANSACTION);
    CapabilityStatementRestResourceComponent patient = rest.addResource().setType("Patient");
    patient.addInteraction().setCode(TypeRestfulInteraction.CREATE);
    patient.addInteraction().setCode(TypeRestfulInteraction.UPDATE);
    patient.addInteraction().setCode(TypeRestfulInteraction.READ);
    // PDQm (ITI-78): GET Patient? and POST Patient/_search, admin and pdq clients only.
    patient.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
    // ITI-104: PUT Patient?identifier= (the caller's own internal identifier) creates or updates.
    patient.setUpdateCreate(false).setConditionalCreate(false).setConditionalUpdate(true)
        .setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED);
    for (String[] p : new String[][] {{"_id", "token", "Resource-id"}, {"identifier", "token", "Patient-identifier"},
        {"family", "string", null}, {"given", "string", null}, {"birthdate", "date", null},
        {"gender", "token", null}, {"telecom", "token", null}, {"address", "string", null},
        {"address-city", "string", null}, {"address-state", "string", null},
        {"address-postalcode", "string", null}, {"address-country", "string", null},
        {"active", "token", "Patient-active"}, {"mothersMaidenName", "string", MOTHERS_MAIDEN_NAME},
        {org.clientregistry.store.DemographicSearch.MOTHER_IDENTIFIER, "token", MOTHER_IDENTIFIER}}) {
      if (!p[0].equals("_id") && !searchParams.contains(p[0])) {
        continue;
      }
      patient.addSearchParam().setName(p[0]).setType(Enumerations.SearchParamType.fromCode(p[1]))
          .setDefinition(p[2] != null && p[2].contains("://") ? p[2]
              : "http://hl7.org/fhir/SearchParameter/" + (p[2] != null ? p[2] : "individual-" + p[0]));
    }
    patient.addSupportedProfile("https://profiles.ihe.net/ITI/PDQm/StructureDefinition/IHE.PDQm.Patient");
    patient.addOperation().setName("match").setDefinition("http://hl7.org/fhir/OperationDefinition/Patient-match");
    patient.addOperation().setName("ihe-pix")
        .setDefinition("http://profiles.ihe.net/ITI/PIXm/OperationDefinition/IHE.PIXm.pix");
    patient.setDocumentation("create, update, ITI-104 and PMIR feeds: point-of-service clients, keyed by their own"
        + " internal identifier; search (PDQm): admin and pdq clients; read: admin clients");
    // PMIR (ITI-93): the feed message, received by POST [base] (create, update, delete as deprecation, merge).
    CapabilityStatement.CapabilityStatementMessagingComponent messaging = cs.addMessaging();
    messaging.addEndpoint().setAddress(baseUrl + "/fhir")
        .setProtocol(new org.hl7.fhir.r4.model.Coding("http://terminology.hl7.org/CodeSystem/message-transport",
            "http", "HTTP"));
    messaging.setDocumentation("PMIR Mobile Patient Identity Feed (ITI-93), event urn:ihe:iti:pmir:2019:patient-feed");
    messaging.addSupportedMessage().setMode(CapabilityStatement.EventCapabilityMode.RECEIVER)
        .setDefinition("https://profiles.ihe.net/ITI/PMIR/MessageDefinition/IHE.PMIR.MessageDefinition");
    if (subscriptions) {
      // ITI-94: rest-hook subscriptions to every change of a person (criteria Patient); subscribe or admin role.
      CapabilityStatementRestResourceComponent subscription = rest.addResource().setType("Subscription");
      for (TypeRestfulInteraction i : new TypeRestfulInteraction[] {TypeRestfulInteraction.CREATE,
          TypeRestfulInteraction.READ, TypeRestfulInteraction.DELETE, TypeRestfulInteraction.SEARCHTYPE}) {
        subscription.addInteraction().setCode(i);
      }
      subscription.setDocumentation("criteria Patient; channel rest-hook with payload none (an empty POST) or "
          + "application/fhir+json (PUT [endpoint]/Patient/[CRUID]: identifiers and links, never demographics)");
    }
    return cs;
  }
}
