package org.clientregistry.security;

import static org.clientregistry.Patients.jane;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.clientregistry.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections that hold sockets without sending a request (idle, mid-handshake, slow headers) are bounded and end by
 * themselves, and a certified client is served meanwhile. All traffic is loopback; the flood comes from other
 * loopback source addresses (127.0.0.2, 127.0.0.3) so that the per-address cap does not touch the certified client.
 */
class ConnectionFloodTest {
  private static final int PER_ADDRESS = 20;
  /**
   * Long enough that no slow-header connection is cut before the over-cap check even on a loaded machine (at 45 s one
   * CI run lost that race), and short enough that every close comes within the 300 s the test waits for it.
   */
  private static final int DEADLINE_SECONDS = 100;

  @TempDir
  static Path dir;
  static TestRegistry registry;
  static int healthPort = TestRegistry.freePort();

  @BeforeAll
  static void start() {
    String deadline = Integer.toString(DEADLINE_SECONDS);
    registry = new TestRegistry(dir, Map.of("CR_SERVER_MAX_CONNECTIONS_PER_ADDRESS", Integer.toString(PER_ADDRESS),
        "CR_SERVER_HEADER_TIMEOUT_SECONDS", deadline, "CR_SERVER_BODY_TIMEOUT_SECONDS", deadline,
        "CR_SERVER_TLS_HANDSHAKE_TIMEOUT_SECONDS", deadline, "CR_SERVER_IDLE_TIMEOUT_SECONDS", deadline,
        "CR_SERVER_HEALTH_PORT", Integer.toString(healthPort))).start();
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  void idleAndSlowConnectionsLeaveACertifiedClientServedAndEndByThemselves() throws Exception {
    // 200 TCP connections that never start the TLS handshake.
    List<Socket> idle = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Socket s = new Socket();
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      s.connect(new InetSocketAddress("127.0.0.1", registry.port));
      s.setSoTimeout(300_000);
      idle.add(s);
    }
    // Slow-header clients with a valid certificate, up to the per-address cap: each sends half a request line.
    NetClient slow = registry.vertx.createNetClient(tls("127.0.0.3").setKeyCertOptions(openmrsCertificate()));
    CountDownLatch slowClosed = new CountDownLatch(PER_ADDRESS);
    for (int i = 0; i < PER_ADDRESS; i++) {
      NetSocket socket = slow.connect(registry.port, "localhost")
          .map(c -> c.closeHandler(v -> slowClosed.countDown())).await();
      socket.write("POST /fhir/Patient HTTP/1.1\r\nHost: loc").await();
    }

    // The certified client is served while all of that is open.
    assertEquals(201, registry.post("openmrs", "/fhir/Patient", jane("openmrs", "flood-1")).statusCode());
    // One more certified connection from the flooding address is over its cap: closed without an answer.
    Buffer answer = Buffer.buffer();
    CountDownLatch overCapClosed = new CountDownLatch(1);
    // The handlers go on in the connect callback, on the event loop: the registry may close the connection at once,
    // and a close delivered before they were set would never be seen.
    NetSocket overCap = slow.connect(registry.port, "localhost")
        .map(s -> s.handler(answer::appendBuffer).closeHandler(v -> overCapClosed.countDown())).await();
    overCap.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertTrue(overCapClosed.await(300, TimeUnit.SECONDS));
    assertEquals(0, answer.length(), "no answer over the cap: " + answer);
    // A client without a certificate does not get past the handshake.
    WebClient anonymous = registry.client(null, null);
    assertThrows(RuntimeException.class, () -> anonymous.get("/health").send().await());

    // Everything the flood opened is closed by the registry, without the flood doing anything more.
    assertTrue(slowClosed.await(300, TimeUnit.SECONDS), "slow-header connections were closed by the registry");
    for (Socket s : idle) {
      try (s; InputStream in = s.getInputStream()) {
        assertEquals(-1, in.read(), "a connection that never began its handshake was closed by the registry");
      }
    }
    assertEquals(200, registry.get("openmrs", "/health").statusCode());
  }

  @Test
  void aSlowBodyIsCutOffAndTheClientStaysServed() throws Exception {
    NetClient slow = registry.vertx.createNetClient(tls("127.0.0.3").setKeyCertOptions(openmrsCertificate()));
    NetSocket socket = slow.connect(registry.port, "localhost").await();
    CountDownLatch closed = new CountDownLatch(1);
    socket.closeHandler(v -> closed.countDown());
    socket.write("POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/fhir+json\r\n"
        + "Content-Length: 1000\r\n\r\n{\"resourceType\":").await();
    assertTrue(closed.await(300, TimeUnit.SECONDS), "a body that never arrives ends its connection");
    assertEquals(200, registry.get("openmrs", "/health").statusCode());
  }

  @Test
  void healthChecksWithoutACertificateUseTheLoopbackHealthPort() {
    WebClient plain = WebClient.create(registry.vertx);
    assertEquals(200, plain.get(healthPort, "127.0.0.1", "/health").send().await().statusCode());
    assertEquals(200, plain.head(healthPort, "127.0.0.1", "/health").send().await().statusCode());
    assertEquals(200, plain.get(healthPort, "127.0.0.1", "/ready").send().await().statusCode());
    assertEquals(404, plain.get(healthPort, "127.0.0.1", "/fhir/metadata").send().await().statusCode());
    assertEquals(200, registry.client("openmrs").head("/health").send().await().statusCode());
  }

  private static NetClientOptions tls(String localAddress) {
    return new NetClientOptions().setSsl(true).setLocalAddress(localAddress).setHostnameVerificationAlgorithm("")
        .setTrustOptions(new PemTrustOptions().addCertPath(registry.certificates().resolve("ca.crt").toString()));
  }

  private static PemKeyCertOptions openmrsCertificate() {
    Path certs = registry.certificates();
    return new PemKeyCertOptions().setCertPath(certs.resolve("clients/openmrs.crt").toString())
        .setKeyPath(certs.resolve("clients/openmrs.key").toString());
  }
}
