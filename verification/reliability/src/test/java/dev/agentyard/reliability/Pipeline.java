package dev.agentyard.reliability;

import dev.agentyard.local.Ports;
import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.simulator.ProviderSimulator;
import dev.agentyard.simulator.SimulatorConfig;
import dev.agentyard.stack.LocalStack;
import dev.agentyard.stack.SampleWorkload;
import dev.agentyard.stack.StackConfig;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;

/**
 * The whole pipeline for one scenario: the topics and schemas on the tests' cluster and registry,
 * the provider simulator in this JVM (it stands for the provider: its ledger is the provider's
 * books), and router, workers and cost aggregator each in a JVM of its own, configured as a
 * deployment would be. Every secret is random per scenario and looks like the real thing, so the
 * secret scan can find any leak of it.
 */
final class Pipeline implements AutoCloseable {

  static final List<Duration> RETRY_DELAYS = StackConfig.DEFAULT_RETRY_DELAYS;
  static final Duration READY = Duration.ofMinutes(2);

  private final String scenario;
  private final KafkaCluster kafka;
  private final String registryUrl;
  private final Map<String, Object> registryClient;
  private final Path dir;
  private final ProviderSimulator simulator;
  private final Map<String, String> common = new HashMap<>();
  private final Map<String, String> secrets = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> overrides;
  private final List<Service> services = new ArrayList<>();
  private final List<TopicSpec> topics;
  private final Path signingKeyFile;
  private final Path providerKeyFile;
  private Service router;
  private Service cost;
  private final List<Service> workers = new ArrayList<>();
  private int workerInstances;

  /**
   * @param simulatorOverrides simulator settings over the sample's (faults, latency)
   * @param overrides per service ("router", "workers", "cost", "dlq"), settings over the defaults
   *     below
   */
  private Pipeline(
      String scenario,
      KafkaCluster kafka,
      SchemaRegistryEndpoint registry,
      Path dir,
      Map<String, String> simulatorOverrides,
      Map<String, Map<String, String>> overrides) {
    this.scenario = scenario;
    this.kafka = kafka;
    this.registryUrl = registry.url();
    this.registryClient = Map.copyOf(registry.clientProperties());
    this.dir = dir;
    this.overrides = overrides;
    short rf = (short) Math.min(3, kafka.brokerIds().size());
    try (Admin admin = kafka.admin()) {
      topics = LocalStack.provision(admin, rf, registryClient, RETRY_DELAYS, line -> {});
    }
    secrets.put("provider API key", "sk-ant-api03-" + LocalStack.randomBase64(40));
    secrets.put("approval signing key", LocalStack.randomBase64(48));
    secrets.put("dlq bearer token", "dlqtok-" + LocalStack.randomBase64(32));
    signingKeyFile =
        LocalStack.secret(
            dir.resolve("secrets/approval-signing-key"), () -> secrets.get("approval signing key"));
    providerKeyFile =
        LocalStack.secret(
            dir.resolve("secrets/provider-api-key"), () -> secrets.get("provider API key"));

    Map<String, String> sim = new HashMap<>(SampleWorkload.simulatorConfig(0));
    sim.put("sim.require-auth", "true");
    sim.putAll(simulatorOverrides);
    simulator = ProviderSimulator.start(SimulatorConfig.withDefaults(sim));

    common.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    common.put("schema.registry.url", registryUrl);
    common.put("kafka.replication.factor", Short.toString(rf));
    common.put("http.host", "127.0.0.1");
  }

  static Pipeline start(
      String scenario,
      KafkaCluster kafka,
      SchemaRegistryEndpoint registry,
      Path dir,
      Map<String, String> simulatorOverrides,
      Map<String, Map<String, String>> overrides)
      throws InterruptedException {
    Pipeline p = new Pipeline(scenario, kafka, registry, dir, simulatorOverrides, overrides);
    try {
      p.router = p.add(p.routerService()).start();
      p.workers.add(p.add(p.workerService()).start());
      p.cost = p.add(p.costService()).start();
      for (Service s : p.services) {
        s.awaitReady(READY);
      }
      return p;
    } catch (RuntimeException | InterruptedException e) {
      p.close();
      throw e;
    }
  }

  private Service add(Service s) {
    services.add(s);
    return s;
  }

  private Map<String, String> config(String service, int port) {
    Map<String, String> c = new HashMap<>(common);
    c.put("http.port", Integer.toString(port));
    c.putAll(overrides.getOrDefault(service, Map.of()));
    return c;
  }

  private Service routerService() {
    Map<String, String> c = config("router", Ports.pick());
    c.put("kafka.streams.state.dir", mkdirs(dir.resolve("state/router")).toString());
    c.put("router.document.file-roots", mkdirs(documents()).toString());
    c.putIfAbsent("kafka.streams.commit.interval.ms", "100");
    // a stable name, as a pod's: a restarted router is a static member and gets its tasks back
    c.putIfAbsent("kafka.streams.group.instance.id", scenario + "-router");
    return new Service("router", "dev.agentyard.router.RouterApp", c, dir);
  }

  /** Another worker instance of the same deployment (same group per route), not started. */
  Service workerService() {
    Map<String, String> c = config("workers", Ports.pick());
    c.put("worker.routes", String.join(",", Topics.DEFAULT_ROUTES));
    c.put(
        "worker.retry.delays",
        RETRY_DELAYS.stream().map(Topics::label).collect(Collectors.joining(",")));
    c.put("approval.signing-key-file", signingKeyFile.toString());
    for (String provider : List.of("anthropic", "openai")) {
      c.put("worker.provider." + provider + ".base-url", simulator.baseUrl() + "/v1");
      c.put("worker.provider." + provider + ".api-key-file", providerKeyFile.toString());
      c.putIfAbsent("worker.provider." + provider + ".timeout", "5s");
    }
    c.putAll(overrides.getOrDefault("workers", Map.of()));
    String name = "workers-" + (++workerInstances);
    // stable per instance, as a StatefulSet pod name: a restart is a static member that fences
    // its predecessor's open transaction at once
    c.putIfAbsent("worker.instance-id", scenario + "-" + name);
    return new Service(name, "dev.agentyard.workers.AgentWorkerApp", c, dir);
  }

  private Service costService() {
    Map<String, String> c = config("cost", Ports.pick());
    c.put("kafka.streams.state.dir", mkdirs(dir.resolve("state/cost")).toString());
    c.putIfAbsent("kafka.streams.commit.interval.ms", "100");
    c.putIfAbsent("kafka.streams.group.instance.id", scenario + "-cost");
    return new Service("cost-aggregator", "dev.agentyard.cost.CostAggregatorApp", c, dir);
  }

  /** The dead-letter console's HTTP API as its own process, with this scenario's bearer token. */
  Service startDlqServer() throws InterruptedException {
    return startDlqServer("oncall:" + secrets.get("dlq bearer token"));
  }

  /**
   * Starts the dead-letter console's server with these token-file lines ({@code
   * name:token[:role,...]}); register each token in {@link #secrets()} so the scans look for it.
   */
  Service startDlqServer(String tokenLines) throws InterruptedException {
    Path tokens = LocalStack.secret(dir.resolve("secrets/dlq-http-tokens"), () -> tokenLines);
    Map<String, String> c = config("dlq", Ports.pick());
    c.put("dlq.http.token-file", tokens.toString());
    c.put("approval.signing-key-file", signingKeyFile.toString());
    return add(new Service("dlq-handler", "dev.agentyard.dlq.DlqServer", c, dir))
        .start()
        .awaitReady(READY);
  }

  /** Starts one more worker instance and waits until it is ready. */
  Service addWorker() throws InterruptedException {
    Service w = add(workerService()).start().awaitReady(READY);
    workers.add(w);
    return w;
  }

  /** Config for a dead-letter console run against this pipeline (the CLI's {@code -D} options). */
  List<String> consoleOptions() {
    List<String> o =
        new ArrayList<>(
            List.of(
                "-D",
                "kafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "-D",
                "schema.registry.url=" + registryUrl,
                "-D",
                "approval.signing-key-file=" + signingKeyFile));
    // the console's own login on a secured cluster, as its server's
    overrides
        .getOrDefault("dlq", Map.of())
        .forEach(
            (k, v) -> {
              o.add("-D");
              // (the console runs in this JVM: what a service gets from its environment is an
              // option here)
              o.add(
                  (k.startsWith("AGENTYARD_")
                          ? dev.agentyard.runtime.config.ConfigLoader.envToKey(k)
                          : k)
                      + "="
                      + v);
            });
    return o;
  }

  private static Path mkdirs(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String scenario() {
    return scenario;
  }

  KafkaCluster kafka() {
    return kafka;
  }

  String registryUrl() {
    return registryUrl;
  }

  /**
   * Registry client settings for the test's own reading and writing (the URL, and a secured
   * registry's login and truststore), with {@code extra} added.
   */
  Map<String, Object> registryClient(Map<String, Object> extra) {
    Map<String, Object> c = new HashMap<>(registryClient);
    c.putAll(extra);
    return c;
  }

  Path dir() {
    return dir;
  }

  Path documents() {
    return dir.resolve("documents");
  }

  ProviderSimulator simulator() {
    return simulator;
  }

  List<TopicSpec> topics() {
    return topics;
  }

  Service router() {
    return router;
  }

  Service cost() {
    return cost;
  }

  List<Service> workers() {
    return workers;
  }

  List<Service> services() {
    return services;
  }

  /** Name → value of every secret this scenario handed out. */
  Map<String, String> secrets() {
    return secrets;
  }

  Set<Path> logs() {
    return services.stream().map(Service::log).collect(Collectors.toSet());
  }

  @Override
  public void close() {
    for (Service s : services.reversed()) {
      try {
        s.stop();
      } catch (RuntimeException e) {
        // keep stopping the others
      }
    }
    simulator.close();
  }
}
