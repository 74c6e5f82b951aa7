package org.clientregistry.store.fhirserver;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** An item of a group (Batches) and its caller's answer, given on the caller's own Vert.x context. */
final class Answered<T, R> {
  private final T item;
  private final Promise<R> answer = Promise.promise();
  private final Context context = Vertx.currentContext();

  Answered(T item) {
    this.item = item;
  }

  T item() {
    return item;
  }

  Future<R> answer() {
    return answer.future();
  }

  void settle(AsyncResult<R> result) {
    if (context == null) {
      answer.handle(result);
    } else {
      context.runOnContext(v -> answer.handle(result));
    }
  }
}
