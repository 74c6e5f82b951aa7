package org.clientregistry;

import java.util.Map;
import org.clientregistry.store.fhirserver.HapiTestServer;

/**
 * Marks a {@link SharedRegistryTest} subclass whose registry runs on the fhirserver store, against the shared
 * in-process HAPI FHIR server (emptied first), instead of the embedded store: the same tests, the other adapter.
 */
public interface OnFhirServer {
  static Map<String, String> env(Class<?> testClass) {
    if (!OnFhirServer.class.isAssignableFrom(testClass)) {
      return Map.of();
    }
    HapiTestServer hapi = HapiTestServer.shared();
    hapi.reset();
    return hapi.registryEnv();
  }
}
