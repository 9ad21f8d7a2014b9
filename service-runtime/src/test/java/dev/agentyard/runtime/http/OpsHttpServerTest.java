package dev.agentyard.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.runtime.metrics.ServiceMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OpsHttpServerTest {

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesPrometheusMetricsTaggedWithTheService() throws Exception {
    try (ServiceMetrics metrics = new ServiceMetrics("router-service");
        OpsHttpServer server = new OpsHttpServer("127.0.0.1", 0, metrics::scrape).start()) {
      metrics.registry().counter("agentyard_router_tasks", "outcome", "routed").increment(3);

      HttpResponse<String> r = get(server.port(), "/metrics");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
      assertThat(r.body())
          .contains(
              "agentyard_router_tasks_total{outcome=\"routed\",service=\"router-service\"} 3.0")
          .contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void isLiveAlwaysAndReadyOnlyWhenEveryCheckPasses() throws Exception {
    AtomicBoolean consumerAssigned = new AtomicBoolean(false);
    try (OpsHttpServer server = new OpsHttpServer("127.0.0.1", 0, () -> "").start()) {
      server.readiness(
          "kafka-consumer",
          () ->
              consumerAssigned.get()
                  ? HealthCheck.Status.up("assigned 3 partitions")
                  : HealthCheck.Status.down("not yet assigned"));
      server.readiness("registry", () -> HealthCheck.Status.up("reachable"));

      assertThat(get(server.port(), "/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> notReady = get(server.port(), "/health/ready");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body())
          .contains("\"kafka-consumer\":{\"status\":\"DOWN\",\"detail\":\"not yet assigned\"}")
          .contains("\"status\":\"DOWN\"}");

      consumerAssigned.set(true);
      HttpResponse<String> ready = get(server.port(), "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).endsWith("\"status\":\"UP\"}");
    }
  }

  @Test
  void isNotReadyWithoutAnyCheck() throws Exception {
    try (OpsHttpServer server = new OpsHttpServer("127.0.0.1", 0, () -> "").start()) {
      assertThat(get(server.port(), "/health/ready").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void aThrowingCheckCountsAsDown() throws Exception {
    try (OpsHttpServer server = new OpsHttpServer("127.0.0.1", 0, () -> "").start()) {
      server.readiness(
          "broken",
          () -> {
            throw new IllegalStateException("boom");
          });
      assertThat(get(server.port(), "/health/ready").statusCode()).isEqualTo(503);
    }
  }
}
