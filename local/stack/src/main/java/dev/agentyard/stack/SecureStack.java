package dev.agentyard.stack;

import dev.agentyard.local.ApicurioRegistry;
import dev.agentyard.local.LocalCertificates;
import dev.agentyard.local.LocalKafkaBroker;
import dev.agentyard.schemas.topics.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * What {@code deploy/run --secure} adds to the local stack, as a lender's cluster is secured: a CA
 * and certificates made with the JDK's keytool, the broker on SASL_SSL (SCRAM-SHA-512) with the
 * standard authorizer and a super user that only provisions, the registry on HTTPS with basic
 * authentication, and each service as its own principal — a SCRAM user and a registry user of the
 * same name — with exactly the ACLs {@code deploy/k8s/users.yaml} grants ({@link
 * DeployManifests#aclBindings}). Passwords are random, kept in owner-only files under {@code
 * <data-dir>/secure/secrets} and reused on the next run; a service reads its SCRAM password from
 * its file through Kafka's FileConfigProvider, so no password is in any service's configuration.
 */
public final class SecureStack {

  /** The provisioning super user (Kafka) and registry administrator. */
  static final String ADMIN = "agentyard-admin";

  /** The services, by the names of their Strimzi users. */
  static final List<String> SERVICES =
      List.of("router-service", "agent-workers", "cost-aggregator", "dlq-handler");

  private final LocalCertificates certificates;
  private final Path secrets;
  private final Map<String, String> passwords = new LinkedHashMap<>();

  private SecureStack(LocalCertificates certificates, Path secrets) {
    this.certificates = certificates;
    this.secrets = secrets;
  }

  /** Certificates and passwords under {@code dir}, made on the first run. */
  static SecureStack in(Path dir) {
    SecureStack s =
        new SecureStack(LocalCertificates.inDirectory(dir.resolve("tls")), dir.resolve("secrets"));
    s.passwords.put(ADMIN, s.password(ADMIN));
    SERVICES.forEach(u -> s.passwords.put(u, s.password(u)));
    return s;
  }

  /** The file holding a user's password ({@code password=...}, owner-only), made when missing. */
  private Path passwordFile(String user) {
    return secrets.resolve("kafka-" + user + ".properties");
  }

  private String password(String user) {
    Path file = passwordFile(user);
    LocalStack.secret(file, () -> "password=" + LocalStack.randomBase64(24));
    try {
      String line = Files.readString(file).trim();
      return line.substring(line.indexOf('=') + 1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  LocalCertificates certificates() {
    return certificates;
  }

  /** The broker's security: its certificates and the super user. */
  LocalKafkaBroker.Security broker() {
    return new LocalKafkaBroker.Security(certificates, ADMIN, passwords.get(ADMIN));
  }

  /** The registry's security: its certificate and a user per service, plus the administrator. */
  ApicurioRegistry.Security registry() {
    return new ApicurioRegistry.Security(certificates, ADMIN, passwords);
  }

  /** Registry client settings for a user: basic authentication, the CA as PEM. */
  Map<String, Object> registryClient(String user) {
    return registry().clientSettings(user);
  }

  /**
   * Creates (or resets) each service's SCRAM user and grants its ACLs, generated from the
   * provisioned catalogue as {@code deploy/k8s/users.yaml} is from the default one.
   */
  void grant(Admin admin, List<TopicSpec> catalogue, Consumer<String> progress) {
    for (DeployManifests.Access a : DeployManifests.access(catalogue)) {
      int acls = grant(admin, a.service(), passwords.get(a.service()), a);
      progress.accept("  principal User:" + a.service() + ": " + acls + " ACLs");
    }
  }

  /**
   * Creates (or resets) a SCRAM-SHA-512 user and grants it a service's ACLs ({@link
   * DeployManifests#aclBindings}); returns how many ACLs. What a secured cluster without Strimzi's
   * User Operator is given (this stack, the secured reliability scenario).
   */
  public static int grant(
      Admin admin, String user, String password, DeployManifests.Access access) {
    try {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
      var acls = DeployManifests.aclBindings(user, access);
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
      return acls.size();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create the user " + user + " and its ACLs: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * The dead-letter console's settings for this stack, as the dlq-handler's principal, in an
   * owner-only properties file for {@code dlq -c <file>}; returns its path.
   */
  Path consoleConfig(String bootstrap, String registryUrl) {
    Path file = secrets.resolve("dlq-console.properties");
    java.util.Properties p = new java.util.Properties();
    p.putAll(serviceSettings("dlq-handler"));
    p.put("kafka.bootstrap.servers", bootstrap);
    p.put("schema.registry.url", registryUrl);
    try {
      Files.deleteIfExists(file);
      LocalStack.secret(file, () -> "");
      try (var w = Files.newBufferedWriter(file)) {
        p.store(w, "the dead-letter console on the secured local stack (as User:dlq-handler)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /**
   * A service's settings: SASL_SSL as its own user, the password read from its file by Kafka's
   * FileConfigProvider, the CA as PEM (as {@code deploy/k8s} mounts it), and the registry as the
   * same user.
   */
  Map<String, String> serviceSettings(String service) {
    Map<String, String> c =
        new HashMap<>(kafkaSettings(service, passwordFile(service), certificates.caPem()));
    registryClient(service).forEach((k, v) -> c.put(k, String.valueOf(v)));
    return c;
  }

  /**
   * A service's Kafka settings ({@code kafka.common.*}) on a secured cluster, as an operator writes
   * them: SASL_SSL as {@code user}, its password read from {@code passwordFile} ({@code
   * password=...}) by Kafka's FileConfigProvider — never in the service's configuration — and the
   * CA as PEM, as {@code deploy/k8s} mounts Strimzi's cluster CA.
   */
  public static Map<String, String> kafkaSettings(String user, Path passwordFile, Path caPem) {
    return Map.of(
        "kafka.common.security.protocol",
        "SASL_SSL",
        "kafka.common.sasl.mechanism",
        "SCRAM-SHA-512",
        "kafka.common.sasl.jaas.config",
        LocalKafkaBroker.jaas(user, "${file:" + passwordFile + ":password}"),
        "kafka.common.ssl.truststore.type",
        "PEM",
        "kafka.common.ssl.truststore.location",
        caPem.toString(),
        "kafka.common.config.providers",
        "file",
        "kafka.common.config.providers.file.class",
        "org.apache.kafka.common.config.provider.FileConfigProvider");
  }
}
