package dev.agentyard.testing;

/** A running Confluent-API-compatible schema registry. */
public interface SchemaRegistryEndpoint extends AutoCloseable {

  /**
   * Base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}.
   */
  String url();

  /** What it is: apicurio or external. */
  String kind();

  @Override
  void close();
}
