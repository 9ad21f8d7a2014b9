package dev.agentyard.runtime.lifecycle;

import dev.agentyard.runtime.kafka.KafkaClients;
import dev.agentyard.runtime.metrics.ServiceMetrics;
import dev.agentyard.runtime.tracing.Telemetry;
import dev.agentyard.runtime.tracing.Tracing;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClients;
import dev.agentyard.schemas.serde.AvroSerde;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * What every service's wiring module starts from (the shape of Parallel Consumer's {@code
 * PCModule}): the config, a {@link KafkaClients} and a {@link Clock}; parts built on first use; and
 * a {@link ServiceRunner} that closes, in reverse order, everything the module registered. A
 * service's module adds its own parts; its app starts them. Nothing connects until a part that
 * needs the cluster or the registry is asked for.
 *
 * @param <C> the service's config record
 */
public abstract class ServiceModule<C> implements AutoCloseable {

  private final String service;
  private final C config;
  private final KafkaClients clients;
  private final Clock clock;
  private final ServiceRunner runner;

  private ServiceMetrics serviceMetrics;
  private SchemaRegistryClient registry;
  private OpenTelemetry openTelemetry;

  protected ServiceModule(String service, C config, KafkaClients clients, Clock clock) {
    this.service = service;
    this.config = config;
    this.clients = clients;
    this.clock = clock;
    this.runner = new ServiceRunner(service);
  }

  public C config() {
    return config;
  }

  public KafkaClients clients() {
    return clients;
  }

  public Clock clock() {
    return clock;
  }

  /** What closes everything this module built. */
  public ServiceRunner runner() {
    return runner;
  }

  /** The service's meter registry and its Prometheus scrape. */
  public synchronized ServiceMetrics serviceMetrics() {
    if (serviceMetrics == null) {
      serviceMetrics = runner.register("metrics", new ServiceMetrics(service));
    }
    return serviceMetrics;
  }

  /**
   * The service's OpenTelemetry: the SDK configured by {@code OTEL_*} ({@link Telemetry}), closed
   * (spans flushed) with the service.
   */
  public synchronized OpenTelemetry openTelemetry() {
    if (openTelemetry == null) {
      OpenTelemetrySdk sdk = Telemetry.autoconfigure(service, System.getenv());
      runner.register("opentelemetry", sdk);
      openTelemetry = sdk;
    }
    return openTelemetry;
  }

  /**
   * Uses this OpenTelemetry instead of the autoconfigured one (a test's in-memory exporter, a host
   * application's own SDK); before any part that traces is built.
   */
  public synchronized void useOpenTelemetry(OpenTelemetry otel) {
    this.openTelemetry = otel;
  }

  /** The service's spans. */
  public Tracing tracing() {
    return new Tracing(openTelemetry());
  }

  public synchronized SchemaRegistryClient registry() {
    if (registry == null) {
      registry =
          runner.register(
              "schema registry client", SchemaRegistryClients.create(clients.serdeConfig()));
    }
    return registry;
  }

  /** An Avro serde of the registry, configured with the service's registry settings. */
  public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
    return AvroSerde.specific(type, registry(), clients.serdeConfig());
  }

  @Override
  public void close() {
    runner.close();
  }
}
