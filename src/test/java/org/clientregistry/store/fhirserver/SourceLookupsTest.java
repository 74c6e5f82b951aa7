package org.clientregistry.store.fhirserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.clientregistry.calls.CallLog;
import org.clientregistry.calls.UpstreamCall;
import org.clientregistry.store.ChangeSet;
import org.clientregistry.store.LinkFacts;
import org.clientregistry.store.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * Look-ups of source records by internal identifier asked while one is under way go to the server as one search,
 * and each caller gets exactly its own record (its identifier, its client), as a search of its own would find it.
 * Against a real HAPI FHIR server; the first search is held inside the server until the others wait.
 */
class SourceLookupsTest extends GroupingSupport {
  private static final String OPENMRS = "http://clientregistry.org/openmrs";

  /** Stores a source record of {@code client} under identifier {@code value} (and its golden record); its id. */
  private static String stored(String client, String value) {
    String source = UUID.randomUUID().toString();
    String golden = UUID.randomUUID().toString();
    Instant at = Instant.now();
    store.commit(new ChangeSet(at, List.of(new ChangeSet.SourceWrite(source, 0, 1, golden,
        new LinkFacts(LinkFacts.AUTO, null, null, null, at, null), new ChangeSet.Content(client, OPENMRS, value,
            List.of(), new io.vertx.core.json.JsonObject().put("resourceType", "Patient").put("identifier",
            new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject().put("system", OPENMRS)
                .put("value", value))).encode(), "{}"))), List.of(new ChangeSet.GoldenWrite(golden, 0, 1,
        null, List.of(source))), List.of(), List.of())).await();
    return source;
  }

  private static Optional<String> idOf(Future<Optional<SourceRecord>> found) {
    return found.await().map(SourceRecord::id);
  }

  @Test
  void lookUpsAskedDuringOneGoAsOneSearchAndEachFindsItsOwnRecord() throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String plain = stored("openmrs", "p-" + tag);
    // A comma ORs and a bar splits system from value in a search: both must be escaped, and matched exactly.
    String odd = stored("openmrs", "o,1|" + tag);
    String theirs = stored("lims", "p-" + tag);
    held = HeldInServer.searching(hapi, "h-" + tag);
    Future<Optional<SourceRecord>> first = store.sourceByInternalId("openmrs", OPENMRS, "h-" + tag);
    held.arrived();
    long before = hapi.requests();
    CallLog.Recorder log = CallLog.recorder();
    Future<Optional<SourceRecord>> a = store.observed(log).sourceByInternalId("openmrs", OPENMRS, "p-" + tag);
    Future<Optional<SourceRecord>> b = store.sourceByInternalId("openmrs", OPENMRS, "o,1|" + tag);
    Future<Optional<SourceRecord>> c = store.sourceByInternalId("lims", OPENMRS, "p-" + tag);
    Future<Optional<SourceRecord>> d = store.sourceByInternalId("openmrs", OPENMRS, "o");
    Future<Optional<SourceRecord>> e = store.sourceByInternalId("dhis2", OPENMRS, "p-" + tag);
    held.release();
    assertEquals(Optional.empty(), idOf(first));
    assertEquals(Optional.of(plain), idOf(a));
    assertEquals(Optional.of(odd), idOf(b));
    assertEquals(Optional.of(theirs), idOf(c), "the same identifier of another client is that client's record");
    assertEquals(Optional.empty(), idOf(d), "a part of an identifier finds nothing");
    assertEquals(Optional.empty(), idOf(e), "nothing of a client that has no such record");
    assertEquals(1, hapi.requests() - before, "the five look-ups in one search");
    assertEquals(Optional.of(odd), idOf(store.sourceByInternalId("openmrs", OPENMRS, "o,1|" + tag)), "alone too");

    UpstreamCall call = log.calls().get(0);
    assertEquals(1, log.calls().size());
    assertTrue(call.request().query().contains("p-" + tag), call.request().query());
    assertFalse(call.request().query().contains("lims") || call.request().query().contains("dhis2"),
        "other callers' search terms are not in this log: " + call.request().query());
    assertTrue(call.response().body().contains(plain));
    assertFalse(call.response().body().contains(theirs), "another caller's record is not in this log");
  }
}
