package dev.agentyard.testing;

/**
 * The tests' registry: Apicurio Registry as a child JVM on a free port, in memory (see {@link
 * dev.agentyard.local.ApicurioRegistry}, which the local stack runs too).
 */
public final class ApicurioEndpoint implements SchemaRegistryEndpoint {

  private final dev.agentyard.local.ApicurioRegistry registry;

  private ApicurioEndpoint(dev.agentyard.local.ApicurioRegistry registry) {
    this.registry = registry;
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
