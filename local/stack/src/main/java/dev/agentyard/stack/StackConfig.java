package dev.agentyard.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the local stack runs and where.
 *
 * @param dataDir broker data, registry database, service state, secrets and logs; kept across runs
 * @param bootstrapServers an existing cluster to use instead of starting a broker
 * @param registryUrl an existing Confluent-compatible registry to use instead of starting Apicurio
 * @param replicationFactor replication factor of the topics created (1 on the local broker)
 * @param ports fixed ports of everything started
 * @param realProviders call the real Anthropic and OpenAI APIs (keys from ANTHROPIC_API_KEY /
 *     OPENAI_API_KEY) instead of the provider simulator
 * @param applications loan applications in the sample workload (0: publish nothing)
 * @param retryDelays the workers' retry delays (short, so the sample's dead letter arrives within
 *     the run)
 * @param timeout longest wait for the sample workload to be accounted for
 * @param workerSettings worker settings over the stack's own (a route's cache lifetime, prompt
 *     file, thinking budget...), for runs that exercise one of them
 * @param secure run the broker on SASL_SSL (SCRAM-SHA-512) with the standard authorizer and the
 *     registry behind TLS and basic authentication, each service as its own principal with the ACLs
 *     {@code deploy/k8s} grants ({@code deploy/run --secure}); data under {@code dataDir/secure}
 */
public record StackConfig(
    Path dataDir,
    Optional<String> bootstrapServers,
    Optional<String> registryUrl,
    short replicationFactor,
    Ports ports,
    boolean realProviders,
    int applications,
    List<Duration> retryDelays,
    Duration timeout,
    Map<String, String> workerSettings,
    boolean secure) {

  /** The stack on a plain (PLAINTEXT, no authorizer) broker and registry. */
  public StackConfig(
      Path dataDir,
      Optional<String> bootstrapServers,
      Optional<String> registryUrl,
      short replicationFactor,
      Ports ports,
      boolean realProviders,
      int applications,
      List<Duration> retryDelays,
      Duration timeout,
      Map<String, String> workerSettings) {
    this(
        dataDir,
        bootstrapServers,
        registryUrl,
        replicationFactor,
        ports,
        realProviders,
        applications,
        retryDelays,
        timeout,
        workerSettings,
        false);
  }

  /** The stack with the workers' settings as they come. */
  public StackConfig(
      Path dataDir,
      Optional<String> bootstrapServers,
      Optional<String> registryUrl,
      short replicationFactor,
      Ports ports,
      boolean realProviders,
      int applications,
      List<Duration> retryDelays,
      Duration timeout) {
    this(
        dataDir,
        bootstrapServers,
        registryUrl,
        replicationFactor,
        ports,
        realProviders,
        applications,
        retryDelays,
        timeout,
        Map.of());
  }

  public static final List<Duration> DEFAULT_RETRY_DELAYS =
      List.of(Duration.ofSeconds(2), Duration.ofSeconds(5));

  /**
   * Ports. The broker's are used only when the stack starts it, the registry's only when it starts
   * Apicurio.
   */
  public record Ports(
      int kafka,
      int controller,
      int registry,
      int router,
      int workers,
      int dlq,
      int cost,
      int simulator,
      int zipkin) {
    public static final Ports DEFAULTS =
        new Ports(9092, 9093, 8081, 8082, 8083, 8084, 8085, 8089, 9411);

    /** The trace backend is not started when its port is this. */
    public static final int NO_ZIPKIN = -1;
  }

  public StackConfig {
    retryDelays = List.copyOf(retryDelays);
    workerSettings = Map.copyOf(workerSettings);
    if (applications < 0) {
      throw new IllegalArgumentException("applications must not be negative");
    }
    if (secure && (bootstrapServers.isPresent() || registryUrl.isPresent())) {
      throw new IllegalArgumentException(
          "--secure starts its own secured broker and registry: it cannot be combined with"
              + " --bootstrap-servers or --registry-url (give those clusters' security settings"
              + " to the services instead)");
    }
  }
}
