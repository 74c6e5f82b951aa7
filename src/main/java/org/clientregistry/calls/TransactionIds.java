package org.clientregistry.calls;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/**
 * The OpenHIM transaction id of the request being served, kept in the request's own (duplicated) Vert.x context:
 * a thread-local MDC would leak between the many requests an event loop interleaves. Work a request hands to a
 * worker with executeBlocking runs on the same context, so its log lines carry the id too.
 */
public final class TransactionIds {
  private static final String KEY = "openhim.transactionId";

  private TransactionIds() {}

  /** Remembers the id for the request being served on the calling thread's context. */
  public static void set(String transactionId) {
    Context ctx = Vertx.currentContext();
    if (ctx instanceof ContextInternal internal && internal.isDuplicate()) {
      internal.localContextData().put(KEY, transactionId);
    }
  }

  /** The id of the request being served on this thread, or null. */
  public static String current() {
    Context ctx = Vertx.currentContext();
    if (ctx instanceof ContextInternal internal && internal.isDuplicate()) {
      Object id = internal.localContextData().get(KEY);
      return id == null ? null : id.toString();
    }
    return null;
  }
}
