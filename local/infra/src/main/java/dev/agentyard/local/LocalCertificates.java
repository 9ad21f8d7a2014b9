package dev.agentyard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority of its own and the broker's and the registry's certificates signed by it,
 * made with the JDK's {@code keytool} (nothing downloaded, nothing from a library): {@code
 * truststore.p12} holds the CA for clients, {@code broker.p12} the broker's key and chain ({@code
 * CN=broker}, valid for {@code localhost} and {@code 127.0.0.1}, server and client authentication —
 * the broker also presents it on its controller listener, where it is the principal {@code
 * User:CN=broker}). Every store is PKCS12 with one random password, passed to keytool through its
 * environment, never its arguments.
 *
 * <p>For a local or test cluster only: a production CA is the cluster operator's (Strimzi's cluster
 * CA in {@code deploy/k8s}).
 */
public final class LocalCertificates {

  /** The broker's principal on an mTLS listener (the default mapping: the certificate's DN). */
  public static final String BROKER_PRINCIPAL = "User:CN=broker";

  private static final String PASSWORD_ENV = "AGENTYARD_KEYTOOL_STOREPASS";

  private final Path dir;
  private final String password;

  private LocalCertificates(Path dir, String password) {
    this.dir = dir;
    this.password = password;
  }

  /** The stores in {@code dir}, made now unless a previous run left them there. */
  public static LocalCertificates inDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
      Path pass = dir.resolve("store-password");
      if (Files.isRegularFile(pass)
          && Files.isRegularFile(dir.resolve("broker.p12"))
          && Files.isRegularFile(dir.resolve("registry.p12"))
          && Files.isRegularFile(dir.resolve("truststore.p12"))) {
        return new LocalCertificates(dir, Files.readString(pass, StandardCharsets.UTF_8).trim());
      }
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      LocalCertificates c = new LocalCertificates(dir, password);
      c.make();
      Files.writeString(pass, password, StandardCharsets.UTF_8);
      ownerOnly(pass);
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write certificates to " + dir, e);
    }
  }

  private void make() throws IOException {
    for (String f : List.of("ca.p12", "broker.p12", "registry.p12", "truststore.p12", "ca.pem")) {
      Files.deleteIfExists(dir.resolve(f));
    }
    keytool(
        "-genkeypair -alias ca -keyalg RSA -keysize 2048 -validity 30 -ext bc:c -keystore ca.p12"
            + " -storetype PKCS12",
        "-dname",
        "CN=Agentyard local CA");
    keytool("-exportcert -rfc -alias ca -keystore ca.p12 -file ca.pem");
    keytool(
        "-importcert -noprompt -alias ca -file ca.pem -keystore truststore.p12 -storetype PKCS12");
    issue("broker");
    issue("registry");
    ownerOnly(dir.resolve("ca.p12"));
  }

  /** A key and a certificate signed by the CA, {@code CN=<name>}, for 127.0.0.1 and localhost. */
  private void issue(String name) throws IOException {
    String store = name + ".p12";
    keytool(
        "-genkeypair -keyalg RSA -keysize 2048 -validity 30 -storetype PKCS12 -alias "
            + name
            + " -keystore "
            + store,
        "-dname",
        "CN=" + name);
    keytool("-certreq -alias " + name + " -keystore " + store + " -file " + name + ".csr");
    keytool(
        "-gencert -rfc -alias ca -keystore ca.p12 -validity 30 -ext SAN=dns:localhost,ip:127.0.0.1"
            + " -ext KU=digitalSignature,keyEncipherment -ext EKU=serverAuth,clientAuth -infile "
            + name
            + ".csr -outfile "
            + name
            + ".pem");
    keytool("-importcert -noprompt -alias ca -file ca.pem -keystore " + store);
    keytool("-importcert -alias " + name + " -file " + name + ".pem -keystore " + store);
    Files.deleteIfExists(dir.resolve(name + ".csr"));
    ownerOnly(dir.resolve(store));
  }

  /**
   * Runs keytool: {@code options} split at spaces (none of them holds one), then {@code literal}
   * arguments as they are; the store password always from the environment.
   */
  private void keytool(String options, String... literal) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> cmd = new ArrayList<>();
    cmd.add(keytool.toString());
    List<String> args = List.of(options.split(" "));
    cmd.addAll(args);
    cmd.addAll(List.of(literal));
    cmd.addAll(List.of("-storepass:env", PASSWORD_ENV));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put(PASSWORD_ENV, password);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "keytool " + args.get(0) + " failed in " + dir + ": " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // a file system without POSIX permissions (the directory's own protection applies)
    }
  }

  /** The clients' truststore: the CA's certificate. */
  public Path truststore() {
    return dir.resolve("truststore.p12");
  }

  /** The registry's keystore ({@code CN=registry}): its key and its certificate chain. */
  public Path registryKeystore() {
    return dir.resolve("registry.p12");
  }

  /** The broker's keystore: its key and its certificate chain. */
  public Path brokerKeystore() {
    return dir.resolve("broker.p12");
  }

  /** The CA's certificate in PEM (for clients that take PEM, such as kcat or kafkajs). */
  public Path caPem() {
    return dir.resolve("ca.pem");
  }

  /** The password of every store (the truststore's protects its integrity only). */
  public String storePassword() {
    return password;
  }

  /** The file holding the store password (owner-only). */
  public Path storePasswordFile() {
    return dir.resolve("store-password");
  }
}
