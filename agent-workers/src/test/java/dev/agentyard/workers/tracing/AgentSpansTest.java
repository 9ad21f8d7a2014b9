package dev.agentyard.workers.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ModelTier;
import dev.agentyard.avro.StopReason;
import dev.agentyard.runtime.tracing.Tracing;
import dev.agentyard.testing.InMemoryTracing;
import dev.agentyard.workers.agent.AgentOutcome;
import dev.agentyard.workers.agent.AgentStats;
import dev.agentyard.workers.agent.AgentTask;
import dev.agentyard.workers.provider.ChatRequest;
import dev.agentyard.workers.provider.ChatResponse;
import dev.agentyard.workers.provider.Message;
import dev.agentyard.workers.provider.Part;
import dev.agentyard.workers.provider.TokenUsage;
import dev.agentyard.workers.resilience.CallAttempt;
import dev.agentyard.workers.resilience.ModelRef;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class AgentSpansTest {

  static final AgentTask TASK =
      new AgentTask("t-1", "app-1", "acme-bank", "income", "doc", Map.of(), 0, 0, 0, 0, 0, null);
  static final String ARGS =
      "{\"ssn\":\"123-45-6789\",\"account\":\"4111 1111 1111 1111\",\"passport\":\"X12345678\","
          + "\"email\":\"jane.doe@example.com\",\"wages\":84200}";
  static final String ANSWER =
      "{\"applicantName\":\"Jane Doe\",\"annualIncome\":84200,\"routing\":\"021000021\"}";

  private static Map<String, Object> attributes(SpanData s) {
    Map<String, Object> out = new java.util.HashMap<>();
    s.getAttributes().forEach((k, v) -> out.put(k.getKey(), v));
    return out;
  }

  private static void run(AgentSpans spans) throws Exception {
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>(
            "agent.route.income.v1", 0, 7L, "t-1".getBytes(StandardCharsets.UTF_8), new byte[0]);
    AgentSpans.Run run = spans.start(record, "agentyard-workers-income", "income", TASK);
    Instant now = Instant.now();
    // one model call: the request quotes the document, the answer calls a tool
    CallAttempt call =
        new CallAttempt(
            "att-1",
            new ModelRef("anthropic", "claude-haiku-4-5", 200_000, ModelTier.SMALL),
            "claude-haiku-4-5",
            1,
            false,
            CallOutcome.SUCCESS,
            new TokenUsage(900, 60, 0, 0),
            200,
            null,
            now,
            now.plusMillis(40));
    ChatRequest request =
        new ChatRequest(
            "claude-haiku-4-5",
            "You extract figures. Contact ops@example.com.",
            List.of(
                new Message(
                    Message.Role.USER,
                    List.of(new Part.Text("W-2 of Jane Doe, SSN 123-45-6789, wages 84200")))),
            List.of(),
            1024);
    ChatResponse response =
        new ChatResponse(
            "claude-haiku-4-5",
            List.of(
                new Part.ToolUse("toolu_1", "extract_figures", new ObjectMapper().readTree(ARGS))),
            ChatResponse.Finish.TOOL_USE,
            new TokenUsage(900, 60, 0, 0),
            200);
    spans.exchanged(TASK, call, request, response);
    spans.chat(run, call, 1200, () -> {});
    spans.toolRun(TASK, "extract_figures", "toolu_1", ARGS, "ok", now, now.plusMillis(3));
    AgentStats stats =
        new AgentStats(
            StopReason.DONE,
            2,
            1,
            0,
            2,
            new TokenUsage(900, 60, 0, 0),
            1200,
            "anthropic",
            "claude-haiku-4-5",
            ModelTier.SMALL,
            false,
            null);
    spans.end(
        run,
        TASK,
        new AgentOutcome.Completed(new ObjectMapper().readTree(ANSWER), false, "v1", stats),
        null);
  }

  @Test
  void contentIsNotOnAnySpanUnlessCaptureIsOn() throws Exception {
    try (InMemoryTracing tracing = new InMemoryTracing()) {
      run(new AgentSpans(new Tracing(tracing.otel()), false));
      assertThat(tracing.spans()).hasSize(4);
      for (SpanData s : tracing.spans()) {
        assertThat(attributes(s))
            .doesNotContainKeys(
                "gen_ai.tool.call.arguments",
                "agentyard.output",
                "gen_ai.system_instructions",
                "gen_ai.input.messages",
                "gen_ai.output.messages");
        assertThat(attributes(s).toString()).doesNotContain("84200", "Jane");
      }
    }
  }

  @Test
  void capturedContentHasItsIdentifiersRedacted() throws Exception {
    try (InMemoryTracing tracing = new InMemoryTracing()) {
      run(new AgentSpans(new Tracing(tracing.otel()), true));
      SpanData tool =
          tracing.spans().stream()
              .filter(s -> s.getName().equals("execute_tool extract_figures"))
              .findFirst()
              .orElseThrow();
      String args = (String) attributes(tool).get("gen_ai.tool.call.arguments");
      assertThat(args)
          .contains("[ssn]", "[number]", "[id]", "[email]", "84200")
          .doesNotContain("123-45-6789", "4111", "X12345678", "jane.doe@example.com");
      SpanData agent =
          tracing.spans().stream()
              .filter(s -> s.getName().equals("invoke_agent income"))
              .findFirst()
              .orElseThrow();
      assertThat((String) attributes(agent).get("agentyard.output"))
          .contains("Jane Doe", "84200", "[number]")
          .doesNotContain("021000021");
      SpanData chat =
          tracing.spans().stream()
              .filter(s -> s.getName().equals("chat claude-haiku-4-5"))
              .findFirst()
              .orElseThrow();
      Map<String, Object> a = attributes(chat);
      assertThat((String) a.get("gen_ai.system_instructions"))
          .contains("You extract figures", "[email]")
          .doesNotContain("ops@example.com");
      var input = new ObjectMapper().readTree((String) a.get("gen_ai.input.messages"));
      assertThat(input.get(0).path("role").asText()).isEqualTo("user");
      assertThat(input.get(0).path("parts").get(0).path("content").asText())
          .contains("Jane Doe", "[ssn]", "84200")
          .doesNotContain("123-45-6789");
      var output = new ObjectMapper().readTree((String) a.get("gen_ai.output.messages"));
      assertThat(output.get(0).path("parts").get(0).path("type").asText()).isEqualTo("tool_call");
      assertThat(output.get(0).path("parts").get(0).path("arguments").asText())
          .contains("[ssn]")
          .doesNotContain("123-45-6789");
    }
  }

  /**
   * A task fanned out runs once per route at the same time: when its fraud leg ends first, the
   * income leg's tool calls still get their spans, under the income agent span (the runs were kept
   * by task id alone, and the income leg's tools were lost — LocalStackIT caught it).
   */
  @Test
  void eachLegOfAFannedOutTaskKeepsItsOwnToolSpans() throws Exception {
    try (InMemoryTracing tracing = new InMemoryTracing()) {
      AgentSpans spans = new AgentSpans(new Tracing(tracing.otel()), false);
      AgentTask fraud =
          new AgentTask("t-1", "app-1", "acme-bank", "fraud", "doc", Map.of(), 0, 0, 0, 0, 0, null);
      AgentSpans.Run income =
          spans.start(
              new ConsumerRecord<>("agent.route.income.v1", 0, 7L, new byte[0], new byte[0]),
              "agentyard-workers-income",
              "income",
              TASK);
      AgentSpans.Run fraudRun =
          spans.start(
              new ConsumerRecord<>("agent.route.fraud.v1", 0, 3L, new byte[0], new byte[0]),
              "agentyard-workers-fraud",
              "fraud",
              fraud);
      Instant now = Instant.now();
      spans.toolRun(fraud, "cross_check_names", "toolu_f", "{}", "ok", now, now.plusMillis(1));
      spans.end(fraudRun, fraud, null, null);
      spans.toolRun(TASK, "extract_figures", "toolu_i", "{}", "ok", now, now.plusMillis(1));
      spans.end(income, TASK, null, null);

      SpanData incomeAgent =
          tracing.spans().stream()
              .filter(s -> s.getName().equals("invoke_agent income"))
              .findFirst()
              .orElseThrow();
      SpanData incomeTool =
          tracing.spans().stream()
              .filter(s -> s.getName().equals("execute_tool extract_figures"))
              .findFirst()
              .orElseThrow();
      assertThat(incomeTool.getParentSpanId()).isEqualTo(incomeAgent.getSpanId());
      SpanData fraudAgent =
          tracing.spans().stream()
              .filter(s -> s.getName().equals("invoke_agent fraud"))
              .findFirst()
              .orElseThrow();
      SpanData fraudTool =
          tracing.spans().stream()
              .filter(s -> s.getName().equals("execute_tool cross_check_names"))
              .findFirst()
              .orElseThrow();
      assertThat(fraudTool.getParentSpanId()).isEqualTo(fraudAgent.getSpanId());
      assertThat(spans.open()).isZero();
    }
  }
}
