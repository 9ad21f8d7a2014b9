package dev.agentyard.testing;

/** A registry someone else runs, given by {@code AGENTYARD_TEST_REGISTRY_URL}. */
public record ExternalSchemaRegistry(String url) implements SchemaRegistryEndpoint {

  @Override
  public String kind() {
    return "external";
  }

  @Override
  public void close() {
    // not ours to stop
  }
}
