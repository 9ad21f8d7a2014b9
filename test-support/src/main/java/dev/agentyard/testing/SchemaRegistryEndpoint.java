package dev.agentyard.testing;

/** A running Confluent-API-compatible schema registry. */
public interface SchemaRegistryEndpoint extends AutoCloseable {

  /**
   * Base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}.
   */
  String url();

  /**
   * Registry client settings to reach it (Confluent's names): the URL, and for a secured registry
   * its credentials and truststore.
   */
  default java.util.Map<String, Object> clientProperties() {
    return java.util.Map.of("schema.registry.url", url());
  }

  /** What it is: apicurio or external. */
  String kind();

  @Override
  void close();
}
