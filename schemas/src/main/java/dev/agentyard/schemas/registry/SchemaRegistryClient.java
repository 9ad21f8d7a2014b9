package dev.agentyard.schemas.registry;

import java.io.Closeable;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry REST API that Agentyard needs. Works against any
 * Confluent-compatible registry: Confluent Platform and Cloud, Redpanda, Karapace, and Apicurio's
 * {@code /apis/ccompat/v7}.
 *
 * <p>Every method throws {@link SchemaRegistryException} on an answer it cannot use, and {@link
 * RegistryUnavailableException} when no registry answered after the configured retries.
 */
public interface SchemaRegistryClient extends Closeable {

  /**
   * Registers the schema under the subject (idempotent: an existing identical schema keeps its id).
   */
  int register(String subject, Schema schema);

  /**
   * Finds the id of a schema already registered under the subject; error 40401/40403 when absent.
   */
  int lookupId(String subject, Schema schema);

  /** Fetches a schema by its global id; error 40403 when no schema has that id. */
  Schema getById(int id);

  /**
   * The latest version registered under the subject; error 40401 when the subject does not exist.
   */
  RegisteredSchema latestVersion(String subject);

  /**
   * Whether the schema is compatible with the latest version under the subject, according to the
   * subject's compatibility level. A subject with no versions accepts anything.
   */
  boolean isCompatible(String subject, Schema schema);

  /** Sets the compatibility level of a subject, or the global default when subject is empty. */
  void setCompatibility(Optional<String> subject, CompatibilityLevel level);

  /** The compatibility level of a subject, or the global default when subject is empty. */
  CompatibilityLevel getCompatibility(Optional<String> subject);

  /** Every subject registered. */
  List<String> subjects();

  @Override
  void close();
}
