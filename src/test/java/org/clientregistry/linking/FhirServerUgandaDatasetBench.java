package org.clientregistry.linking;

import java.util.Map;
import org.clientregistry.store.fhirserver.HapiTestServer;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The Uganda set on the FHIR-server store (the in-process HAPI FHIR server, emptied first): the same links as on the
 * embedded store, since the index decides and the store only keeps. About three minutes, so on demand only:
 * {@code mvn -q test -Dtest=FhirServerUgandaDatasetBench -Dcr.bench=true} (docs/storage.md).
 */
@EnabledIfSystemProperty(named = "cr.bench", matches = "true")
class FhirServerUgandaDatasetBench extends UgandaDatasetTest {
  @Override
  Map<String, String> storeEnv() {
    HapiTestServer hapi = HapiTestServer.shared();
    hapi.reset();
    return hapi.registryEnv();
  }
}
