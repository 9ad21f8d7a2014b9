package dev.agentyard.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster in this JVM, from the production classes: {@link
 * KafkaRaftServer} in combined broker+controller mode (KRaft), its storage formatted once with
 * Kafka's own {@link Formatter}, its data kept in a directory that survives restarts. Listeners
 * bind to 127.0.0.1 only.
 *
 * <p>Sized for one node: internal topics with replication factor 1. Not a production deployment
 * (see {@code deploy/k8s} for that); the same broker code, though.
 */
public final class LocalKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);
  public static final int DEFAULT_PORT = 9092;
  public static final int DEFAULT_CONTROLLER_PORT = 9093;
  private static final int NODE_ID = 1;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Where and how to run.
   *
   * @param dataDir the broker's log directory (created and formatted on first start, reused after)
   * @param port client listener port ({@code PLAINTEXT://127.0.0.1:port})
   * @param controllerPort KRaft controller listener port
   * @param overrides further broker settings, applied last
   */
  public record Options(
      Path dataDir,
      int port,
      int controllerPort,
      Map<String, String> overrides,
      Optional<Security> security) {
    public Options {
      overrides = Map.copyOf(overrides);
    }

    public Options(Path dataDir, int port, int controllerPort, Map<String, String> overrides) {
      this(dataDir, port, controllerPort, overrides, Optional.empty());
    }

    public Options(Path dataDir) {
      this(dataDir, DEFAULT_PORT, DEFAULT_CONTROLLER_PORT, Map.of());
    }

    /** The same, secured. */
    public Options secured(Security s) {
      return new Options(dataDir, port, controllerPort, overrides, Optional.of(s));
    }
  }

  /**
   * A secured broker, as production runs it: clients on {@code SASL_SSL} with SCRAM-SHA-512, the
   * controller listener on mutual TLS, the standard KRaft authorizer with nothing allowed that no
   * ACL allows, and one super user (for provisioning: topics, users, ACLs), whose SCRAM credential
   * is written into the metadata when the storage is formatted. The broker itself is {@link
   * LocalCertificates#BROKER_PRINCIPAL} on the controller listener and the super user between
   * brokers.
   *
   * @param certificates the broker's keystore and the truststore
   * @param superUser the super user's name
   * @param superUserPassword its SCRAM password
   */
  public record Security(
      LocalCertificates certificates, String superUser, String superUserPassword) {

    /** The client settings of a SCRAM user over TLS to this broker. */
    public Map<String, String> clientSettings(String user, String password) {
      return Map.of(
          "security.protocol",
          "SASL_SSL",
          "sasl.mechanism",
          "SCRAM-SHA-512",
          "sasl.jaas.config",
          jaas(user, password),
          "ssl.truststore.location",
          certificates.truststore().toString(),
          "ssl.truststore.type",
          "PKCS12",
          "ssl.truststore.password",
          certificates.storePassword());
    }

    @Override
    public String toString() {
      return "Security{superUser=" + superUser + ", password=[hidden]}";
    }
  }

  /** A SCRAM login for {@code sasl.jaas.config}. */
  public static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dataDir;
  private final Map<String, Object> superUserClient;
  private boolean closed;

  private LocalKafkaBroker(
      KafkaRaftServer server,
      String bootstrapServers,
      Path dataDir,
      Map<String, Object> superUserClient) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dataDir = dataDir;
    this.superUserClient = superUserClient;
  }

  /** The broker's configuration for these options. */
  static Properties brokerProperties(Options o) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + o.controllerPort());
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + o.port() + ",CONTROLLER://127.0.0.1:" + o.controllerPort());
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + o.port());
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", o.dataDir().toAbsolutePath().toString());
    // one node: every internal topic with one replica
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "10");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "10");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    // topics come from the catalogue, never from a typo in a client
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("group.coordinator.rebalance.protocols", "classic,consumer,streams");
    o.security().ifPresent(s -> secure(p, o, s));
    p.putAll(o.overrides());
    return p;
  }

  private static void secure(Properties p, Options o, Security s) {
    String stores = s.certificates().storePassword();
    p.put(
        "listeners",
        "SASL_SSL://127.0.0.1:" + o.port() + ",CONTROLLER://127.0.0.1:" + o.controllerPort());
    p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + o.port());
    p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL");
    p.put("inter.broker.listener.name", "SASL_SSL");
    p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
    p.put(
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
        jaas(s.superUser(), s.superUserPassword()));
    p.put("ssl.keystore.location", s.certificates().brokerKeystore().toString());
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.password", stores);
    p.put("ssl.key.password", stores);
    p.put("ssl.truststore.location", s.certificates().truststore().toString());
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.password", stores);
    p.put("listener.name.controller.ssl.client.auth", "required");
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("allow.everyone.if.no.acl.found", "false");
    p.put("super.users", "User:" + s.superUser() + ";" + LocalCertificates.BROKER_PRINCIPAL);
  }

  /** Formats the storage on first use, starts the broker and waits until it answers. */
  public static LocalKafkaBroker start(Options options) {
    for (int port : new int[] {options.port(), options.controllerPort()}) {
      if (!Ports.isFree(port)) {
        throw new IllegalStateException(
            "port "
                + port
                + " on 127.0.0.1 is in use: is a Kafka broker already running? "
                + "Use it by giving its bootstrap servers, or choose other ports");
      }
    }
    KafkaConfig config = new KafkaConfig(brokerProperties(options), false);
    long t0 = System.nanoTime();
    boolean formatted =
        formatIfNeeded(
            options.dataDir(),
            config,
            options
                .security()
                .map(
                    s ->
                        List.of(
                            "SCRAM-SHA-512=[name="
                                + s.superUser()
                                + ",password="
                                + s.superUserPassword()
                                + "]"))
                .orElse(List.of()));
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    String bootstrap = "127.0.0.1:" + options.port();
    Map<String, Object> client = new HashMap<>();
    options
        .security()
        .ifPresent(s -> client.putAll(s.clientSettings(s.superUser(), s.superUserPassword())));
    LocalKafkaBroker broker =
        new LocalKafkaBroker(server, bootstrap, options.dataDir(), Map.copyOf(client));
    try {
      broker.awaitReady();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
    log.info(
        "Kafka (KRaft, node {}) ready at {} in {} ms; data in {}{}",
        NODE_ID,
        bootstrap,
        (System.nanoTime() - t0) / 1_000_000,
        options.dataDir(),
        formatted ? " (formatted now)" : "");
    return broker;
  }

  /**
   * Formats the log directory unless it already holds a formatted node. Returns whether it
   * formatted.
   */
  static boolean formatIfNeeded(Path dataDir, KafkaConfig config, List<String> scram) {
    if (Files.isRegularFile(dataDir.resolve("meta.properties"))) {
      return false;
    }
    try {
      Files.createDirectories(dataDir);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(config.metadataLogDir())
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setScramArguments(scram)
          .addDirectory(dataDir.toAbsolutePath().toString())
          .run();
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dataDir, e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot format the Kafka storage in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Map<String, Object> c = new HashMap<>(clientProperties());
    c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(c)) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "Kafka at " + bootstrapServers + " did not become ready within " + READY_TIMEOUT,
                e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Client settings to reach the broker: the bootstrap servers, and on a secured broker the super
   * user's SASL_SSL login (for provisioning only).
   */
  public Map<String, Object> clientProperties() {
    Map<String, Object> c = new HashMap<>(superUserClient);
    c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return c;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Stops the broker cleanly (controlled shutdown, logs flushed); the data stays. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
    log.info("Kafka at {} stopped; data kept in {}", bootstrapServers, dataDir);
  }
}
