package dev.agentyard.testing;

/**
 * The tests' registry: Apicurio Registry as a child JVM on a free port, in memory (see {@link
 * dev.agentyard.local.ApicurioRegistry}, which the local stack runs too).
 */
public final class ApicurioEndpoint implements SchemaRegistryEndpoint {

  private final dev.agentyard.local.ApicurioRegistry registry;
  private final java.util.Map<String, Object> client;

  private ApicurioEndpoint(
      dev.agentyard.local.ApicurioRegistry registry, java.util.Map<String, Object> client) {
    this.registry = registry;
    this.client = client;
  }

  private ApicurioEndpoint(dev.agentyard.local.ApicurioRegistry registry) {
    this(registry, java.util.Map.of("schema.registry.url", registry.url()));
  }

  /**
   * A registry behind TLS (certificate from {@code certificates}) and basic authentication for
   * {@code users}; {@link #clientProperties()} log in as {@code admin}.
   */
  public static ApicurioEndpoint startSecured(
      dev.agentyard.local.LocalCertificates certificates,
      String admin,
      java.util.Map<String, String> users,
      java.nio.file.Path logFile) {
    var security = new dev.agentyard.local.ApicurioRegistry.Security(certificates, admin, users);
    var registry =
        dev.agentyard.local.ApicurioRegistry.start(
            new dev.agentyard.local.ApicurioRegistry.Options(0, null, logFile).secured(security));
    java.util.Map<String, Object> client = new java.util.HashMap<>(security.clientSettings(admin));
    client.put("schema.registry.url", registry.url());
    return new ApicurioEndpoint(registry, java.util.Map.copyOf(client));
  }

  @Override
  public java.util.Map<String, Object> clientProperties() {
    return client;
  }

  /** Starts the registry and waits until its Confluent-compatible API answers. */
  public static ApicurioEndpoint start() {
    return new ApicurioEndpoint(dev.agentyard.local.ApicurioRegistry.start());
  }

  @Override
  public String url() {
    return registry.url();
  }

  @Override
  public String kind() {
    return "apicurio";
  }

  /** Whether the child process is still running. */
  public boolean isAlive() {
    return registry.isAlive();
  }

  @Override
  public void close() {
    registry.close();
  }
}
