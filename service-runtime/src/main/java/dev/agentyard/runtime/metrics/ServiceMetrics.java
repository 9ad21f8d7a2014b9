package dev.agentyard.runtime.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * A service's Prometheus registry, tagged with the service name, with JVM and process meters bound.
 * Kafka client meters are bound through {@link #bind}; close this to unbind them.
 */
public final class ServiceMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final List<AutoCloseable> binders = new ArrayList<>();

  public ServiceMetrics(String service) {
    // a measurement taken inside a recorded span carries its trace id (exemplars, OpenMetrics)
    this.registry =
        new PrometheusMeterRegistry(
            PrometheusConfig.DEFAULT,
            new PrometheusRegistry(),
            io.micrometer.core.instrument.Clock.SYSTEM,
            new CurrentSpan());
    registry.config().commonTags("service", service);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    binders.add(gc);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The registry's current state in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  /** The OpenMetrics content type, the format that carries exemplars. */
  public static final String OPENMETRICS =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  /** The registry's current state in OpenMetrics, with exemplars. */
  public String scrapeOpenMetrics() {
    return registry.scrape(OPENMETRICS);
  }

  /** Binds a producer's metrics (kafka_producer_*). */
  public void bind(Producer<?, ?> producer) {
    KafkaClientMetrics m = new KafkaClientMetrics(producer);
    m.bindTo(registry);
    binders.add(m);
  }

  /** Binds a consumer's metrics (kafka_consumer_*: lag, fetch rate...). */
  public void bind(Consumer<?, ?> consumer) {
    KafkaClientMetrics m = new KafkaClientMetrics(consumer);
    m.bindTo(registry);
    binders.add(m);
  }

  @Override
  public void close() {
    for (AutoCloseable b : binders) {
      try {
        b.close();
      } catch (Exception e) {
        // a binder that fails to close only leaks a scheduled gauge refresh
      }
    }
    registry.close();
  }
}
