package dev.agentyard.bench;

import dev.agentyard.local.ApicurioRegistry;
import dev.agentyard.local.ChildJvm;
import dev.agentyard.local.Ports;
import dev.agentyard.schemas.registry.CatalogueSchemas;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClients;
import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every figure runs on: one KRaft broker in a child JVM (so the harness and the services do
 * not share its heap), Apicurio Registry in another, and the catalogue's topics, dropped and made
 * anew before each run so each run starts from empty topics with the partition count it asks for.
 */
public final class BenchCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BenchCluster.class);

  /**
   * Retry delays short enough for a benchmark (the workers are told the same, see {@link
   * WorkerRuns}).
   */
  static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(2), Duration.ofSeconds(5));

  /** The catalogue the services expect. */
  static final List<TopicSpec> CATALOGUE = Topics.catalogue(Topics.DEFAULT_ROUTES, RETRY_DELAYS);

  private final ChildJvm broker;
  private final ApicurioRegistry registry;
  private final String bootstrap;
  private final Admin admin;
  private final Path dir;

  private final short replication;

  private BenchCluster(
      ChildJvm broker, ApicurioRegistry registry, String bootstrap, Path dir, int brokers) {
    this.broker = broker;
    this.registry = registry;
    this.bootstrap = bootstrap;
    this.dir = dir;
    this.replication = (short) Math.min(brokers, 3);
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  public static BenchCluster start(Path dir) throws InterruptedException {
    return start(dir, 1);
  }

  /**
   * One broker (combined with its controller), or {@code brokers} brokers beside a controller, all
   * in one child JVM; topics then at replication 3 with min ISR 2.
   */
  public static BenchCluster start(Path dir, int brokers) throws InterruptedException {
    ChildJvm broker =
        ChildJvm.start(
            BrokerMain.class.getName(),
            List.of(brokers > 1 ? "-Xmx2g" : "-Xmx1g", "-XX:+UseG1GC"),
            List.of(
                dir.resolve("kafka").toString(),
                Integer.toString(Ports.pick()),
                Integer.toString(Ports.pick()),
                Integer.toString(brokers)),
            Map.of(),
            dir.resolve("logs/broker.log"));
    try {
      String bootstrap = broker.awaitLine("READY ", 120_000).substring("READY ".length()).trim();
      ApicurioRegistry registry =
          ApicurioRegistry.start(
              new ApicurioRegistry.Options(Ports.pick(), null, dir.resolve("logs/registry.log")));
      BenchCluster c = new BenchCluster(broker, registry, bootstrap, dir, brokers);
      try (SchemaRegistryClient client =
          SchemaRegistryClients.create(Map.of("schema.registry.url", registry.url()))) {
        CatalogueSchemas.register(client, CATALOGUE);
      }
      log.info(
          "Broker (child JVM {}) at {}, registry at {}", broker.pid(), bootstrap, registry.url());
      return c;
    } catch (RuntimeException | InterruptedException e) {
      broker.close();
      throw e;
    }
  }

  public String bootstrap() {
    return bootstrap;
  }

  public String registryUrl() {
    return registry.url();
  }

  public Admin admin() {
    return admin;
  }

  public long brokerPid() {
    return broker.pid();
  }

  public Path dir() {
    return dir;
  }

  /**
   * Settings every service under test gets: this cluster, its replication factor, ops port picked
   * freely.
   */
  public Map<String, String> serviceConfig() {
    Map<String, String> c = new HashMap<>();
    c.put("kafka.bootstrap.servers", bootstrap);
    c.put("schema.registry.url", registry.url());
    c.put("kafka.replication.factor", Short.toString(replication));
    c.put("http.host", "127.0.0.1");
    c.put("http.port", "0");
    return c;
  }

  /**
   * Deletes every topic (the catalogue's and any Streams internal topic of an earlier run) and
   * creates the catalogue again, with {@code partitions} for every topic that has more than one.
   */
  public void resetTopics(int partitions) throws ExecutionException, InterruptedException {
    Set<String> existing = admin.listTopics().names().get();
    if (!existing.isEmpty()) {
      admin.deleteTopics(existing).all().get();
      long deadline = System.currentTimeMillis() + 60_000;
      while (!admin.listTopics().names().get().isEmpty()) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(
              "topics still there a minute after deletion: " + admin.listTopics().names().get());
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    List<NewTopic> topics = new ArrayList<>();
    for (TopicSpec spec : CATALOGUE) {
      int n = spec.partitions() > 1 ? partitions : 1;
      topics.add(new NewTopic(spec.name(), n, replication).configs(spec.configs()));
    }
    for (String t : List.of(PassthroughRun.OUTPUT, PassthroughRun.TASKS, PassthroughRun.USAGE)) {
      topics.add(
          new NewTopic(t, partitions, replication)
              .configs(
                  Map.of(
                      "max.message.bytes",
                      Integer.toString(TopicSpec.DOCUMENT_MAX_MESSAGE_BYTES))));
    }
    // a topic deleted a moment ago can still be being removed; retry the creation briefly
    for (int attempt = 1; ; attempt++) {
      try {
        admin.createTopics(topics).all().get();
        break;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException) || attempt >= 50) {
          throw e;
        }
        topics.removeIf(
            t -> {
              try {
                return admin.listTopics().names().get().contains(t.name());
              } catch (InterruptedException | ExecutionException ex) {
                return false;
              }
            });
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
    awaitLeaders(topics.stream().map(NewTopic::name).toList());
  }

  /**
   * Until every partition of the topics has a leader (a write to a partition not yet open fails).
   */
  private void awaitLeaders(List<String> names) throws ExecutionException, InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      boolean ready;
      try {
        ready =
            admin.describeTopics(names).allTopicNames().get().values().stream()
                .allMatch(
                    d ->
                        d.partitions().stream()
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
      } catch (ExecutionException e) {
        ready = false; // metadata not there yet (UnknownTopicOrPartition)
      }
      if (ready) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("partitions without a leader a minute after creation");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  @Override
  public void close() {
    admin.close();
    registry.close();
    broker.close();
  }
}
