package org.clientregistry.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The whole validated configuration of one registry process. Immutable. */
public record RegistryConfig(
    Server server,
    Tls tls,
    Store store,
    Matching matching,
    String cruidSystem,
    int workerPoolSize,
    Map<String, ClientConfig> clients,
    Mediator mediator,
    boolean auditLookups,
    Console console, Identity identity, boolean production, Lookups lookups,
    org.clientregistry.pdq.Survivorship survivorship) {

  /**
   * What lookups ($match, PIX, PDQm) disclose and how often (docs/security.md): per client, at most
   * {@code perClientPerMinute} lookups a minute (0: no limit); a point-of-service $match answers a golden record id
   * only for a certain match on which at least {@code matchMinAgreeingFields} fields besides names and gender agree.
   */
  public record Lookups(int perClientPerMinute, int matchMinAgreeingFields) {}

  /** Identity domains declared in the clients file, and whether identifiers of undeclared ones are accepted. */
  public record Identity(java.util.List<org.clientregistry.identity.IdentityDomain> domains, boolean acceptUnknown) {}

  /** {@code tls} false serves plain HTTP: only allowed in mediator mode, behind OpenHIM core on a private network. */
  public record Server(String host, int port, int instances, String publicBaseUrl, long bodyLimitBytes,
                       int maxBundleEntries, boolean tls, Connections connections) {}

  /**
   * What one connection may hold (docs/security.md): the client certificate required at the handshake
   * (standalone), deadlines for the handshake, a fresh connection's first request headers, a request body and an
   * idle keep-alive connection, and caps on open connections in all and per remote address. {@code healthPort}
   * (0: none) serves /health and /ready over plain HTTP on the loopback interface, for container health checks
   * that hold no client certificate.
   */
  public record Connections(boolean certificateRequired, int tlsHandshakeTimeoutSeconds, int headerTimeoutSeconds,
                            int bodyTimeoutSeconds, int idleTimeoutSeconds, int maxConnections,
                            int maxConnectionsPerAddress, int healthPort) {}

  public record Tls(Path certificatesDir, boolean createDevCertificates, Path serverCertificate, Path serverKey,
                    Path caCertificate) {}

  /** {@code keepIndex}: the embedded store keeps the matching index on disk at a clean stop, for a fast restart. */
  /** {@code recordIdKey}: the secret record ids are made with (empty: a key file in the certificates folder). */
  public record Store(String type, Path dataDir, String synchronous, boolean keepIndex, FhirServer fhirServer,
                      String recordIdKey) {}

  /**
   * The FHIR server behind the {@code fhirserver} store: base URL, Basic ({@code username}/{@code password}) or
   * bearer credentials (at most one kind), timeouts, extra trusted CA certificates (PEM, empty: the JVM's), how
   * often to look for other writers' changes, the page size of index loads, and how many submissions'
   * transactions go to the server at once (those ready meanwhile go together).
   */
  public record FhirServer(String baseUrl, String username, String password, String bearerToken,
                           int connectTimeoutMs, int requestTimeoutMs, String trustPem, int followSeconds,
                           int pageSize, int retryAfterSeconds, int transactionsInFlight) {}

  /**
   * OpenHIM mediator mode ({@code register}): registration and heartbeat with core, config from the console,
   * requests accepted only from core, answers in the OpenHIM envelope. {@code coreClientCertificate} (PEM, or null):
   * the certificate core presents on HTTPS routes, trusted at the handshake beside the CA file.
   */
  public record Mediator(boolean register, Path descriptionFile, Core core, Route route, String endpointHost,
                         int heartbeatSeconds, int configEveryBeats, String coreCertificateName,
                         boolean orchestrationBodies, Path coreClientCertificate) {}

  /** How the registry reaches core's API. {@code auth} is basic or token (cores before 5.1). */
  public record Core(String apiUrl, String username, String password, String auth, Path trustCertificate,
                     boolean trustAll, int timeoutSeconds) {}

  /** The Basic credentials core's route presents to the registry (put into the channel at registration). */
  public record Route(String username, String password) {}

  /** {@code maxComparisonsPerRequest}, {@code maxReviewItemsPerRequest}: the most work one request may cause. */
  public record Matching(Path rulesFile, int maxCandidates, int watchRulesSeconds, Path nicknamesFile,
                         int maxComparisonsPerRequest, int maxReviewItemsPerRequest) {}

  public Connections connections() {
    return server.connections();
  }

  /**
   * The administrators' browser console (docs/administration.md): its own HTTPS listener (the server certificate),
   * on localhost unless set otherwise; users in {@code usersFile}; sessions end after {@code idleSeconds} idle;
   * an account is locked for {@code lockMinutes} after {@code maxFailures} failed sign-ins in a row.
   */
  public record Console(boolean enabled, String host, int port, Path usersFile, int idleSeconds, int maxFailures,
                        int lockMinutes) {}

  public Optional<ClientConfig> client(String id) {
    return Optional.ofNullable(clients.get(id));
  }

  /** The base URL clients see in Location headers; derived from host and port when not configured. */
  public String baseUrl() {
    if (!server.publicBaseUrl().isBlank()) {
      return server.publicBaseUrl().replaceAll("/+$", "");
    }
    return (server.tls() ? "https" : "http") + "://localhost:" + server.port();
  }
}
