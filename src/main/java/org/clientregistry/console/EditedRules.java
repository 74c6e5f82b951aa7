package org.clientregistry.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clientregistry.fhir.FhirException;
import org.clientregistry.fhir.FieldExtractor;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.clientregistry.linking.IndexLoader;
import org.clientregistry.linking.MatchingState;
import org.clientregistry.linking.Rematch;
import org.clientregistry.linking.SubmissionService;
import org.clientregistry.matching.DecisionRulesParser;
import org.clientregistry.matching.Nicknames;
import org.clientregistry.store.PatientStore;

/**
 * The re-match dry run of an edited rules text, before anything is applied: the text is validated as the rules
 * file would be, a matching index is built for it from the store (as a rules reload would), and the re-match dry
 * run decides every golden record under it. Nothing is written and the rules in force stay. The second index
 * costs as much memory as the one in force while the dry run lasts: on a large registry, run it when there is room.
 */
final class EditedRules {
  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final PatientStore store;
  private final SubmissionService writer;
  private final Path rulesFile;
  private final Path nicknamesFile;
  private final int maxCandidates;
  /** One at a time: each holds an index as large as the one in force. */
  private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();

  EditedRules(Vertx vertx, WorkerExecutor worker, PatientStore store, SubmissionService writer, Path rulesFile,
              Path nicknamesFile, int maxCandidates) {
    this.vertx = vertx;
    this.worker = worker;
    this.store = store;
    this.writer = writer;
    this.rulesFile = rulesFile;
    this.nicknamesFile = nicknamesFile;
    this.maxCandidates = maxCandidates;
  }

  /** The rules file's text (where the rules in force came from, unless OpenHIM's console pushed others). */
  Future<String> current() {
    return worker.executeBlocking(() -> Files.isReadable(rulesFile) ? Files.readString(rulesFile) : "", false);
  }

  Future<Rematch.Report> dryRun(String rulesJson) {
    if (!running.compareAndSet(false, true)) {
      return Future.failedFuture(new FhirException(409, IssueType.CONFLICT,
          "A dry run of edited rules is already running; try again when it is done"));
    }
    return worker.executeBlocking(() -> {
      Nicknames nicknames = Files.exists(nicknamesFile) ? Nicknames.read(nicknamesFile) : Nicknames.NONE;
      return DecisionRulesParser.parse(rulesJson, FieldExtractor::validate, nicknames);
    }, false).compose(rules -> {
      MatchingState edited = MatchingState.of(rules, maxCandidates);
      return new IndexLoader(store, rules, edited.extractor()).load(edited.index()).map(n -> edited);
    }).compose(edited -> new Rematch(vertx, worker, store, () -> edited, writer, maxCandidates).dryRun())
        .eventually(() -> {
          running.set(false);
          return Future.succeededFuture();
        });
  }
}
