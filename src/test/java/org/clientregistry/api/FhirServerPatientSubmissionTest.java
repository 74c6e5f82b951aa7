package org.clientregistry.api;

import org.clientregistry.OnFhirServer;

/** The submission cases on the fhirserver store, against a real HAPI FHIR JPA server. */
class FhirServerPatientSubmissionTest extends PatientSubmissionTest implements OnFhirServer {}
