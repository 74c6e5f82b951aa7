package org.clientregistry.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import org.clientregistry.config.RegistryConfig;
import org.clientregistry.linking.LinkAdmin;
import org.clientregistry.linking.MatchService;
import org.clientregistry.linking.Rematch;
import org.clientregistry.linking.ReviewView;
import org.clientregistry.linking.RulesRuntime;
import org.clientregistry.linking.SubmissionService;
import org.clientregistry.store.PatientStore;
import org.clientregistry.users.Accounts;
import org.clientregistry.users.LockOut;
import org.clientregistry.users.Passwords;
import org.clientregistry.users.UserFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the console to the registry's services and starts its listener, once there is an account to sign in with. */
public final class Console {
  private static final Logger LOG = LoggerFactory.getLogger(Console.class);

  private Console() {}

  /** Completes with the running console, or with null when it is switched off or has no users yet. */
  public static Future<ConsoleServer> start(Vertx vertx, RegistryConfig config, WorkerExecutor worker,
                                            PatientStore store, RulesRuntime matching, SubmissionService writer) {
    RegistryConfig.Console c = config.console();
    UserFile users = new UserFile(c.usersFile());
    if (!c.enabled()) {
      return Future.succeededFuture(null);
    }
    // The Argon2 hasher makes its decoy hash when built: slow on purpose, so built on a worker.
    return worker.executeBlocking(() -> users.exists() ? new Passwords() : null, false).compose(passwords -> {
      if (passwords == null) {
        LOG.info("Console not started: no console users yet (add the first with `user add NAME --role admin`)");
        return Future.succeededFuture(null);
      }
      int max = config.matching().maxCandidates();
      Accounts accounts = new Accounts(worker, users, passwords,
          new LockOut(c.maxFailures(), Duration.ofMinutes(c.lockMinutes()), Clock.systemUTC()), store);
      ConsoleServices services = new ConsoleServices(worker, store,
          new LinkAdmin(vertx, worker, store, matching, writer, max), new ReviewView(worker, store, matching),
          new Rematch(vertx, worker, store, matching, writer, max), new MatchService(matching), matching, accounts,
          new EditedRules(vertx, worker, store, writer, config.matching().rulesFile(),
              config.matching().nicknamesFile(), max));
      return accounts.list().compose(x -> ConsoleServer.start(vertx, config, services)).onSuccess(s ->
          LOG.info("Console serving HTTPS on {}:{}/admin/", c.host(), s.port()));
    });
  }
}
