package dev.agentyard.stack;

import dev.agentyard.cost.CostAggregatorApp;
import dev.agentyard.cost.CostAggregatorConfig;
import dev.agentyard.dlq.DlqConfig;
import dev.agentyard.dlq.DlqServer;
import dev.agentyard.local.ApicurioRegistry;
import dev.agentyard.local.LocalKafkaBroker;
import dev.agentyard.local.ZipkinServer;
import dev.agentyard.router.RouterApp;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.schemas.registry.CatalogueSchemas;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClients;
import dev.agentyard.schemas.topics.TopicProvisioner;
import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.simulator.ProviderSimulator;
import dev.agentyard.simulator.SimulatorConfig;
import dev.agentyard.workers.AgentWorkerApp;
import dev.agentyard.workers.WorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline side by side in one JVM: the broker and registry (started here, or given), the
 * topics and schemas, the provider simulator (or the real providers), the router, the workers for
 * every route, the cost aggregator and the dead-letter console's HTTP API. Each service is started
 * through the same entry point its own deployable uses, with its own config map; nothing is shared
 * between them but the cluster.
 */
public final class LocalStack implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

  /** Key the workers send to the simulator; the simulator checks one is present, not its value. */
  static final String SIMULATOR_KEY = "sim-local-not-a-secret";

  /**
   * Where to reach what the stack runs.
   *
   * @param kafkaClient client settings for the stack's own reading and writing: the bootstrap
   *     servers, and on a secured stack the provisioning super user's login (never a service's)
   * @param registryClient the same for the registry
   * @param consoleConfig on a secured stack, the dead-letter console's settings file
   */
  public record Endpoints(
      String bootstrapServers,
      String registryUrl,
      String router,
      String workers,
      String cost,
      String dlq,
      Optional<String> simulator,
      Path dlqTokenFile,
      Optional<String> zipkin,
      Map<String, Object> kafkaClient,
      Map<String, Object> registryClient,
      Optional<Path> consoleConfig) {

    /** Everything but the logins, which are hidden. */
    @Override
    public String toString() {
      return "Endpoints{kafka="
          + bootstrapServers
          + ", registry="
          + registryUrl
          + ", router="
          + router
          + ", workers="
          + workers
          + ", cost="
          + cost
          + ", dlq="
          + dlq
          + ", kafkaClient="
          + dev.agentyard.runtime.config.Secrets.mask(kafkaClient)
          + ", registryClient="
          + dev.agentyard.runtime.config.Secrets.mask(registryClient)
          + "}";
    }

    /** A trace's page in the trace backend's UI, if there is one. */
    public Optional<String> traceLink(String traceId) {
      return zipkin.map(z -> z + "/zipkin/traces/" + traceId);
    }
  }

  /** The system property {@code Telemetry} reads for a Zipkin endpoint. */
  static final String ZIPKIN_ENDPOINT = "otel.exporter.zipkin.endpoint";

  private final Deque<Named> resources = new ArrayDeque<>();
  private final StackConfig config;
  private Endpoints endpoints;
  private ProviderSimulator simulator;
  private List<TopicSpec> topics;

  private record Named(String name, AutoCloseable resource) {}

  private LocalStack(StackConfig config) {
    this.config = config;
  }

  /** Starts everything, reporting each step; on failure stops what was started and rethrows. */
  public static LocalStack start(StackConfig config, Consumer<String> progress) {
    LocalStack stack = new LocalStack(config);
    try {
      stack.startAll(progress);
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private <T extends AutoCloseable> T own(String name, T resource) {
    resources.push(new Named(name, resource));
    return resource;
  }

  private void startAll(Consumer<String> progress) {
    // a secured stack keeps its broker, registry, certificates and passwords apart from a plain one
    Path data =
        config.secure()
            ? config.dataDir().toAbsolutePath().resolve("secure")
            : config.dataDir().toAbsolutePath();
    StackConfig.Ports ports = config.ports();
    SecureStack secured = config.secure() ? SecureStack.in(data) : null;
    mkdirs(data.resolve("logs"));
    Map<String, Object> kafkaClient = new HashMap<>();

    String bootstrap =
        config
            .bootstrapServers()
            .orElseGet(
                () -> {
                  LocalKafkaBroker.Options options =
                      new LocalKafkaBroker.Options(
                          data.resolve("kafka"), ports.kafka(), ports.controller(), Map.of());
                  if (secured != null) {
                    options = options.secured(secured.broker());
                  }
                  LocalKafkaBroker broker = own("kafka", LocalKafkaBroker.start(options));
                  kafkaClient.putAll(broker.clientProperties());
                  progress.accept(
                      "Kafka (KRaft, in this JVM) at "
                          + broker.bootstrapServers()
                          + (secured != null
                              ? " (SASL_SSL, SCRAM-SHA-512, ACLs; CA in "
                                  + secured.certificates().caPem()
                                  + ")"
                              : "")
                          + ", data in "
                          + data.resolve("kafka"));
                  return broker.bootstrapServers();
                });
    if (config.bootstrapServers().isPresent()) {
      progress.accept("Kafka: using " + bootstrap);
      kafkaClient.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    }
    String registryUrl =
        config
            .registryUrl()
            .orElseGet(
                () -> {
                  ApicurioRegistry.Options options =
                      new ApicurioRegistry.Options(
                          ports.registry(),
                          data.resolve("registry"),
                          data.resolve("logs/registry.log"));
                  if (secured != null) {
                    options = options.secured(secured.registry());
                  }
                  ApicurioRegistry registry = own("registry", ApicurioRegistry.start(options));
                  progress.accept(
                      "Schema registry (Apicurio, child JVM) at "
                          + registry.url()
                          + (secured != null ? " (HTTPS, basic authentication)" : ""));
                  return registry.url();
                });
    if (config.registryUrl().isPresent()) {
      progress.accept("Schema registry: using " + registryUrl);
    }

    Map<String, Object> registryClient = new HashMap<>();
    registryClient.put("schema.registry.url", registryUrl);
    if (secured != null) {
      registryClient.putAll(secured.registryClient(SecureStack.ADMIN));
    }
    try (Admin admin = Admin.create(kafkaClient)) {
      // the cluster was named in the progress lines above
      topics =
          provision(
              admin, config.replicationFactor(), registryClient, config.retryDelays(), progress);
      if (secured != null) {
        secured.grant(admin, topics, progress);
      }
    }

    Optional<String> zipkinUrl = Optional.empty();
    if (ports.zipkin() != StackConfig.Ports.NO_ZIPKIN) {
      ZipkinServer zipkin =
          own("zipkin", ZipkinServer.start(ports.zipkin(), data.resolve("logs/zipkin.log")));
      // every service of this JVM exports its spans there (Telemetry reads the otel.* property)
      System.setProperty(ZIPKIN_ENDPOINT, zipkin.spansEndpoint());
      own("zipkin exporter setting", () -> System.clearProperty(ZIPKIN_ENDPOINT));
      zipkinUrl = Optional.of(zipkin.url());
      progress.accept("Trace backend (Zipkin, child JVM) at " + zipkin.url() + "/zipkin/");
    }

    Path signingKey = secret(data.resolve("secrets/approval-signing-key"), () -> randomBase64(48));
    Path dlqTokens =
        secret(data.resolve("secrets/dlq-http-tokens"), () -> "local:" + randomBase64(32));

    Map<String, String> common = new HashMap<>();
    common.put("kafka.bootstrap.servers", bootstrap);
    common.put("schema.registry.url", registryUrl);
    common.put("kafka.replication.factor", Short.toString(config.replicationFactor()));
    common.put("http.host", "127.0.0.1");

    Optional<String> simulatorUrl = Optional.empty();
    if (!config.realProviders()) {
      simulator =
          own(
              "provider simulator",
              ProviderSimulator.start(
                  SimulatorConfig.withDefaults(SampleWorkload.simulatorConfig(ports.simulator()))));
      simulatorUrl = Optional.of(simulator.baseUrl());
      progress.accept(
          "Provider simulator (Anthropic + OpenAI wire formats) at " + simulator.baseUrl());
    }

    Map<String, String> router = new HashMap<>(common);
    router.put("http.port", Integer.toString(ports.router()));
    router.put("kafka.streams.state.dir", mkdirs(data.resolve("state/router")).toString());
    // (the sample's documents, where the workload writes them, secured stack or not)
    router.put(
        "router.document.file-roots",
        mkdirs(config.dataDir().toAbsolutePath().resolve("documents")).toString());
    if (secured != null) {
      router.putAll(secured.serviceSettings("router-service"));
    }
    own("router-service", RouterApp.start(RouterConfig.effective(router)));
    progress.accept("router-service: ops on :" + ports.router());

    Map<String, String> workers = new HashMap<>(common);
    workers.put("http.port", Integer.toString(ports.workers()));
    workers.put("worker.routes", String.join(",", Topics.DEFAULT_ROUTES));
    workers.put(
        "worker.retry.delays",
        config.retryDelays().stream().map(Topics::label).collect(Collectors.joining(",")));
    // the sample's outage task opens breakers; with the stack's short retry delays a breaker must
    // reopen its door before the last delay runs out, or every task then in retry (and a replay
    // made right after the run) is dead-lettered by a breaker, not by its own failure
    // (docs/reliability.md: keep the last delay longer than the breaker's wait)
    long lastDelay =
        config.retryDelays().isEmpty() ? 60 : config.retryDelays().getLast().toSeconds();
    workers.put(
        "worker.resilience.breaker.open-for", Math.max(1, Math.min(30, lastDelay / 2)) + "s");
    workers.put("approval.signing-key-file", signingKey.toString());
    simulatorUrl.ifPresent(
        url ->
            workers.putAll(WorkerConfig.providersAt(url, SIMULATOR_KEY, Duration.ofSeconds(10))));
    workers.putAll(config.workerSettings());
    if (secured != null) {
      workers.putAll(secured.serviceSettings("agent-workers"));
    }
    own("agent-workers", AgentWorkerApp.start(WorkerConfig.effective(workers), System.getenv()));
    progress.accept(
        "agent-workers: routes " + Topics.DEFAULT_ROUTES + ", ops on :" + ports.workers());

    Map<String, String> cost = new HashMap<>(common);
    cost.put("http.port", Integer.toString(ports.cost()));
    cost.put("kafka.streams.state.dir", mkdirs(data.resolve("state/cost-aggregator")).toString());
    if (secured != null) {
      cost.putAll(secured.serviceSettings("cost-aggregator"));
    }
    own("cost-aggregator", CostAggregatorApp.start(CostAggregatorConfig.effective(cost)));
    progress.accept("cost-aggregator: cost API and ops on :" + ports.cost());

    Map<String, String> dlq = new HashMap<>(common);
    dlq.put("http.port", Integer.toString(ports.dlq()));
    dlq.put("dlq.http.token-file", dlqTokens.toString());
    dlq.put("approval.signing-key-file", signingKey.toString());
    zipkinUrl.ifPresent(z -> dlq.put("dlq.trace-link", z + "/zipkin/traces/{traceId}"));
    if (secured != null) {
      dlq.putAll(secured.serviceSettings("dlq-handler"));
    }
    own("dlq-handler", DlqServer.start(DlqConfig.effective(dlq), Map.of()));
    progress.accept(
        "dlq-handler: HTTP API on :" + ports.dlq() + " (bearer token in " + dlqTokens + ")");

    endpoints =
        new Endpoints(
            bootstrap,
            registryUrl,
            url(ports.router()),
            url(ports.workers()),
            url(ports.cost()),
            url(ports.dlq()),
            simulatorUrl,
            dlqTokens,
            zipkinUrl,
            Map.copyOf(kafkaClient),
            Map.copyOf(registryClient),
            secured == null
                ? Optional.empty()
                : Optional.of(secured.consoleConfig(bootstrap, registryUrl)));
    log.info(
        "Local stack started: {}{}",
        endpoints.bootstrapServers(),
        secured != null ? " (secured)" : "");
  }

  /**
   * Creates the catalogue's topics (those there already are left as they are, drift reported) and
   * registers every schema (BACKWARD compatible with what the registry has); returns the catalogue.
   */
  public static List<TopicSpec> provision(
      Admin admin,
      short replicationFactor,
      String registryUrl,
      List<Duration> retryDelays,
      Consumer<String> progress) {
    return provision(
        admin,
        replicationFactor,
        Map.of("schema.registry.url", registryUrl),
        retryDelays,
        progress);
  }

  /** The same, with the registry's client settings (a secured registry's login and truststore). */
  public static List<TopicSpec> provision(
      Admin admin,
      short replicationFactor,
      Map<String, ?> registry,
      List<Duration> retryDelays,
      Consumer<String> progress) {
    List<TopicSpec> catalogue = Topics.catalogue(Topics.DEFAULT_ROUTES, retryDelays);
    try {
      var reports = new TopicProvisioner(admin, replicationFactor).apply(catalogue, false);
      Map<TopicProvisioner.Status, Long> byStatus =
          reports.stream()
              .collect(
                  Collectors.groupingBy(
                      TopicProvisioner.TopicReport::status, Collectors.counting()));
      reports.stream()
          .filter(r -> r.status() == TopicProvisioner.Status.DRIFTED)
          .forEach(r -> progress.accept("  topic drift (left as is): " + r));
      progress.accept("Topics: " + catalogue.size() + " in the catalogue " + byStatus);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("cannot create the topics: " + e.getMessage(), e);
    }
    try (SchemaRegistryClient client = SchemaRegistryClients.create(registry)) {
      Map<String, Integer> ids = CatalogueSchemas.register(client, catalogue);
      progress.accept(
          "Schemas: "
              + ids.size()
              + " subjects registered (BACKWARD compatible with what was there)");
    }
    return catalogue;
  }

  private static String url(int port) {
    return "http://127.0.0.1:" + port;
  }

  private static Path mkdirs(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  /** A secret kept in a file only its owner may read, created once. */
  public static Path secret(Path file, Supplier<String> value) {
    try {
      mkdirs(file.getParent());
      if (!Files.exists(file)) {
        Files.writeString(file, value.get() + "\n");
        try {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          log.warn("{}: file permissions cannot be restricted on this file system", file);
        }
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** {@code bytes} random bytes from a secure source, URL-safe base64 without padding. */
  public static String randomBase64(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  /** The simulator, when the stack runs one. */
  public Optional<ProviderSimulator> simulator() {
    return Optional.ofNullable(simulator);
  }

  /** The topics the stack created. */
  public List<TopicSpec> topics() {
    return topics;
  }

  public StackConfig config() {
    return config;
  }

  /** Stops services first, then the simulator, registry and broker (reverse order of start). */
  @Override
  public void close() {
    while (!resources.isEmpty()) {
      Named n = resources.pop();
      try {
        n.resource().close();
        log.info("stopped {}", n.name());
      } catch (Exception e) {
        log.warn("{} did not stop cleanly", n.name(), e);
      }
    }
  }
}
