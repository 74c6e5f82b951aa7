package org.clientregistry.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.clientregistry.fhir.Fhir;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** What the store contract's tests share: Vert.x, the store under test (opened by the subclass) and test data. */
public abstract class StoreContractSupport {
  protected static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  /** The store under test (opened once per class by the subclass). */
  protected abstract PatientStore store();

  static final String SYSTEM = "http://clientregistry.org/openmrs";
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  static String json(String given, String family, String value) {
    Patient p = new Patient();
    p.addIdentifier().setSystem(SYSTEM).setValue(value);
    p.addIdentifier().setSystem("http://clientregistry.org/national-id").setValue("NIN-" + value);
    p.addName().setFamily(family).addGiven(given);
    p.setGender(Enumerations.AdministrativeGender.FEMALE);
    return Fhir.encode(p);
  }

  static ChangeSet.Content content(String value, String given) {
    return new ChangeSet.Content("openmrs", SYSTEM, value, List.of(new ChangeSet.Identifier(SYSTEM, value),
        new ChangeSet.Identifier("http://clientregistry.org/national-id", "NIN-" + value)),
        json(given, "Nakato", value), "{\"given\":[\"" + given + "\"]}");
  }

  static LinkFacts auto(double score) {
    return new LinkFacts(LinkFacts.AUTO, score, "certain", "deterministic", T0, "{\"name\":\"jw 0.97\"}");
  }

  static String id() {
    return UUID.randomUUID().toString();
  }

  /** A new person: a source record and its golden record, written together. */
  ChangeSet newPerson(String source, String golden, String value, String given) {
    return new ChangeSet(Instant.now(), List.of(new ChangeSet.SourceWrite(source, 0, 1, golden, auto(1.0),
        content(value, given))), List.of(new ChangeSet.GoldenWrite(golden, 0, 1, null, List.of(source))),
        List.of(), List.of(new AuditEntry(Instant.now(), "openmrs", "submit", source, golden, "created", null)));
  }

  static Throwable failure(Runnable r) {
    Throwable e = assertThrows(RuntimeException.class, r::run);
    return e instanceof CompletionException ? e.getCause() : e;
  }

  // ---- administration data

  static ChangeSet.Content content(String value, String given, String client) {
    ChangeSet.Content c = content(value, given);
    return new ChangeSet.Content(client, c.idSystem(), c.idValue(), c.identifiers(), c.resourceJson(), c.fieldsJson());
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  /** A link event whose facts are those of the event (as stores give them back). */
  static LinkEvent event(Instant at, String source, String golden, String previous, Double score, String actor,
                         String comment) {
    LinkFacts facts = score == null ? new LinkFacts(LinkFacts.MANUAL, null, null, null, at, null)
        : new LinkFacts(LinkFacts.AUTO, score, "certain", "deterministic", at, "{\"name\":\"jw 0.97\"}");
    return new LinkEvent(null, at, source, golden, previous, facts, actor, comment);
  }

  /** A new person written with its link event. */
  static ChangeSet newPersonWithEvent(String source, String golden, String client, Instant at) {
    return new ChangeSet(at, List.of(new ChangeSet.SourceWrite(source, 0, 1, golden, auto(1.0),
        content("ev-" + source, "Esther", client))), List.of(new ChangeSet.GoldenWrite(golden, 0, 1, null,
        List.of(source))), List.of(), List.of(), List.of(event(at, source, golden, null, 1.0, client, null)),
        ChangeSet.AdminChanges.NONE);
  }

  static ChangeSet adminOnly(ChangeSet.AdminChanges admin) {
    return new ChangeSet(now(), List.of(), List.of(), List.of(), List.of(), List.of(), admin);
  }

  static ChangeSet.AdminChanges resolve(String itemId, String decision, String comment) {
    return new ChangeSet.AdminChanges(List.of(), List.of(), List.of(new ChangeSet.Resolution(itemId, decision,
        "admin-1", comment)), null);
  }

  static LinkEvent written(LinkEvent expected, LinkEvent actual) {
    assertTrue(actual.position() != null && !actual.position().isBlank(), "a written event has a position");
    return new LinkEvent(actual.position(), expected.at(), expected.sourceId(), expected.goldenId(),
        expected.previousGoldenId(), expected.facts(), expected.actor(), expected.comment());
  }
}
