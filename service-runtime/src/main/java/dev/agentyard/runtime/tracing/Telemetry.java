package dev.agentyard.runtime.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.SpanBytesEncoder;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * A service's OpenTelemetry SDK, configured by the standard {@code OTEL_*} variables and {@code
 * otel.*} system properties (SDK autoconfiguration: exporter, endpoint, protocol {@code grpc} or
 * {@code http/protobuf}, headers, sampler, resource attributes). Agentyard's defaults under them:
 * the service name; traces exported over OTLP when an OTLP endpoint is configured, or to a Zipkin
 * server when {@code OTEL_EXPORTER_ZIPKIN_ENDPOINT} is (the local stack's); with neither (nor an
 * explicit {@code OTEL_TRACES_EXPORTER}) the SDK is disabled, so spans are not even recorded; no
 * OpenTelemetry metrics or logs (metrics are Micrometer's, scraped by Prometheus).
 */
public final class Telemetry {

  private Telemetry() {}

  /** The SDK for a service; close it (flushes spans) when the service stops. */
  public static OpenTelemetrySdk autoconfigure(String serviceName, Map<String, String> env) {
    Optional<String> zipkin = setting(env, "OTEL_EXPORTER_ZIPKIN_ENDPOINT");
    if (Boolean.parseBoolean(defaults(serviceName, env).get("otel.sdk.disabled"))
        && setting(env, "OTEL_SDK_DISABLED").isEmpty()) {
      // nowhere to send spans: sample none, so none is recorded (the traceparent still travels)
      return OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build())
          .build();
    }
    var builder =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults(serviceName, env))
            .disableShutdownHook();
    if (zipkin.isPresent() && exporterOf(env).isEmpty()) {
      // Zipkin's own format over the JDK's HTTP connection (its OkHttp sender would clash with the
      // OTLP exporter's OkHttp)
      builder.addTracerProviderCustomizer(
          (tracers, config) ->
              tracers.addSpanProcessor(
                  BatchSpanProcessor.builder(
                          ZipkinSpanExporter.builder()
                              .setSender(zipkinSender(zipkin.get()))
                              .setEncoder(SpanBytesEncoder.PROTO3)
                              .build())
                      // the same OTEL_BSP_* settings as the autoconfigured exporters
                      .setMaxQueueSize(config.getInt("otel.bsp.max.queue.size", 2048))
                      .setMaxExportBatchSize(config.getInt("otel.bsp.max.export.batch.size", 512))
                      .setScheduleDelay(
                          config.getDuration(
                              "otel.bsp.schedule.delay", java.time.Duration.ofSeconds(5)))
                      .build()));
    }
    return builder.build().getOpenTelemetrySdk();
  }

  /**
   * Zipkin's protobuf format (smaller and cheaper to write than its JSON), gzipped unless the
   * server is on this host, where compressing costs more than it saves.
   */
  static URLConnectionSender zipkinSender(String endpoint) {
    String host = java.net.URI.create(endpoint).getHost();
    boolean loopback =
        host != null
            && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    return URLConnectionSender.newBuilder()
        .endpoint(endpoint)
        .encoding(Encoding.PROTO3)
        .compressionEnabled(!loopback)
        .build();
  }

  /** Agentyard's defaults; {@code OTEL_*} variables and system properties override every one. */
  static Map<String, String> defaults(String serviceName, Map<String, String> env) {
    Map<String, String> d = new HashMap<>();
    d.put("otel.service.name", serviceName);
    boolean otlp =
        setting(env, "OTEL_EXPORTER_OTLP_ENDPOINT").isPresent()
            || setting(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").isPresent();
    boolean zipkin = setting(env, "OTEL_EXPORTER_ZIPKIN_ENDPOINT").isPresent();
    // the Zipkin exporter is added by hand (see autoconfigure); "none" keeps autoconfiguration's
    d.put("otel.traces.exporter", otlp ? "otlp" : "none");
    d.put("otel.sdk.disabled", Boolean.toString(!otlp && !zipkin && exporterOf(env).isEmpty()));
    d.put("otel.metrics.exporter", "none");
    d.put("otel.logs.exporter", "none");
    d.put("otel.propagators", "tracecontext");
    // the batch processor drops spans once its queue is full: a worker at 1,000 tasks/s ends some
    // 5,000 spans a second, more than the SDK's defaults (2,048 queued, 512 a batch) carry to a
    // collector that answers in tens of milliseconds (docs/performance.md, figure 9)
    d.put("otel.bsp.max.queue.size", "32768");
    d.put("otel.bsp.max.export.batch.size", "2048");
    d.put("otel.bsp.schedule.delay", "1000");
    return d;
  }

  private static Optional<String> exporterOf(Map<String, String> env) {
    return setting(env, "OTEL_TRACES_EXPORTER");
  }

  /** A setting from the environment, or the {@code otel.*} system property of the same name. */
  private static Optional<String> setting(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      v = System.getProperty(name.toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
    }
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  /** No tracing at all (tests, tools). */
  public static OpenTelemetry none() {
    return OpenTelemetry.noop();
  }
}
