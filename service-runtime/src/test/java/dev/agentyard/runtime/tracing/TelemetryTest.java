package dev.agentyard.runtime.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryTest {

  @Test
  void withNoEndpointNothingIsExportedAndSpansAreNotRecorded() {
    assertThat(Telemetry.defaults("router-service", Map.of()))
        .containsEntry("otel.service.name", "router-service")
        .containsEntry("otel.traces.exporter", "none")
        .containsEntry("otel.sdk.disabled", "true")
        .containsEntry("otel.metrics.exporter", "none")
        .containsEntry("otel.logs.exporter", "none");
    try (OpenTelemetrySdk sdk = Telemetry.autoconfigure("router-service", Map.of())) {
      Span s = sdk.getTracer("t").spanBuilder("x").startSpan();
      assertThat(s.isRecording()).isFalse();
      s.end();
    }
  }

  @Test
  void anOtlpOrZipkinEndpointChoosesItsExporter() {
    assertThat(
            Telemetry.defaults(
                "agent-workers", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")))
        .containsEntry("otel.traces.exporter", "otlp")
        .containsEntry("otel.sdk.disabled", "false");
    assertThat(
            Telemetry.defaults(
                "agent-workers",
                Map.of("OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://127.0.0.1:9411/api/v2/spans")))
        .containsEntry("otel.sdk.disabled", "false");
    try (OpenTelemetrySdk sdk =
        Telemetry.autoconfigure(
            "agent-workers",
            Map.of("OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://127.0.0.1:9/api/v2/spans"))) {
      Span s = sdk.getTracer("t").spanBuilder("x").startSpan();
      assertThat(s.isRecording()).as("recorded, for the Zipkin exporter").isTrue();
      s.end();
    }
  }
}
