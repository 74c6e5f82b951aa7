package org.clientregistry.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * What subscriptions (ITI-94) need of a store: the golden records changed after a position, in the order they were
 * committed, and the subscriptions with each one's delivery cursor. A golden record's version rises on every
 * create, update, merge and CRUID change of its members, so its change position is the patient change feed; a
 * golden record changed twice since a position is listed once, at its latest change.
 */
public interface SubscriptionStore {

  /** Golden records changed after {@code after} (0: from the start), oldest change first. */
  Future<List<GoldenChange>> goldenChanges(long after, int count);

  /** The position of the latest change (0 when nothing changed yet): where a new subscription starts. */
  Future<Long> latestChange();

  Future<List<StoredSubscription>> subscriptions();

  /** Inserts or replaces the subscription (its resource, status, error and cursor). */
  Future<Void> saveSubscription(StoredSubscription subscription);

  /** Whether there was one to delete. */
  Future<Boolean> deleteSubscription(String id);

  record GoldenChange(long position, String goldenId, int version) {}

  /** A subscription as stored: its owner (client id), the Subscription JSON, status, last error and cursor. */
  record StoredSubscription(String id, String owner, String resourceJson, String status, String error,
                            long cursor) {
    public StoredSubscription with(String newStatus, String newError, long newCursor) {
      return new StoredSubscription(id, owner, resourceJson, newStatus, newError, newCursor);
    }
  }
}
