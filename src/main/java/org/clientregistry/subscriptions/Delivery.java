package org.clientregistry.subscriptions;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import org.clientregistry.store.SubscriptionStore;
import org.clientregistry.store.SubscriptionStore.GoldenChange;
import org.clientregistry.store.SubscriptionStore.StoredSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifications of one subscription, one at a time in change order: the cursor (the last change delivered) is
 * stored after each 2xx, so a restart resumes after it. A failure keeps the change at the head, sets the status to
 * {@code error} and tries again after an exponential back-off (1 s doubling up to {@link #MAX_DELAY_MILLIS}); the
 * next success sets {@code active} again. Runs on one event-loop context, so its state needs no locks.
 */
final class Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
  static final String ACTIVE = "active";
  static final String ERROR = "error";
  static final long FIRST_DELAY_MILLIS = 1_000;
  static final long MAX_DELAY_MILLIS = 300_000;
  private static final int BATCH = 100;

  private final Vertx vertx;
  private final SubscriptionStore store;
  private final Notifications notifications;
  private final SubscriptionRequest.Channel channel;
  private final ArrayDeque<GoldenChange> pending = new ArrayDeque<>();
  private volatile StoredSubscription state;
  private boolean busy;
  private volatile boolean stopped;
  private volatile Future<Void> saving = Future.succeededFuture();
  private int failures;

  Delivery(Vertx vertx, SubscriptionStore store, Notifications notifications, SubscriptionRequest.Channel channel,
           StoredSubscription state) {
    this.vertx = vertx;
    this.store = store;
    this.notifications = notifications;
    this.channel = channel;
    this.state = state;
  }

  StoredSubscription state() {
    return state;
  }

  /** Starts delivering if changes after the cursor wait and nothing is under way (or waiting to retry). */
  void wake(long latest) {
    if (!busy && !stopped && state.cursor() < latest) {
      busy = true;
      next();
    }
  }

  /**
   * Stops delivering; completes once a save already sent has ended, so that a delete that follows is not undone by
   * that save arriving after it (a FHIR server would create the subscription again).
   */
  Future<Void> stop() {
    stopped = true;
    return saving.otherwiseEmpty();
  }

  private void next() {
    if (stopped) {
      busy = false;
      return;
    }
    if (pending.isEmpty()) {
      store.goldenChanges(state.cursor(), BATCH).onComplete(read -> {
        if (read.failed() || read.result().isEmpty()) {
          busy = false; // a failed read is tried again at the next wake
          return;
        }
        pending.addAll(read.result());
        next();
      });
      return;
    }
    GoldenChange change = pending.peek();
    notifications.send(channel, change).compose(v -> save(ACTIVE, null, change.position())).onComplete(done -> {
      if (done.succeeded()) {
        pending.poll();
        failures = 0;
        next();
      } else {
        retryLater(done.cause());
      }
    });
  }

  private void retryLater(Throwable cause) {
    failures++;
    long delay = Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << Math.min(failures - 1, 20));
    // The reason names the endpoint's answer, never a patient.
    String error = "Notification failed " + failures + " time(s), next attempt in " + delay / 1000 + " s: "
        + cause.getMessage();
    LOG.warn("Subscription {}: {}", state.id(), error);
    Future<Void> saved = save(ERROR, error, state.cursor());
    saved.onComplete(v -> vertx.setTimer(delay, t -> next()));
  }

  private Future<Void> save(String status, String error, long cursor) {
    StoredSubscription next = state.with(status, error, cursor);
    if (stopped) {
      return Future.succeededFuture(); // deleted meanwhile: write nothing back
    }
    saving = store.saveSubscription(next).onSuccess(v -> state = next);
    return saving;
  }
}
