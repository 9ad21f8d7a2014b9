package dev.agentyard.testing;

import dev.agentyard.local.LocalCertificates;
import dev.agentyard.local.LocalKafkaBroker;
import dev.agentyard.local.Ports;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * A secured single-node KRaft cluster in this JVM, as production is secured: clients on {@code
 * SASL_SSL} (SCRAM-SHA-512) with TLS from a CA made at start with the JDK's keytool, the controller
 * on mutual TLS, the standard authorizer with nothing allowed that no ACL allows. {@link
 * #clientProperties()} is the super user, for provisioning and for the test's own checks; services
 * get users of their own and the ACLs the test grants them.
 */
public final class SecuredKafkaCluster implements KafkaCluster {

  public static final String SUPER_USER = "agentyard-admin";

  private final LocalKafkaBroker broker;
  private final LocalKafkaBroker.Security security;

  private SecuredKafkaCluster(LocalKafkaBroker broker, LocalKafkaBroker.Security security) {
    this.broker = broker;
    this.security = security;
  }

  /** Makes the CA and the broker's certificate in {@code dir}, then starts the broker there. */
  public static SecuredKafkaCluster start(Path dir) {
    LocalCertificates certificates = LocalCertificates.inDirectory(dir.resolve("tls"));
    LocalKafkaBroker.Security security =
        new LocalKafkaBroker.Security(certificates, SUPER_USER, password());
    LocalKafkaBroker broker =
        LocalKafkaBroker.start(
            new LocalKafkaBroker.Options(
                    dir.resolve("kafka"),
                    Ports.pick(),
                    Ports.pick(),
                    Map.of(
                        "offsets.topic.num.partitions", "4",
                        "transaction.state.log.num.partitions", "4"))
                .secured(security));
    return new SecuredKafkaCluster(broker, security);
  }

  /** A random password (URL-safe base64 of 24 bytes). */
  public static String password() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The broker's security: its certificates, and client settings for a user. */
  public LocalKafkaBroker.Security security() {
    return security;
  }

  @Override
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  @Override
  public Map<String, Object> clientProperties() {
    return broker.clientProperties();
  }

  @Override
  public String kind() {
    return "secured(SASL_SSL, SCRAM-SHA-512, StandardAuthorizer)";
  }

  @Override
  public Set<Integer> brokerIds() {
    return Set.of(1);
  }

  @Override
  public void close() {
    broker.close();
  }
}
