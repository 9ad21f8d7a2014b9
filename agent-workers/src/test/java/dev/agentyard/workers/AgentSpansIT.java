package dev.agentyard.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.runtime.tracing.TraceParent;
import dev.agentyard.simulator.ProviderSimulator;
import dev.agentyard.testing.InMemoryTracing;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.OwnCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A routed task with two tool calls, run by a real worker against the simulator on a real broker,
 * with the SDK exporting to memory: the spans form one tree under the publisher's span (process →
 * invoke_agent → chat × 3 and execute_tool × 2), carry the GenAI attributes, and the result record
 * names the agent's span; nothing of the document is in any span. Its own cluster: the route's
 * topics and journal must agree in partitions, whatever other test classes created.
 */
@OwnCluster
@ExtendWith(KafkaAndRegistryExtension.class)
class AgentSpansIT {

  static final String SECRET_LINE = "Employee SSN 123-45-6789 lives at 42 Hidden Lane";

  @Test
  void aToolCallingRunIsOneTreeUnderThePublishersSpan(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Map<String, String> sim = new HashMap<>();
    sim.put("sim.script.income.match", "Route: income");
    sim.put(
        "sim.script.income.steps",
        "extract_figures:{\"labels\":[\"wages\"]},compute_dti:{\"monthlyDebtPayments\":2450,\"annualGrossIncome\":84200}");
    sim.put("sim.script.income.final", AgentWorkerIT.INCOME_ANSWER);
    try (InMemoryTracing tracing = new InMemoryTracing();
        ProviderSimulator provider = AgentWorkerIT.simulator(sim);
        WorkerTestKit kit = new WorkerTestKit(kafka, registry, List.of("income"), 2)) {
      WorkerConfig config =
          WorkerConfig.withDefaults(kit.workerConfig(provider.baseUrl(), "income"), Map.of());
      WorkerModule module =
          new WorkerModule(config, new DefaultKafkaClients(config.kafka()), Clock.systemUTC());
      module.useOpenTelemetry(tracing.otel());
      try (AgentWorkerApp worker = AgentWorkerApp.start(module)) {
        TraceParent published = TraceParent.newRoot();
        kit.publish(
            WorkerTestKit.task("traced-1", "income", WorkerTestKit.w2("traced-1", SECRET_LINE)),
            published);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> kit.traceParents.containsKey("agent.results.v1|traced-1"));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> tracing.spans().stream().anyMatch(s -> s.getName().startsWith("process ")));

        List<SpanData> all = tracing.spans();
        assertThat(all).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(published.traceId()));
        SpanData process = one(all, "process agent.route.income.v1");
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getParentSpanId()).isEqualTo(published.spanId());
        assertThat(process.getAttributes().asMap().toString())
            .contains(
                "messaging.system=kafka",
                "messaging.destination.name=agent.route.income.v1",
                "messaging.consumer.group.name=agentyard-workers-income");
        SpanData agent = one(all, "invoke_agent income");
        assertThat(agent.getParentSpanId()).isEqualTo(process.getSpanId());
        assertThat(agent.getAttributes().asMap().toString())
            .contains("gen_ai.operation.name=invoke_agent", "agentyard.run.outcome=completed");

        List<SpanData> chats = all.stream().filter(s -> s.getName().startsWith("chat ")).toList();
        assertThat(chats).hasSize(3);
        assertThat(chats)
            .allSatisfy(
                c -> {
                  assertThat(c.getParentSpanId()).isEqualTo(agent.getSpanId());
                  assertThat(c.getKind()).isEqualTo(SpanKind.CLIENT);
                  assertThat(c.getAttributes().asMap().toString())
                      .contains(
                          "gen_ai.operation.name=chat",
                          "gen_ai.provider.name=anthropic",
                          "gen_ai.usage.input_tokens=",
                          "gen_ai.usage.output_tokens=",
                          "agentyard.cost.micro_usd=");
                });
        List<SpanData> tools =
            all.stream().filter(s -> s.getName().startsWith("execute_tool ")).toList();
        assertThat(tools)
            .extracting(SpanData::getName)
            .containsExactly("execute_tool extract_figures", "execute_tool compute_dti");
        assertThat(tools)
            .allSatisfy(
                t -> {
                  assertThat(t.getParentSpanId()).isEqualTo(agent.getSpanId());
                  assertThat(t.getAttributes().asMap().toString())
                      .contains("gen_ai.tool.call.id=", "agentyard.tool.outcome=ok");
                });
        // the result's send span, under the run, ended when its transaction committed
        SpanData send = one(all, "send agent.results.v1");
        assertThat(send.getKind()).isEqualTo(io.opentelemetry.api.trace.SpanKind.PRODUCER);
        assertThat(send.getParentSpanId()).isEqualTo(agent.getSpanId());
        assertThat(send.getStatus().getStatusCode())
            .isNotEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
        assertThat(all).hasSize(1 + 1 + 3 + 2 + 1);

        // the result names its send span: whoever consumes results continues this tree
        TraceParent onResult = kit.traceParents.get("agent.results.v1|traced-1");
        assertThat(onResult.traceId()).isEqualTo(published.traceId());
        assertThat(onResult.spanId()).isEqualTo(send.getSpanId());
        // metrics to traces: the call-latency buckets carry a call's trace as an exemplar
        String openMetrics =
            java.net.http.HttpClient.newHttpClient()
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(
                                "http://127.0.0.1:" + worker.httpPort() + "/metrics"))
                        .header("Accept", "application/openmetrics-text; version=1.0.0")
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(
                openMetrics
                    .lines()
                    .filter(l -> l.startsWith("gen_ai_client_operation_duration_seconds_bucket"))
                    .filter(l -> l.contains("trace_id=\"" + published.traceId() + "\""))
                    .count())
            .as("exemplars naming the trace")
            .isPositive();
        // no document text, identifier or prompt in any span
        for (SpanData s : all) {
          assertThat(s.getAttributes().asMap().toString())
              .doesNotContain("123-45-6789", "Hidden Lane", "Jane Doe", "84,200");
          assertThat(s.getEvents()).isEmpty();
        }
      }
    }
  }

  private static SpanData one(List<SpanData> all, String name) {
    List<SpanData> found = all.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(found).as(name).hasSize(1);
    return found.get(0);
  }
}
