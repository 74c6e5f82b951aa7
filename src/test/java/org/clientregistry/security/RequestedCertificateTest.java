package org.clientregistry.security;

import static org.clientregistry.Patients.jane;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.Map;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** server.clientCertificate=requested: a caller without a certificate gets past the handshake, to a readable 401. */
class RequestedCertificateTest {
  @TempDir
  Path dir;

  @Test
  void noCertificateIs401OnFhirRoutesAndOpenRoutesAnswer() {
    try (TestRegistry registry = new TestRegistry(dir, Map.of("CR_SERVER_CLIENT_CERTIFICATE", "requested")).start()) {
      WebClient anonymous = registry.client(null, null);
      HttpResponse<Buffer> r = anonymous.post("/fhir/Patient").putHeader("Content-Type", "application/fhir+json")
          .sendBuffer(Buffer.buffer(jane("openmrs", "a-1").encode())).await();
      assertEquals(401, r.statusCode(), r.bodyAsString());
      assertEquals("OperationOutcome", r.bodyAsJsonObject().getString("resourceType"));
      assertTrue(r.bodyAsString().contains("client certificate"), r.bodyAsString());
      assertEquals(200, anonymous.get("/fhir/metadata").send().await().statusCode(), "metadata needs no role");
      assertEquals(200, anonymous.get("/health").send().await().statusCode());
    }
  }
}
