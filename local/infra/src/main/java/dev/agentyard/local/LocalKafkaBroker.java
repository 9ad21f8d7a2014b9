package dev.agentyard.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
  public record Options(Path dataDir, int port, int controllerPort, Map<String, String> overrides) {
    public Options {
      overrides = Map.copyOf(overrides);
    }

    public Options(Path dataDir) {
      this(dataDir, DEFAULT_PORT, DEFAULT_CONTROLLER_PORT, Map.of());
    }
  }

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dataDir;
  private boolean closed;

  private LocalKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dataDir = dataDir;
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
    p.putAll(o.overrides());
    return p;
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
    boolean formatted = formatIfNeeded(options.dataDir(), config);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    String bootstrap = "127.0.0.1:" + options.port();
    LocalKafkaBroker broker = new LocalKafkaBroker(server, bootstrap, options.dataDir());
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
  static boolean formatIfNeeded(Path dataDir, KafkaConfig config) {
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
    Map<String, Object> c =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            10_000);
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
