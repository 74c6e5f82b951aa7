package org.clientregistry.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clientregistry.store.SubscriptionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A subscription deleted while its delivery is saving its cursor: the delete must wait for that save, or a store
 * that writes the save after the delete (a FHIR server's PUT) brings the deleted subscription back.
 */
class DeliveryTest {
  private static Vertx vertx;
  private static HttpServer endpoint;
  private static WebClient web;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    endpoint = vertx.createHttpServer().requestHandler(r -> r.response().setStatusCode(200).end())
        .listen(0, "127.0.0.1").await();
    web = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    web.close();
    vertx.close().await();
  }

  /** A store with one change to deliver whose saves wait until the test lets them finish. */
  private static final class HeldSaves implements SubscriptionStore {
    final List<StoredSubscription> saves = new CopyOnWriteArrayList<>();
    final Promise<Void> release = Promise.promise();
    volatile boolean delivered;

    @Override
    public Future<List<GoldenChange>> goldenChanges(long after, int count) {
      return Future.succeededFuture(after == 0 ? List.of(new GoldenChange(1, "golden-1", 1)) : List.of());
    }

    @Override
    public Future<Long> latestChange() {
      return Future.succeededFuture(1L);
    }

    @Override
    public Future<List<StoredSubscription>> subscriptions() {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<Void> saveSubscription(StoredSubscription subscription) {
      saves.add(subscription);
      delivered = true;
      return release.future();
    }

    @Override
    public Future<Boolean> deleteSubscription(String id) {
      return Future.succeededFuture(true);
    }
  }

  @Test
  void stoppingWaitsForTheSaveInFlight() throws InterruptedException {
    HeldSaves store = new HeldSaves();
    Notifications notifications = new Notifications(web, null, null, null, "http://example.org/cruid");
    Delivery delivery = new Delivery(vertx, store, notifications, new SubscriptionRequest.Channel(
        "http://127.0.0.1:" + endpoint.actualPort() + "/hook", false, List.of()),
        new SubscriptionStore.StoredSubscription("sub-1", "openmrs", "{}", Delivery.ACTIVE, null, 0));
    vertx.runOnContext(v -> delivery.wake(1));
    for (int i = 0; i < 600 && !store.delivered; i++) {
      Thread.sleep(100); // the notification goes out, then its cursor is saved
    }
    assertEquals(1, store.saves.size(), "the cursor save after the notification");
    assertEquals(1, store.saves.get(0).cursor());
    Future<Void> stopped = delivery.stop();
    assertFalse(stopped.isComplete(), "not stopped while the save is under way");
    store.release.complete();
    stopped.await();
    assertTrue(stopped.succeeded());
  }
}
