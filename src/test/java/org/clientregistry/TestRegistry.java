package org.clientregistry;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.clientregistry.config.ConfigLoader;
import org.clientregistry.config.RegistryConfig;

/**
 * A real registry for tests: the project's config/ with a free port, a temporary data directory and freshly made
 * certificates, served over HTTPS; and HTTPS clients that present the example clients' certificates.
 */
public final class TestRegistry implements AutoCloseable {
  public final Vertx vertx;
  public final Path dir;
  public final int port;
  private final Map<String, String> env;
  private final Map<String, WebClient> clients = new HashMap<>();
  private Registry registry;

  public TestRegistry(Path dir) {
    this(dir, Map.of());
  }

  public TestRegistry(Path dir, Map<String, String> extraEnv) {
    this.vertx = Vertx.vertx();
    this.dir = dir;
    this.port = freePort();
    this.env = new HashMap<>(Map.of(
        "CR_SERVER_PORT", Integer.toString(port),
        "CR_STORE_DATA_DIR", dir.resolve("data").toString(),
        "CR_TLS_CERTIFICATES_DIR", dir.resolve("certificates").toString(),
        "CR_STORE_SYNCHRONOUS", "normal"));
    this.env.putAll(extraEnv);
  }

  public Map<String, String> env() {
    return env;
  }

  public RegistryConfig config() {
    return ConfigLoader.load(Path.of("config"), env);
  }

  public TestRegistry start() {
    registry = Registry.start(vertx, config()).await();
    return this;
  }

  public void stop() {
    if (registry != null) {
      registry.stop().await();
      registry = null;
    }
  }

  /** The running registry (null when stopped). */
  public Registry registry() {
    return registry;
  }

  public Path certificates() {
    return dir.resolve("certificates");
  }

  /** An HTTPS client presenting clients/<id>.crt, trusting the registry's CA. */
  public WebClient client(String id) {
    return clients.computeIfAbsent(id, k -> client(certificates().resolve("clients/" + k + ".crt"),
        certificates().resolve("clients/" + k + ".key")));
  }

  public WebClient client(Path cert, Path key) {
    WebClientOptions options = baseOptions();
    if (cert != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()));
    }
    // As many connections as the harnesses keep requests in flight (the default pool has 5).
    return WebClient.create(vertx, options, new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
  }

  private WebClientOptions baseOptions() {
    return new WebClientOptions().setSsl(true).setDefaultHost("localhost").setDefaultPort(port)
        .setTrustOptions(new PemTrustOptions().addCertPath(certificates().resolve("ca.crt").toString()));
  }

  /**
   * A client that sends its certificate even when its issuer is not among the CAs the server names (as curl and
   * OpenSSL do; the JDK's own key manager would send none).
   */
  public WebClient clientPresentingAlways(Path cert, Path key) throws Exception {
    javax.net.ssl.X509KeyManager pem = (javax.net.ssl.X509KeyManager) new io.vertx.core.net.PemKeyCertOptions()
        .setCertPath(cert.toString()).setKeyPath(key.toString()).getKeyManagerFactory(vertx)
        .getKeyManagers()[0];
    String alias = pem.getClientAliases("EC", null)[0];
    javax.net.ssl.X509KeyManager always = new javax.net.ssl.X509ExtendedKeyManager() {
      public String[] getClientAliases(String type, java.security.Principal[] issuers) {
        return new String[] {alias};
      }
      public String chooseClientAlias(String[] type, java.security.Principal[] issuers, java.net.Socket s) {
        return alias;
      }
      public String chooseEngineClientAlias(String[] type, java.security.Principal[] issuers,
                                            javax.net.ssl.SSLEngine e) {
        return alias;
      }
      public String[] getServerAliases(String type, java.security.Principal[] issuers) {
        return null;
      }
      public String chooseServerAlias(String type, java.security.Principal[] issuers, java.net.Socket s) {
        return null;
      }
      public java.security.cert.X509Certificate[] getCertificateChain(String a) {
        return pem.getCertificateChain(a);
      }
      public java.security.PrivateKey getPrivateKey(String a) {
        return pem.getPrivateKey(a);
      }
    };
    return io.vertx.ext.web.client.WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions()
        .setSsl(true).setDefaultHost("localhost").setDefaultPort(port)
        .setKeyCertOptions(io.vertx.core.net.KeyCertOptions.wrap(always))
        .setTrustOptions(new io.vertx.core.net.PemTrustOptions()
            .addCertPath(certificates().resolve("ca.crt").toString())));
  }

  public HttpResponse<Buffer> post(String clientId, String path, JsonObject body) {
    return client(clientId).post(path).putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(Buffer.buffer(body.encode())).await();
  }

  public HttpResponse<Buffer> put(String clientId, String path, JsonObject body) {
    return client(clientId).put(path).putHeader("Content-Type", "application/fhir+json")
        .sendBuffer(Buffer.buffer(body.encode())).await();
  }

  public HttpResponse<Buffer> get(String clientId, String path) {
    return client(clientId).get(path).send().await();
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      clients.values().forEach(WebClient::close);
      vertx.close().await();
    }
  }

  /** Ports handed out below the kernel's ephemeral range, from a random start, each at most once per JVM. */
  private static final int LOW = 20000, HIGH = 32000;
  private static final java.util.concurrent.atomic.AtomicInteger NEXT =
      new java.util.concurrent.atomic.AtomicInteger(new java.util.Random().nextInt(HIGH - LOW));

  /**
   * A port free now, for a server a test starts on it later. Not from the ephemeral range (where port 0 binds
   * land): there every outgoing connection of any process on the machine takes ports too, so the port could be
   * gone before the server binds it (seen once as a BindException on a busy machine).
   */
  public static int freePort() {
    for (int tries = 0; tries < HIGH - LOW; tries++) {
      int port = LOW + Math.floorMod(NEXT.getAndIncrement(), HIGH - LOW);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new java.net.InetSocketAddress(port));
        return port;
      } catch (IOException inUse) {
        // taken: the next one
      }
    }
    throw new IllegalStateException("no free port in " + LOW + ".." + HIGH);
  }
}
