package org.clientregistry.api;

import org.clientregistry.logging.BurstLog;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.clientregistry.config.RegistryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what connections may hold, so that idle or slow clients cannot use up the process's sockets: a cap on
 * open connections in all and per remote address, and deadlines for a fresh connection's first request, for a
 * request's body, and for an idle keep-alive connection. One guard serves every server instance of the process.
 * (Connections still in the TLS handshake are bounded by the handshake timeout, set in the server options.)
 */
public final class ConnectionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  private final RegistryConfig.Connections limits;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<HttpConnection, Watch> watches = new ConcurrentHashMap<>();
  private final BurstLog refused;
  private final BurstLog closed;

  public ConnectionGuard(Vertx vertx, RegistryConfig.Connections limits) {
    this.limits = limits;
    this.refused = new BurstLog(vertx, LOG, "connections refused", 10_000);
    this.closed = new BurstLog(vertx, LOG, "slow or idle connections closed", 10_000);
  }

  /** Open connections now (tests, metrics). */
  public int open() {
    return open.get();
  }

  /** A new HTTP connection (after its TLS handshake): counted, refused over a cap, watched until it closes. */
  public void connected(Vertx vertx, HttpConnection conn) {
    String address = conn.remoteAddress() == null ? "unknown" : conn.remoteAddress().hostAddress();
    int fromAddress = perAddress.merge(address, 1, Integer::sum);
    int all = open.incrementAndGet();
    conn.closeHandler(v -> {
      open.decrementAndGet();
      perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
      Watch watch = watches.remove(conn);
      if (watch != null) {
        watch.cancel();
      }
    });
    if (all > limits.maxConnections() || fromAddress > limits.maxConnectionsPerAddress()) {
      refused.warn("Connection from {} refused: {} open from that address (cap server.maxConnectionsPerAddress {}),"
          + " {} in all (cap server.maxConnections {})", address, fromAddress, limits.maxConnectionsPerAddress(), all,
          limits.maxConnections());
      conn.close();
      return;
    }
    Watch watch = new Watch(vertx, conn, address);
    watches.put(conn, watch);
    watch.arm(limits.headerTimeoutSeconds());
  }

  /** A request's headers arrived: its body is now due. */
  public void request(HttpServerRequest request) {
    Watch watch = watches.get(request.connection());
    if (watch != null) {
      watch.request(request);
    }
  }

  /** One connection's deadline; runs on the connection's event loop only. */
  private final class Watch {
    private final Vertx vertx;
    private final HttpConnection conn;
    private final String address;
    private HttpServerRequest current;
    private HttpServerRequest answeredAtLastLook;
    private long timer = -1;

    Watch(Vertx vertx, HttpConnection conn, String address) {
      this.vertx = vertx;
      this.conn = conn;
      this.address = address;
    }

    void request(HttpServerRequest request) {
      current = request;
      arm(limits.bodyTimeoutSeconds());
      // The end future does not take the place of the body handlers the router sets.
      request.end().onSuccess(v -> {
        if (current == request) {
          arm(limits.idleTimeoutSeconds());
        }
      });
    }

    void arm(int seconds) {
      cancel();
      timer = vertx.setTimer(seconds * 1000L, id -> check());
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    private void check() {
      timer = -1;
      if (current == null) {
        close("sent no request within server.headerTimeoutSeconds (" + limits.headerTimeoutSeconds() + " s)");
      } else if (!current.isEnded()) {
        close("did not send its request body within server.bodyTimeoutSeconds (" + limits.bodyTimeoutSeconds()
            + " s)");
      } else if (!current.response().ended()) {
        arm(limits.idleTimeoutSeconds()); // still being answered: never cut a request the registry is working on
      } else if (answeredAtLastLook != current) {
        answeredAtLastLook = current; // answered since the last look: idle for a full interval from now
        arm(limits.idleTimeoutSeconds());
      } else {
        LOG.debug("Connection from {} closed after server.idleTimeoutSeconds without a request", address);
        conn.close(); // an ordinary end of a keep-alive connection: not worth a warning
      }
    }

    private void close(String why) {
      closed.warn("Connection from {} closed: it {}", address, why);
      conn.close();
    }
  }
}
