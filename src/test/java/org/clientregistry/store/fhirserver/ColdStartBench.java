package org.clientregistry.store.fhirserver;

import static org.clientregistry.Patients.patient;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.clientregistry.TestRegistry;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.linking.MatchingState;
import org.clientregistry.linking.PreparedSubmission;
import org.clientregistry.linking.RecordIds;
import org.clientregistry.linking.SubmissionPreparer;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.PatientStore;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measuring harness, not a test: how long a registry takes to start (load its matching index) from a HAPI FHIR
 * server holding N people, each a source record and its golden record, written as the registry writes them (the
 * store's own transactions, 250 people each; linking is not what is measured). Run it on purpose:
 * {@code mvn -q test -Dtest=ColdStartBench -Dcr.bench=true -Dcr.bench.records=10000}.
 */
@EnabledIfSystemProperty(named = "cr.bench", matches = "true")
class ColdStartBench {
  private static final int PER_TRANSACTION = 250;
  private static final String[] GIVEN = {"Amina", "Brian", "Carol", "David", "Esther", "Frank", "Gloria", "Henry",
      "Irene", "James", "Kevin", "Lydia", "Moses", "Naome", "Oscar", "Peace"};
  private static final String[] FAMILY = {"Okello", "Namusoke", "Ssempa", "Auma", "Mugisha", "Atim", "Kizza",
      "Byaruhanga", "Nakato", "Odongo", "Tumusiime", "Wanyama", "Akello", "Ochieng"};

  @TempDir
  Path dir;

  @Test
  void coldStart() {
    int people = Integer.getInteger("cr.bench.records", 10_000);
    HapiTestServer hapi = HapiTestServer.shared();
    hapi.reset();
    Map<String, String> env = new java.util.HashMap<>(hapi.registryEnv());
    env.put("CR_STORE_FHIR_SERVER_REQUEST_TIMEOUT_MS", "300000");
    long loadStarted = System.nanoTime();
    try (TestRegistry loader = new TestRegistry(dir.resolve("load"), env).start()) {
      MatchingState state = loader.registry().matching().get();
      SubmissionPreparer preparer = new SubmissionPreparer(state.extractor(), state.rules(), state.index());
      ClientConfig client = loader.registry().live().client("openmrs").orElseThrow();
      RecordIds ids = RecordIds.keyed("cold-start bench".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      PatientStore store = loader.registry().store();
      for (int from = 0; from < people; from += PER_TRANSACTION) {
        store.commit(batch(preparer, client, ids, from, Math.min(people, from + PER_TRANSACTION))).await();
        if ((from / PER_TRANSACTION) % 40 == 0) {
          System.out.printf("BENCH loaded %d people%n", from);
        }
      }
    }
    double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
    long started = System.nanoTime();
    try (TestRegistry cold = new TestRegistry(dir.resolve("cold"), env).start()) {
      double startSeconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("BENCH cold start with %d people (%d Patients) on in-process HAPI JPA (%s): loaded in %.0f s;"
              + " registry started (index loaded, serving) in %.1f s; index holds %d records%n", people, 2 * people,
          HapiTestServer.database(), loadSeconds, startSeconds, cold.registry().matching().get().index().size());
    }
  }

  private static ChangeSet batch(SubmissionPreparer preparer, ClientConfig client, RecordIds ids, int from, int to) {
    Instant at = Instant.now();
    List<ChangeSet.SourceWrite> sources = new ArrayList<>();
    List<ChangeSet.GoldenWrite> goldens = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String given = GIVEN[i % GIVEN.length];
      String family = FAMILY[(i / GIVEN.length) % FAMILY.length] + (char) ('a' + i % 26) + (i / 26 % 1000);
      Patient p = (Patient) Fhir.parse(patient("openmrs", "cold-" + i, given, family, i % 2 == 0 ? "male" : "female",
          (1930 + i % 90) + "-" + String.format("%02d-%02d", 1 + i % 12, 1 + i % 28),
          "07" + (10_000_000 + (long) i * 7919 % 89_999_999), null).encode());
      PreparedSubmission s = preparer.prepare(client, p, null);
      String id = ids.of(client.id(), s.idSystem(), s.idValue());
      String golden = java.util.UUID.nameUUIDFromBytes(("golden " + i).getBytes()).toString();
      sources.add(new ChangeSet.SourceWrite(id, 0, 1, golden, new LinkFacts(LinkFacts.AUTO, null, null, null, at, null),
          s.content()));
      goldens.add(new ChangeSet.GoldenWrite(golden, 0, 1, null, List.of(id)));
    }
    return new ChangeSet(at, sources, goldens, List.of(), List.of());
  }
}
