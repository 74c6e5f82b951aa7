package org.clientregistry.pmir;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.clientregistry.calls.CallLog;
import org.clientregistry.config.ClientConfig;
import org.clientregistry.fhir.Fhir;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.identity.IdentityDomains;
import org.clientregistry.linking.LinkAdmin;
import org.clientregistry.linking.SubmissionResult;
import org.clientregistry.linking.SubmissionService;
import org.clientregistry.store.PatientStore;
import org.clientregistry.store.SourceRecord;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Carries out a PMIR message through the registry's own paths: every create, update and deprecation (merged and
 * deleted records are kept with {@code active: false}) is one all-or-nothing submission, and each merge is then a
 * link decision ({@link LinkAdmin#replacedBy}). Merges are checked before anything is written: a client merges only
 * its own records, golden records stay the administrators', and taking back a merge (unmerge) is a 405.
 */
public final class PmirFeed {
  /** A merged record keeps the registry id of its survivor here (its stored content has no links). */
  // Not under StructureDefinition/: the FHIR-server store keeps its own extensions there and takes them off on read.
  public static final String REPLACED_BY = "http://openclientregistry.org/fhir/pmir-replaced-by";

  private final SubmissionService submissions;
  private final LinkAdmin links;
  private final PatientStore store;
  private final Supplier<IdentityDomains> domains;

  public PmirFeed(SubmissionService submissions, LinkAdmin links, PatientStore store,
                  Supplier<IdentityDomains> domains) {
    this.submissions = submissions;
    this.links = links;
    this.store = store;
    this.domains = domains;
  }

  /** What each action of the message came to, in message order (its written record and whether it merged). */
  public record Done(PmirMessage.Action action, SubmissionResult result, String survivorId, SourceRecord record) {}

  public Future<List<Done>> process(ClientConfig client, PmirMessage message, CallLog log) {
    PatientStore store = this.store.observed(log);
    List<Future<Object>> checks = new ArrayList<>();
    for (PmirMessage.Action a : message.actions()) {
      checks.add(check(client, store, a));
    }
    return Future.all(checks).compose(all -> {
      List<SubmissionService.Entry> entries = new ArrayList<>();
      List<String> survivors = new ArrayList<>();
      for (int i = 0; i < message.actions().size(); i++) {
        PmirMessage.Action a = message.actions().get(i);
        Object checked = all.resultAt(i);
        String survivor = a.kind() == PmirMessage.Kind.MERGE ? (String) checked : null;
        survivors.add(survivor);
        entries.add(entry(a, checked, survivor));
      }
      return submissions.submitAll(client, entries, log).compose(results -> merges(client, store, message, results,
          survivors));
    });
  }

  /** Creates and updates as sent; a merged or deleted record is kept, deprecated ({@code active: false}). */
  private static SubmissionService.Entry entry(PmirMessage.Action a, Object checked, String survivor) {
    return switch (a.kind()) {
      case CREATE, UPDATE -> new SubmissionService.Entry(a.patient(), null);
      case MERGE -> {
        a.patient().setActive(false);
        a.patient().getExtension().removeIf(x -> REPLACED_BY.equals(x.getUrl()));
        a.patient().addExtension(REPLACED_BY, new Reference("Patient/" + survivor));
        yield new SubmissionService.Entry(a.patient(), null);
      }
      case DELETE -> {
        Patient stored = (Patient) checked;
        stored.setActive(false);
        yield new SubmissionService.Entry(stored, a.deleteId());
      }
    };
  }

  private Future<List<Done>> merges(ClientConfig client, PatientStore store, PmirMessage message,
                                    List<SubmissionResult> results, List<String> survivors) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < results.size(); i++) {
      String survivor = survivors.get(i);
      if (survivor != null) {
        String victim = results.get(i).record().id();
        LinkAdmin.Actor who = new LinkAdmin.Actor(client.id(), null, "PMIR merge (ITI-93)");
        chain = chain.compose(v -> links.replacedBy(who, victim, survivor));
      }
    }
    return chain.compose(v -> {
      List<Future<Done>> done = new ArrayList<>();
      for (int i = 0; i < results.size(); i++) {
        PmirMessage.Action a = message.actions().get(i);
        SubmissionResult r = results.get(i);
        String survivor = survivors.get(i);
        // A merged record was re-linked after its write: read it again to answer its new golden record.
        done.add(survivor == null ? Future.succeededFuture(new Done(a, r, null, r.record()))
            : store.source(r.record().id()).map(found -> new Done(a, r, survivor, found.orElse(r.record()))));
      }
      return Future.all(done).map(all -> done.stream().map(Future::result).toList());
    });
  }

  /**
   * What an action needs checked in the store before anything is written: for MERGE the survivor's id, for DELETE
   * the stored Patient, for UPDATE that it does not take back a merge.
   */
  private Future<Object> check(ClientConfig client, PatientStore store, PmirMessage.Action a) {
    return switch (a.kind()) {
      case CREATE -> Future.succeededFuture();
      case UPDATE -> own(client, store, a).map(found -> {
        if (found.isPresent() && found.get().resourceJson().contains(REPLACED_BY)) {
          throw new FhirException(405, IssueType.NOTSUPPORTED, "entry " + a.index() + ": Patient/"
              + found.get().id() + " was merged (replaced-by); PMIR does not take a merge back (unmerge). An"
              + " administrator can break the link (POST /links/break)");
        }
        return null;
      });
      case MERGE -> survivor(client, store, a).map(id -> (Object) id);
      case DELETE -> store.source(a.deleteId()).map(found -> {
        SourceRecord r = found.orElseThrow(() -> FhirException.notFound("entry " + a.index() + ": no Patient/"
            + a.deleteId()));
        if (!r.clientId().equals(client.id())) {
          throw FhirException.forbidden("entry " + a.index() + ": Patient/" + a.deleteId()
              + " belongs to another client; a client deletes only its own records");
        }
        return Fhir.parse(r.resourceJson());
      });
    };
  }

  /** The caller's stored record with the Patient's internal identifier, if any. */
  private Future<Optional<SourceRecord>> own(ClientConfig client, PatientStore store, PmirMessage.Action a) {
    for (Identifier id : a.patient().getIdentifier()) {
      String system = id.hasSystem() ? domains.get().canonical(id.getSystem()) : null;
      if (system != null && id.hasValue() && client.ownsSystem(system)) {
        return store.sourceByInternalId(client.id(), system, id.getValue());
      }
    }
    return Future.succeededFuture(Optional.empty()); // the submission refuses it with its own message
  }

  /** The surviving record a replaced-by link names: one of the caller's own source records. */
  private Future<String> survivor(ClientConfig client, PatientStore store, PmirMessage.Action a) {
    Reference other = a.survivor();
    String at = "entry " + a.index() + ": ";
    if (other.hasReference()) {
      String id = other.getReferenceElement().getIdPart();
      return store.source(id).compose(found -> found.isPresent() ? Future.succeededFuture(found)
              : store.golden(id).map(golden -> {
                if (golden.isPresent()) {
                  throw FhirException.forbidden(at + "Patient/" + id + " is a golden record; merging golden records"
                      + " is an administrator's decision (POST /links/merge)");
                }
                throw FhirException.notFound(at + "the replaced-by Patient/" + id + " does not exist");
              }))
          .map(found -> ownedBy(client, found.get(), at));
    }
    Identifier ident = other.getIdentifier();
    String system = ident.hasSystem() ? domains.get().canonical(ident.getSystem()) : "";
    Future<List<SourceRecord>> records = client.ownsSystem(system)
        ? store.sourceByInternalId(client.id(), system, ident.getValue()).map(o -> o.map(List::of).orElse(List.of()))
        : store.sourceIdsByIdentifier(system, ident.getValue()).compose(ids -> {
          List<Future<Optional<SourceRecord>>> reads = ids.stream().map(store::source).toList();
          return Future.all(reads).map(all -> reads.stream().map(Future::result).flatMap(Optional::stream).toList());
        });
    return records.map(found -> {
      if (found.isEmpty()) {
        throw FhirException.notFound(at + "no record carries the replaced-by identifier " + system + "|"
            + ident.getValue());
      }
      return found.stream().filter(r -> r.clientId().equals(client.id())).findFirst()
          .map(r -> r.id()).orElseGet(() -> ownedBy(client, found.get(0), at));
    });
  }

  private static String ownedBy(ClientConfig client, SourceRecord r, String at) {
    if (!r.clientId().equals(client.id())) {
      throw FhirException.forbidden(at + "the replaced-by Patient/" + r.id() + " belongs to another client; a client"
          + " may merge only its own records (an administrator merges across clients)");
    }
    return r.id();
  }
}
