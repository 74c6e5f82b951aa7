package org.clientregistry.store.fhirserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clientregistry.TestRegistry;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FHIR server that refuses the SearchParameters the registry defines for PDQm: the two parameters stay refused
 * (400), never ignored (which would answer more people than asked for), and the other parameters search as before.
 */
class RefusedSearchParametersTest {
  @TempDir
  static Path dir;

  @Test
  void parametersWhoseDefinitionTheServerRefusedAreRefusedNotIgnored() throws Exception {
    HapiTestServer hapi = HapiTestServer.shared();
    hapi.reset();
    List<String> refused = new CopyOnWriteArrayList<>();
    ServerHooks hook = new ServerHooks() {
      @Override
      public void created(IBaseResource resource) {
        if (resource instanceof SearchParameter sp) {
          refused.add(sp.getCode());
          throw new ForbiddenOperationException("This server takes no SearchParameter definitions");
        }
      }
    };
    hapi.intercept(hook);
    try (TestRegistry registry = new TestRegistry(dir, hapi.registryEnv()).start()) {
      for (int i = 0; i < 600 && refused.size() < 2; i++) {
        Thread.sleep(100);
      }
      assertEquals(Set.of("mothersMaidenName", "mother-identifier"), Set.copyOf(refused), "both were defined");

      HttpResponse<Buffer> byMaiden = registry.get("admin", "/fhir/Patient?family=akello&mothersMaidenName=nakato");
      assertEquals(400, byMaiden.statusCode(), byMaiden.bodyAsString());
      assertTrue(byMaiden.bodyAsString().contains("Unknown search parameter 'mothersMaidenName'"),
          byMaiden.bodyAsString());
      assertEquals(400, registry.get("admin", "/fhir/Patient?mother-identifier=NIN-1").statusCode());
      assertEquals(200, registry.get("admin", "/fhir/Patient?family=akello").statusCode(), "the others search");

      List<String> declared = registry.get("admin", "/fhir/metadata").bodyAsJsonObject().getJsonArray("rest")
          .getJsonObject(0).getJsonArray("resource").getJsonObject(0).getJsonArray("searchParam").stream()
          .map(o -> ((JsonObject) o).getString("name")).toList();
      assertTrue(declared.contains("family"), declared.toString());
      assertFalse(declared.contains("mothersMaidenName") || declared.contains("mother-identifier"),
          "the CapabilityStatement declares neither: " + declared);
    } finally {
      hapi.stopIntercepting(hook);
      hapi.reset();
    }
  }
}
