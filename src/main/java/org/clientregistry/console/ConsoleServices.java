package org.clientregistry.console;

import java.util.function.Supplier;
import org.clientregistry.linking.LinkAdmin;
import org.clientregistry.linking.MatchService;
import org.clientregistry.linking.MatchingState;
import org.clientregistry.linking.Rematch;
import org.clientregistry.linking.ReviewView;
import org.clientregistry.store.PatientStore;
import org.clientregistry.users.Accounts;

/** What the console's pages call: the administration services the JSON API uses too, and the accounts. */
public record ConsoleServices(io.vertx.core.WorkerExecutor worker, PatientStore store, LinkAdmin links, ReviewView reviews, Rematch rematch,
                              MatchService search, Supplier<MatchingState> matching, Accounts accounts,
                              EditedRules editedRules) {}
