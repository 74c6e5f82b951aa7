package org.clientregistry.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * What a FHIR route answers, before it is written: kept apart from the wire so a wrapper (OpenHIM) can use it.
 * The body is a resource to encode, or ({@code json}) one already encoded on a faster path; at most one is set.
 */
public record FhirResponse(int status, Map<String, String> headers, IBaseResource body, String json,
                           Map<String, String> properties) {

  public static FhirResponse of(int status, IBaseResource body) {
    return new FhirResponse(status, new LinkedHashMap<>(), body, null, new LinkedHashMap<>());
  }

  /** An answer whose FHIR JSON body is already written. */
  public static FhirResponse ofJson(int status, String json) {
    return new FhirResponse(status, new LinkedHashMap<>(), null, json, new LinkedHashMap<>());
  }

  public FhirResponse header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** A fact about the outcome (CRUID, what linking did) that OpenHIM keeps with the transaction; no demographics. */
  public FhirResponse property(String name, String value) {
    properties.put(name, value);
    return this;
  }
}
