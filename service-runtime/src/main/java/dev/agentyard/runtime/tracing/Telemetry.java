package dev.agentyard.runtime.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;

/**
 * A service's OpenTelemetry SDK, configured by the standard {@code OTEL_*} variables and {@code
 * otel.*} system properties (SDK autoconfiguration: exporter, endpoint, protocol {@code grpc} or
 * {@code http/protobuf}, headers, sampler, resource attributes). Agentyard's defaults under them:
 * the service name; traces exported over OTLP only when an OTLP endpoint is configured (otherwise
 * no exporter, so nothing is sent and spans cost almost nothing); no OpenTelemetry metrics or logs
 * (metrics are Micrometer's, scraped by Prometheus).
 */
public final class Telemetry {

  private Telemetry() {}

  /** The SDK for a service; close it (flushes spans) when the service stops. */
  public static OpenTelemetrySdk autoconfigure(String serviceName, Map<String, String> env) {
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> defaults(serviceName, env))
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
  }

  /** Agentyard's defaults; {@code OTEL_*} variables and system properties override every one. */
  static Map<String, String> defaults(String serviceName, Map<String, String> env) {
    Map<String, String> d = new HashMap<>();
    d.put("otel.service.name", serviceName);
    boolean endpoint =
        present(env, "OTEL_EXPORTER_OTLP_ENDPOINT")
            || present(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            || System.getProperty("otel.exporter.otlp.endpoint") != null
            || System.getProperty("otel.exporter.otlp.traces.endpoint") != null;
    d.put("otel.traces.exporter", endpoint ? "otlp" : "none");
    d.put("otel.metrics.exporter", "none");
    d.put("otel.logs.exporter", "none");
    d.put("otel.propagators", "tracecontext");
    return d;
  }

  private static boolean present(Map<String, String> env, String key) {
    String v = env.get(key);
    return v != null && !v.isBlank();
  }

  /** No tracing at all (tests, tools). */
  public static OpenTelemetry none() {
    return OpenTelemetry.noop();
  }
}
