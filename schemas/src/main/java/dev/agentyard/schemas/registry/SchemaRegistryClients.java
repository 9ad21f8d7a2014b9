package dev.agentyard.schemas.registry;

import java.time.Clock;
import java.util.Map;

/** Builds registry clients from Confluent-style client properties. */
public final class SchemaRegistryClients {

  private SchemaRegistryClients() {}

  /** A caching client over HTTP, configured from {@code schema.registry.url} and friends. */
  public static SchemaRegistryClient create(Map<String, ?> props) {
    RegistryClientConfig config = RegistryClientConfig.fromMap(props);
    return new CachedSchemaRegistryClient(
        new RestSchemaRegistryClient(config),
        config.maxSchemasPerSubject(),
        config.latestCacheTtlSec(),
        Clock.systemUTC());
  }
}
