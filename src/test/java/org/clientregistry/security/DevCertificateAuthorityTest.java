package org.clientregistry.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCertificateAuthorityTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final char[] PASSWORD = "test".toCharArray();

  @TempDir
  Path dir;

  @Test
  void ensureCreatesEverything() throws Exception {
    List<Path> created = DevCertificateAuthority.ensure(dir, List.of("openmrs", "dhis2"));

    Set<String> expected = Set.of("ca.crt", "ca.key", "server.crt", "server.key", "clients/openmrs.crt",
        "clients/openmrs.key", "clients/dhis2.crt", "clients/dhis2.key");
    assertEquals(expected, created.stream().map(p -> relative(p)).collect(Collectors.toSet()));
    for (Path file : created) {
      assertTrue(Files.size(file) > 0, file + " is empty");
    }
    // A leaf file holds only the leaf certificate, not the chain.
    for (String leaf : List.of("server.crt", "clients/openmrs.crt")) {
      String pem = Files.readString(dir.resolve(leaf));
      assertEquals(1, pem.split("-----BEGIN CERTIFICATE-----", -1).length - 1, leaf);
    }
  }

  @Test
  void keyFilesAreOwnerOnly() throws Exception {
    DevCertificateAuthority.ensure(dir, List.of("openmrs"));
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      for (String key : List.of("ca.key", "server.key", "clients/openmrs.key")) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))));
      }
    }
  }

  @Test
  void secondRunCreatesNothingAndChangesNothing() throws Exception {
    DevCertificateAuthority.ensure(dir, List.of("openmrs", "dhis2"));
    Map<Path, byte[]> before = snapshot();

    assertEquals(List.of(), DevCertificateAuthority.ensure(dir, List.of("openmrs", "dhis2")));

    Map<Path, byte[]> after = snapshot();
    assertEquals(before.keySet(), after.keySet());
    before.forEach((file, bytes) -> assertArrayEquals(bytes, after.get(file), file.toString()));
  }

  @Test
  void caCertificateIsACa() throws Exception {
    DevCertificateAuthority.ensure(dir, List.of());
    X509Certificate ca = certificate("ca.crt");

    assertEquals("CN=Client Registry Development CA", ca.getSubjectX500Principal().getName());
    assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
    ca.verify(ca.getPublicKey());
    assertTrue(ca.getBasicConstraints() >= 0, "CA:true");
    assertTrue(ca.getCriticalExtensionOIDs().contains("2.5.29.19"), "basicConstraints critical");
    assertTrue(ca.getKeyUsage()[5] && ca.getKeyUsage()[6], "keyCertSign and cRLSign");
    assertEquals("EC", ca.getPublicKey().getAlgorithm());
    assertTrue(days(ca) >= 3650 && days(ca) <= 3654, "about ten years: " + days(ca));
  }

  @Test
  void serverCertificateIsSignedByTheCaAndNamesThisHost() throws Exception {
    DevCertificateAuthority.ensure(dir, List.of());
    X509Certificate ca = certificate("ca.crt");
    X509Certificate server = certificate("server.crt");

    server.verify(ca.getPublicKey());
    assertEquals("CN=localhost", server.getSubjectX500Principal().getName());
    assertEquals(ca.getSubjectX500Principal(), server.getIssuerX500Principal());
    assertEquals(-1, server.getBasicConstraints(), "CA:false");
    assertTrue(server.getKeyUsage()[0], "digitalSignature");
    assertEquals(List.of(SERVER_AUTH), server.getExtendedKeyUsage());
    assertTrue(days(server) >= 825 && days(server) <= 826, "825 days: " + days(server));
    assertTrue(server.getSerialNumber().signum() > 0 && server.getSerialNumber().bitLength() <= 64);
    assertNotNull(server.getExtensionValue("2.5.29.14"), "subjectKeyIdentifier");
    assertNotNull(server.getExtensionValue("2.5.29.35"), "authorityKeyIdentifier");

    Set<String> names = server.getSubjectAlternativeNames().stream()
        .map(n -> n.get(0) + ":" + n.get(1)).collect(Collectors.toSet());
    assertTrue(names.containsAll(Set.of("2:localhost", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1")), names.toString());
  }

  @Test
  void clientCertificatesNameTheClient() throws Exception {
    DevCertificateAuthority.ensure(dir, List.of("openmrs", "dhis2"));
    X509Certificate ca = certificate("ca.crt");

    for (String id : List.of("openmrs", "dhis2")) {
      X509Certificate client = certificate("clients/" + id + ".crt");
      client.verify(ca.getPublicKey());
      assertEquals("CN=" + id, client.getSubjectX500Principal().getName());
      assertEquals(List.of(CLIENT_AUTH), client.getExtendedKeyUsage());
      assertEquals(-1, client.getBasicConstraints());
      assertNull(client.getSubjectAlternativeNames());
    }
  }

  @Test
  void clientAddedLaterIsSignedByTheSameCa() throws Exception {
    DevCertificateAuthority.ensure(dir, List.of("openmrs"));
    byte[] caBefore = Files.readAllBytes(dir.resolve("ca.crt"));

    List<Path> created = DevCertificateAuthority.ensure(dir, List.of("openmrs", "dhis2"));

    assertEquals(Set.of("clients/dhis2.crt", "clients/dhis2.key"),
        created.stream().map(p -> relative(p)).collect(Collectors.toSet()));
    assertArrayEquals(caBefore, Files.readAllBytes(dir.resolve("ca.crt")));
    certificate("clients/dhis2.crt").verify(certificate("ca.crt").getPublicKey());
  }

  @Test
  void keysArePkcs8() throws Exception {
    DevCertificateAuthority.ensure(dir, List.of("openmrs"));
    for (String key : List.of("ca.key", "server.key", "clients/openmrs.key")) {
      assertTrue(Files.readString(dir.resolve(key)).startsWith("-----BEGIN PRIVATE KEY-----"), key);
      assertEquals("EC", privateKey(dir.resolve(key)).getAlgorithm());
    }
  }

  @Test
  void unsafeClientIdIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> DevCertificateAuthority.ensure(dir, List.of("../evil")));
    assertThrows(IllegalArgumentException.class, () -> DevCertificateAuthority.ensure(dir, List.of(" ")));
  }

  @Test
  void halfAPairIsLeftAlone() throws Exception {
    DevCertificateAuthority.ensure(dir, List.of("openmrs"));
    Files.delete(dir.resolve("clients/openmrs.key")); // e.g. handed to the client and removed here

    assertEquals(List.of(), DevCertificateAuthority.ensure(dir, List.of("openmrs")));
    assertFalse(Files.exists(dir.resolve("clients/openmrs.key")));
  }

  @Test
  void tlsHandshakeWithClientCertificateSucceeds() throws Exception {
    DevCertificateAuthority.ensure(dir, List.of("openmrs"));
    SSLContext server = sslContext(dir.resolve("server.key"), dir.resolve("server.crt"), dir.resolve("ca.crt"));
    SSLContext client = sslContext(dir.resolve("clients/openmrs.key"), dir.resolve("clients/openmrs.crt"),
        dir.resolve("ca.crt"));

    Outcome outcome = handshake(server, client);

    assertNull(outcome.server(), () -> "server: " + outcome.server());
    assertNull(outcome.client(), () -> "client: " + outcome.client());
  }

  @Test
  void clientCertificateFromAnotherCaIsRejected() throws Exception {
    DevCertificateAuthority.ensure(dir, List.of("openmrs"));
    Path other = dir.resolve("other");
    DevCertificateAuthority.createCa(other, "Some other CA");
    DevCertificateAuthority.issueClient(other.resolve("ca.crt"), other.resolve("ca.key"), other, "openmrs");
    X509Certificate impostor = read(other.resolve("openmrs.crt"));
    assertEquals("CN=openmrs", impostor.getSubjectX500Principal().getName());
    impostor.verify(read(other.resolve("ca.crt")).getPublicKey());

    SSLContext server = sslContext(dir.resolve("server.key"), dir.resolve("server.crt"), dir.resolve("ca.crt"));
    // The impostor trusts our CA, so only the server's check of its certificate can fail.
    SSLContext client = sslContext(other.resolve("openmrs.key"), other.resolve("openmrs.crt"), dir.resolve("ca.crt"));

    Outcome outcome = handshake(server, client);

    assertInstanceOf(SSLException.class, outcome.server());
    assertNotNull(outcome.client(), "the client learns of the refusal");
  }

  // ---- TLS

  private record Outcome(Exception server, Exception client) {}

  /** One connection over loopback; the server needs a client certificate. */
  private static Outcome handshake(SSLContext server, SSLContext client) throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (SSLServerSocket listener =
        (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
      listener.setNeedClientAuth(true);
      listener.setSoTimeout(5_000);
      CompletableFuture<Exception> serverSide = CompletableFuture.supplyAsync(() -> serve(listener));
      Exception clientSide = connect(client, listener.getLocalPort());
      return new Outcome(serverSide.get(10, TimeUnit.SECONDS), clientSide);
    }
  }

  private static Exception serve(SSLServerSocket listener) {
    try (SSLSocket socket = (SSLSocket) listener.accept()) {
      socket.setSoTimeout(5_000);
      socket.startHandshake();
      socket.getOutputStream().write(42);
      socket.getOutputStream().flush();
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  private static Exception connect(SSLContext client, int port) {
    try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS"); // checks the 127.0.0.1 SAN too
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(5_000);
      socket.startHandshake();
      // With TLS 1.3 the server judges our certificate after our side of the handshake ends: read its reply.
      int reply = socket.getInputStream().read();
      return reply == 42 ? null : new IOException("unexpected reply " + reply);
    } catch (IOException e) {
      return e;
    }
  }

  private static SSLContext sslContext(Path key, Path cert, Path ca) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("me", privateKey(key), PASSWORD, new X509Certificate[] {read(cert)});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", read(ca));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);

    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  // ---- files

  private X509Certificate certificate(String name) throws Exception {
    return read(dir.resolve(name));
  }

  private static X509Certificate read(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static PrivateKey privateKey(Path file) throws Exception {
    String base64 = Files.readString(file)
        .replace("-----BEGIN PRIVATE KEY-----", "")
        .replace("-----END PRIVATE KEY-----", "")
        .replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  private static long days(X509Certificate cert) {
    return Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).toDays();
  }

  private String relative(Path file) {
    return dir.relativize(file).toString().replace('\\', '/');
  }

  private Map<Path, byte[]> snapshot() throws IOException {
    Map<Path, byte[]> files = new HashMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(file, Files.readAllBytes(file));
      }
    }
    return files;
  }
}
