package org.clientregistry.security;

import static org.clientregistry.Patients.jane;
import static org.clientregistry.Patients.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.clientregistry.TestRegistry;
import org.clientregistry.config.ConfigException;
import org.clientregistry.linking.RecordIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Record ids reveal nothing of the identifier they stand for, and keep resubmissions idempotent (issue 20.10). */
class RecordIdsTest {
  private static final String KEY = "a-shared-secret-of-at-least-32-characters";

  @TempDir
  Path dir;

  @Test
  void idsAreKeyedByTheInstallationsOwnKeyAndSurviveARestart() throws Exception {
    String id;
    try (TestRegistry registry = new TestRegistry(dir).start()) {
      HttpResponse<Buffer> created = registry.post("openmrs", "/fhir/Patient", jane("openmrs", "MRN-0001"));
      assertEquals(201, created.statusCode(), created.bodyAsString());
      id = created.bodyAsJsonObject().getString("id");
      Path keyFile = registry.certificates().resolve(RecordIdKey.FILE);
      byte[] key = Base64.getDecoder().decode(Files.readString(keyFile).strip());
      assertEquals(RecordIds.keyed(key).of("openmrs", system("openmrs"), "MRN-0001"), id);
      assertNotEquals(nameBased("openmrs", "MRN-0001"), id, "the old, guessable scheme");
      assertEquals('8', id.charAt(14), "a version-8 (custom) UUID");
      assertTrue(registry.dir.resolve("data").toFile().list().length > 0);
      assertTrue(Files.notExists(registry.dir.resolve("data").resolve(RecordIdKey.FILE)),
          "the key is kept out of the data directory");
    }
    try (TestRegistry again = new TestRegistry(dir).start()) {
      HttpResponse<Buffer> same = again.post("openmrs", "/fhir/Patient", jane("openmrs", "MRN-0001"));
      assertEquals(200, same.statusCode(), same.bodyAsString());
      assertEquals(id, same.bodyAsJsonObject().getString("id"));
    }
  }

  @Test
  void recordsStoredUnderAnotherKeyAreFoundNotDuplicated() throws Exception {
    String id;
    try (TestRegistry registry = new TestRegistry(dir).start()) {
      id = registry.post("openmrs", "/fhir/Patient", jane("openmrs", "MRN-0002")).bodyAsJsonObject().getString("id");
    }
    // An upgrade from name-based ids, or a replaced key: the stored record keeps its id.
    Files.delete(dir.resolve("certificates").resolve(RecordIdKey.FILE));
    try (TestRegistry upgraded = new TestRegistry(dir).start()) {
      HttpResponse<Buffer> again = upgraded.post("openmrs", "/fhir/Patient", jane("openmrs", "MRN-0002"));
      assertEquals(200, again.statusCode(), again.bodyAsString());
      assertEquals(id, again.bodyAsJsonObject().getString("id"));
      HttpResponse<Buffer> changed = upgraded.post("openmrs", "/fhir/Patient",
          jane("openmrs", "MRN-0002").put("gender", "other"));
      assertEquals(200, changed.statusCode(), changed.bodyAsString());
      assertEquals(id, changed.bodyAsJsonObject().getString("id"));
    }
  }

  @Test
  void replicasSharingAConfiguredKeyGiveARecordTheSameId() throws Exception {
    Map<String, String> shared = Map.of("CR_STORE_RECORD_ID_KEY", KEY);
    String first;
    String second;
    try (TestRegistry a = new TestRegistry(dir.resolve("a"), shared).start()) {
      first = a.post("openmrs", "/fhir/Patient", jane("openmrs", "MRN-0003")).bodyAsJsonObject().getString("id");
      assertTrue(Files.notExists(a.certificates().resolve(RecordIdKey.FILE)), "no key file when one is configured");
    }
    try (TestRegistry b = new TestRegistry(dir.resolve("b"), shared).start()) {
      second = b.post("openmrs", "/fhir/Patient", jane("openmrs", "MRN-0003")).bodyAsJsonObject().getString("id");
    }
    assertEquals(first, second);
    assertEquals(RecordIds.keyed(KEY.getBytes(StandardCharsets.UTF_8)).of("openmrs", system("openmrs"), "MRN-0003"),
        first);
  }

  @Test
  void aShortConfiguredKeyStopsTheStartNamingTheKey() {
    try (TestRegistry registry = new TestRegistry(dir, Map.of("CR_STORE_RECORD_ID_KEY", "too-short"))) {
      Exception e = assertThrows(Exception.class, registry::start);
      Throwable cause = e;
      while (!(cause instanceof ConfigException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      assertTrue(cause.getMessage().contains("store.recordIdKey"), cause.getMessage());
    }
  }

  private static String nameBased(String client, String value) {
    return UUID.nameUUIDFromBytes((client + "|" + system(client) + "|" + value).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
