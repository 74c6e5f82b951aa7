package org.clientregistry.security;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the development CA, server certificate and client certificates of a standalone registry.
 *
 * <p>Only the JDK's providers are used for keys and signatures; BouncyCastle just builds and encodes the
 * certificates, so no security provider has to be registered.
 */
public final class DevCertificateAuthority {
  private static final Logger LOG = LoggerFactory.getLogger(DevCertificateAuthority.class);

  private static final String CA_NAME = "Client Registry Development CA";
  private static final Duration LEAF_VALIDITY = Duration.ofDays(825); // the most browsers and macOS accept
  private static final int CA_YEARS = 10;
  // Backdated so a peer whose clock runs a little behind still accepts a certificate made just now.
  private static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  private DevCertificateAuthority() {}

  /** A CA able to sign: its certificate (for the issuer name and key id) and its private key. */
  private record Issuer(X509CertificateHolder cert, PrivateKey key) {}

  /** One leaf certificate to make: a server one (SANs, serverAuth) or a client one (clientAuth). */
  private record Leaf(String commonName, Path crt, Path key, boolean server) {}

  /**
   * Makes whatever is missing under {@code dir}: the CA, the server pair and one pair per client id.
   * Existing files are left as they are. Returns the files created.
   */
  public static List<Path> ensure(Path dir, Collection<String> clientIds) throws IOException {
    List<Path> created = new ArrayList<>();
    Path caCrt = dir.resolve("ca.crt");
    Path caKey = dir.resolve("ca.key");
    if (absent(caCrt, caKey)) {
      created.addAll(writeCa(dir, CA_NAME));
    }
    Issuer ca = null; // read only when something must be signed: a CA key kept elsewhere is fine otherwise
    for (Leaf leaf : leaves(dir, clientIds)) {
      if (absent(leaf.crt(), leaf.key())) {
        if (ca == null) {
          ca = readIssuer(caCrt, caKey);
        }
        created.addAll(writeLeaf(ca, leaf));
      }
    }
    return created;
  }

  /** Makes one client certificate signed by the given CA pair: {@code <dir>/<commonName>.crt} and {@code .key}. */
  public static void issueClient(Path caCert, Path caKey, Path dir, String commonName) throws IOException {
    Issuer ca = readIssuer(caCert, caKey);
    writeLeaf(ca, new Leaf(commonName, fileIn(dir, commonName, ".crt"), fileIn(dir, commonName, ".key"), false));
  }

  /** Makes a fresh self-signed CA ({@code ca.crt}, {@code ca.key}) in {@code dir}, replacing any there. */
  public static void createCa(Path dir, String commonName) throws IOException {
    writeCa(dir, commonName);
  }

  // ---- what to make

  private static List<Leaf> leaves(Path dir, Collection<String> clientIds) {
    List<Leaf> leaves = new ArrayList<>();
    leaves.add(new Leaf("localhost", dir.resolve("server.crt"), dir.resolve("server.key"), true));
    Path clients = dir.resolve("clients");
    for (String id : clientIds) {
      leaves.add(new Leaf(id, fileIn(clients, id, ".crt"), fileIn(clients, id, ".key"), false));
    }
    return leaves;
  }

  /** A pair is made only when neither file exists; half a pair is left alone (a handed-out key may be gone). */
  private static boolean absent(Path crt, Path key) {
    boolean hasCrt = Files.exists(crt);
    boolean hasKey = Files.exists(key);
    if (hasKey && !hasCrt) {
      LOG.warn("{} exists without {}; delete it to have a new pair made", key, crt);
    }
    return !hasCrt && !hasKey;
  }

  /** The name becomes a file name, so it must not climb out of (or into a folder below) {@code dir}. */
  private static Path fileIn(Path dir, String name, String suffix) {
    Path file = dir.resolve(name + suffix);
    if (name.isBlank() || !file.getFileName().toString().equals(name + suffix)) {
      throw new IllegalArgumentException("not usable as a certificate file name: '" + name + "'");
    }
    return file;
  }

  // ---- making and writing

  private static List<Path> writeCa(Path dir, String commonName) throws IOException {
    KeyPair pair = newKeyPair();
    X509CertificateHolder cert = caCertificate(pair, commonName);
    // Key first: a key left without its certificate is reported, never silently replaced.
    Path key = writeKey(dir.resolve("ca.key"), pair.getPrivate());
    return List.of(key, writeCertificate(dir.resolve("ca.crt"), cert));
  }

  private static List<Path> writeLeaf(Issuer ca, Leaf leaf) throws IOException {
    KeyPair pair = newKeyPair();
    X509CertificateHolder cert = leafCertificate(ca, pair.getPublic(), leaf);
    Path key = writeKey(leaf.key(), pair.getPrivate());
    return List.of(key, writeCertificate(leaf.crt(), cert));
  }

  private static X509CertificateHolder caCertificate(KeyPair pair, String commonName) throws IOException {
    X500Name name = commonName(commonName);
    Instant notAfter = Instant.now().atOffset(ZoneOffset.UTC).plusYears(CA_YEARS).toInstant();
    X509v3CertificateBuilder builder = builder(name, name, pair.getPublic(), notAfter)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
        .addExtension(Extension.subjectKeyIdentifier, false, extensionUtils().createSubjectKeyIdentifier(
            pair.getPublic()));
    return builder.build(signer(pair.getPrivate()));
  }

  private static X509CertificateHolder leafCertificate(Issuer ca, PublicKey key, Leaf leaf) throws IOException {
    // A leaf outliving its CA would only fail later, with a less obvious error.
    Instant notAfter = min(Instant.now().plus(LEAF_VALIDITY), ca.cert().getNotAfter().toInstant());
    KeyPurposeId purpose = leaf.server() ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth;
    X509v3CertificateBuilder builder = builder(ca.cert().getSubject(), commonName(leaf.commonName()), key, notAfter)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
        .addExtension(Extension.subjectKeyIdentifier, false, extensionUtils().createSubjectKeyIdentifier(key))
        .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId(ca.cert()));
    if (leaf.server()) {
      builder.addExtension(Extension.subjectAlternativeName, false, serverNames());
    }
    return builder.build(signer(ca.key()));
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key,
      Instant notAfter) {
    Date notBefore = Date.from(Instant.now().minus(BACKDATE));
    return new JcaX509v3CertificateBuilder(issuer, serialNumber(), notBefore, Date.from(notAfter), subject, key);
  }

  /** Refers to the CA's own key id when it has one, so chains match whichever tool made the CA. */
  private static AuthorityKeyIdentifier authorityKeyId(X509CertificateHolder ca) throws IOException {
    SubjectKeyIdentifier ski = ca.getExtensions() == null ? null
        : SubjectKeyIdentifier.fromExtensions(ca.getExtensions());
    return ski != null ? new AuthorityKeyIdentifier(ski.getKeyIdentifier())
        : extensionUtils().createAuthorityKeyIdentifier(ca.getSubjectPublicKeyInfo());
  }

  private static GeneralNames serverNames() {
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    String host = hostname();
    if (host != null) {
      names.add(new GeneralName(GeneralName.dNSName, host));
    }
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    names.add(new GeneralName(GeneralName.iPAddress, "::1"));
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  /** This machine's name when it is a usable DNS name; null otherwise (the certificate is still useful). */
  private static String hostname() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      boolean dnsName = name.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?") && !name.matches("[0-9.]+");
      return dnsName && !name.equalsIgnoreCase("localhost") ? name : null;
    } catch (IOException | RuntimeException e) {
      LOG.debug("no host name for the server certificate: {}", e.toString());
      return null;
    }
  }

  private static X500Name commonName(String cn) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
  }

  private static BigInteger serialNumber() {
    BigInteger serial;
    do {
      serial = new BigInteger(64, RANDOM);
    } while (serial.signum() == 0);
    return serial;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  // ---- JDK crypto

  private static KeyPair newKeyPair() throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot make an EC P-256 key", e);
    }
  }

  private static ContentSigner signer(PrivateKey key) throws IOException {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new IOException("cannot sign with a " + key.getAlgorithm() + " CA key");
    };
    try {
      return new JcaContentSignerBuilder(algorithm).build(key);
    } catch (OperatorCreationException e) {
      throw new IOException("cannot sign with the CA key", e);
    }
  }

  private static JcaX509ExtensionUtils extensionUtils() throws IOException {
    try {
      return new JcaX509ExtensionUtils();
    } catch (GeneralSecurityException e) {
      throw new IOException("no SHA-1 for key identifiers", e);
    }
  }

  // ---- PEM files

  private static Issuer readIssuer(Path crt, Path key) throws IOException {
    if (!Files.isReadable(crt) || !Files.isReadable(key)) {
      throw new IOException("cannot issue certificates: need both " + crt + " and " + key);
    }
    if (!(readPem(crt) instanceof X509CertificateHolder cert)) {
      throw new IOException(crt + " holds no PEM certificate");
    }
    return new Issuer(cert, readPrivateKey(key));
  }

  /**
   * Reads PKCS#8 ("PRIVATE KEY") or OpenSSL's traditional form ("EC PRIVATE KEY", "RSA PRIVATE KEY"). The key
   * factory is chosen here because BouncyCastle's converter asks for "ECDSA", which only its own provider has.
   */
  private static PrivateKey readPrivateKey(Path file) throws IOException {
    Object pem = readPem(file);
    PrivateKeyInfo info = pem instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
        : pem instanceof PrivateKeyInfo i ? i : null;
    if (info == null) {
      throw new IOException(file + " holds no unencrypted private key");
    }
    ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    String algorithm = oid.equals(X9ObjectIdentifiers.id_ecPublicKey) ? "EC"
        : oid.equals(PKCSObjectIdentifiers.rsaEncryption) ? "RSA" : null;
    if (algorithm == null) {
      throw new IOException(file + ": unsupported key algorithm " + oid);
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the key in " + file, e);
    }
  }

  private static Object readPem(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object pem = parser.readObject();
      if (pem == null) {
        throw new IOException("no PEM content in " + file);
      }
      return pem;
    }
  }

  private static Path writeKey(Path file, PrivateKey key) throws IOException {
    // JcaPKCS8Generator gives "PRIVATE KEY"; the plain writer would give OpenSSL's "EC PRIVATE KEY" form.
    return write(file, pem(new JcaPKCS8Generator(key, null)));
  }

  private static Path writeCertificate(Path file, X509CertificateHolder cert) throws IOException {
    return write(file, pem(cert));
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  /** Written aside and moved in, so an interrupted run never leaves a truncated file that counts as present. */
  private static Path write(Path file, String content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    OwnerOnly.directories(dir);
    Path temp = dir.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    OwnerOnly.file(temp); // certificates too: they name the systems allowed in, nobody else's business
    Files.writeString(temp, content, StandardCharsets.US_ASCII);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    LOG.info("created {}", file);
    return file;
  }
}
