package dev.agentyard.workers.tracing;

import dev.agentyard.avro.CallOutcome;
import dev.agentyard.runtime.tracing.TraceParent;
import dev.agentyard.runtime.tracing.Tracing;
import dev.agentyard.workers.agent.AgentLoop;
import dev.agentyard.workers.agent.AgentOutcome;
import dev.agentyard.workers.agent.AgentStats;
import dev.agentyard.workers.agent.AgentTask;
import dev.agentyard.workers.provider.ChatRequest;
import dev.agentyard.workers.provider.ChatResponse;
import dev.agentyard.workers.provider.Message;
import dev.agentyard.workers.provider.Part;
import dev.agentyard.workers.resilience.CallAttempt;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The spans of an agent run, by the OpenTelemetry GenAI semantic conventions: the Kafka {@code
 * process} span of the routed task, {@code invoke_agent <route>} under it, a {@code chat <model>}
 * span per model call (tokens, finish reason, error type, retry attempt, fallback, cost) and an
 * {@code execute_tool <tool>} span per tool call (executed, error, not allowed, needs approval). No
 * prompt, completion, document text or tool argument is recorded.
 */
public final class AgentSpans implements AgentLoop.ToolListener {

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> AGENT = AttributeKey.stringKey("gen_ai.agent.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> CACHE_READ_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> CACHE_WRITE_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
  static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
  static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("agentyard.task.id");
  static final AttributeKey<String> TENANT = AttributeKey.stringKey("agentyard.tenant");
  static final AttributeKey<Long> COST = AttributeKey.longKey("agentyard.cost.micro_usd");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("agentyard.retry.attempt");
  static final AttributeKey<Boolean> FALLBACK = AttributeKey.booleanKey("agentyard.fallback");
  static final AttributeKey<String> CALL_OUTCOME = AttributeKey.stringKey("agentyard.call.outcome");
  static final AttributeKey<String> REQUEST_ID =
      AttributeKey.stringKey("agentyard.provider.request_id");
  static final AttributeKey<String> TOOL_OUTCOME = AttributeKey.stringKey("agentyard.tool.outcome");
  static final AttributeKey<String> RUN_OUTCOME = AttributeKey.stringKey("agentyard.run.outcome");
  static final AttributeKey<String> STOP_REASON = AttributeKey.stringKey("agentyard.stop_reason");
  static final AttributeKey<Long> TURNS = AttributeKey.longKey("agentyard.turns");
  static final AttributeKey<Long> TOOL_CALLS = AttributeKey.longKey("agentyard.tool_calls");

  /** The spans of one run, and the {@code traceparent} its outputs carry. */
  public record Run(Span process, Span agent, TraceParent trace) {}

  static final AttributeKey<String> TOOL_ARGUMENTS =
      AttributeKey.stringKey("gen_ai.tool.call.arguments");
  static final AttributeKey<String> OUTPUT = AttributeKey.stringKey("agentyard.output");
  static final AttributeKey<String> SYSTEM_INSTRUCTIONS =
      AttributeKey.stringKey("gen_ai.system_instructions");
  static final AttributeKey<String> INPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.output.messages");

  /** The newest messages of a request that go on its chat span (the turn's own context). */
  static final int CAPTURED_MESSAGES = 4;

  private static final int MAX_PENDING = 10_000;

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** Captured request and answer of calls whose chat span is not written yet, by attempt id. */
  private final Map<String, Map<AttributeKey<String>, String>> exchanges =
      new ConcurrentHashMap<>();

  private final Tracing tracing;
  private final boolean captureContent;

  /**
   * The runs going, by task and route: a task fanned out (income and fraud) runs once per route at
   * the same time, and each run's tool and chat spans belong to its own agent span (keyed by the
   * task alone, the leg that ended first took the other's entry with it and the other's tool spans
   * were lost).
   */
  private final Map<String, Run> running = new ConcurrentHashMap<>();

  private static String runKey(String taskId, String route) {
    return taskId + "|" + route;
  }

  /**
   * @param captureContent put tool arguments and the final answer on the spans, identifiers
   *     redacted ({@code worker.tracing.capture-content}; off by default)
   */
  public AgentSpans(Tracing tracing, boolean captureContent) {
    this.tracing = tracing;
    this.captureContent = captureContent;
  }

  /** Spans that record nothing; outputs still carry the trace. */
  public static AgentSpans off() {
    return new AgentSpans(Tracing.off(), false);
  }

  /**
   * Opens a Kafka {@code send} span for each output of a run (each names its own in its {@code
   * traceparent}); the returned consumer ends them when their transaction committed ({@code true})
   * or aborted.
   */
  public Consumer<Boolean> publish(List<ProducerRecord<byte[], byte[]>> outputs) {
    if (outputs.isEmpty()) {
      return committed -> {};
    }
    List<Span> sends = new ArrayList<>(outputs.size());
    for (ProducerRecord<byte[], byte[]> r : outputs) {
      sends.add(
          tracing.publish(
              r.topic(),
              r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
              r.headers()));
    }
    return committed ->
        sends.forEach(s -> Tracing.settled(s, committed ? null : "transaction_aborted"));
  }

  /** Opens the spans of a run of {@code task}, delivered by {@code record}. */
  public Run start(
      ConsumerRecord<byte[], byte[]> record, String group, String route, AgentTask task) {
    Span process =
        tracing.process(
            record.topic(),
            record.partition(),
            record.offset(),
            task.taskId(),
            group,
            record.headers());
    Span agent =
        tracing
            .tracer()
            .spanBuilder("invoke_agent " + route)
            .setSpanKind(SpanKind.INTERNAL)
            .setParent(Context.root().with(process))
            .setAttribute(OPERATION, "invoke_agent")
            .setAttribute(AGENT, route)
            .setAttribute(TASK_ID, task.taskId())
            .setAttribute(TENANT, task.tenant())
            .startSpan();
    Run run = new Run(process, agent, Tracing.traceParent(agent, record.headers()));
    running.put(runKey(task.taskId(), route), run);
    return run;
  }

  /**
   * A model call of the run, as it ended: its span is written with the call's own times, and {@code
   * measure} (the call's metrics) runs while it is the current span, so the latency bucket it lands
   * in carries the trace as an exemplar.
   */
  public void chat(Run run, CallAttempt call, long costMicroUsd, Runnable measure) {
    Map<AttributeKey<String>, String> content = exchanges.remove(call.attemptId());
    if (!run.agent().isRecording()) {
      measure.run();
      return;
    }
    Span s =
        tracing
            .tracer()
            .spanBuilder("chat " + call.model().model())
            .setSpanKind(SpanKind.CLIENT)
            .setParent(Context.root().with(run.agent()))
            .setStartTimestamp(call.startedAt())
            .setAttribute(OPERATION, "chat")
            .setAttribute(PROVIDER, call.model().provider())
            .setAttribute(REQUEST_MODEL, call.requestedModel())
            .setAttribute(RESPONSE_MODEL, call.model().model())
            .setAttribute(INPUT_TOKENS, call.usage().input())
            .setAttribute(OUTPUT_TOKENS, call.usage().output())
            .setAttribute(CACHE_READ_TOKENS, call.usage().cacheRead())
            .setAttribute(CACHE_WRITE_TOKENS, call.usage().cacheWrite())
            .setAttribute(COST, costMicroUsd)
            .setAttribute(ATTEMPT, (long) call.attempt())
            .setAttribute(FALLBACK, call.fallback())
            .setAttribute(CALL_OUTCOME, call.outcome().name())
            .startSpan();
    if (call.stopReason() != null) {
      s.setAttribute(FINISH_REASONS, List.of(call.stopReason()));
    }
    if (call.providerRequestId() != null) {
      s.setAttribute(REQUEST_ID, call.providerRequestId());
    }
    if (content != null) {
      content.forEach(s::setAttribute);
    }
    if (call.outcome() != CallOutcome.SUCCESS) {
      s.setAttribute(Tracing.ERROR_TYPE, call.outcome().name().toLowerCase(Locale.ROOT));
      s.setStatus(StatusCode.ERROR);
    }
    try (Scope current = s.makeCurrent()) {
      measure.run();
    }
    s.end(call.completedAt());
  }

  @Override
  public void toolCall(String route, String tool, String outcome) {}

  /**
   * With content capture on, keeps what the call sent and got for its chat span: the system prompt,
   * the request's newest {@value #CAPTURED_MESSAGES} messages and the answer, in the GenAI
   * conventions' message shape, every text and argument redacted and cut ({@link ContentRedactor}).
   * Off: nothing is kept.
   */
  @Override
  public void exchanged(
      AgentTask task, CallAttempt call, ChatRequest request, ChatResponse response) {
    Run run = running.get(runKey(task.taskId(), task.route()));
    if (!captureContent || call.attemptId() == null || run == null || !run.agent().isRecording()) {
      return;
    }
    if (exchanges.size() >= MAX_PENDING) {
      exchanges.clear(); // calls whose usage event was never written: their content goes unused
    }
    Map<AttributeKey<String>, String> content = new java.util.HashMap<>();
    if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
      content.put(SYSTEM_INSTRUCTIONS, ContentRedactor.redact(request.systemPrompt()));
    }
    List<Message> messages = request.messages();
    var input = JSON.createArrayNode();
    for (Message m :
        messages.subList(Math.max(0, messages.size() - CAPTURED_MESSAGES), messages.size())) {
      input.add(message(m.role().name().toLowerCase(Locale.ROOT), m.parts()));
    }
    content.put(INPUT_MESSAGES, input.toString());
    content.put(
        OUTPUT_MESSAGES,
        JSON.createArrayNode().add(message("assistant", response.content())).toString());
    exchanges.put(call.attemptId(), content);
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode message(
      String role, List<Part> parts) {
    var m = JSON.createObjectNode().put("role", role);
    var out = m.putArray("parts");
    for (Part p : parts) {
      switch (p) {
        case Part.Text t ->
            out.addObject().put("type", "text").put("content", ContentRedactor.redact(t.text()));
        case Part.ToolUse u ->
            out.addObject()
                .put("type", "tool_call")
                .put("id", u.id())
                .put("name", u.name())
                .put("arguments", ContentRedactor.redact(String.valueOf(u.input())));
        case Part.ToolResult r ->
            out.addObject()
                .put("type", "tool_call_response")
                .put("id", r.toolUseId())
                .put("response", ContentRedactor.redact(r.content()));
        default -> out.addObject().put("type", "other");
      }
    }
    return m;
  }

  @Override
  public void toolRun(
      AgentTask task,
      String tool,
      String toolUseId,
      String arguments,
      String outcome,
      Instant started,
      Instant ended) {
    Run run = running.get(runKey(task.taskId(), task.route()));
    if (run == null || !run.agent().isRecording()) {
      return;
    }
    Span s =
        tracing
            .tracer()
            .spanBuilder("execute_tool " + tool)
            .setSpanKind(SpanKind.INTERNAL)
            .setParent(Context.root().with(run.agent()))
            .setStartTimestamp(started)
            .setAttribute(OPERATION, "execute_tool")
            .setAttribute(TOOL_NAME, tool)
            .setAttribute(TOOL_CALL_ID, toolUseId)
            .setAttribute(TOOL_TYPE, "function")
            .setAttribute(TOOL_OUTCOME, outcome)
            .startSpan();
    if (captureContent) {
      s.setAttribute(TOOL_ARGUMENTS, ContentRedactor.redact(arguments));
    }
    if (outcome.equals("error") || outcome.equals("hallucinated")) {
      s.setAttribute(
          Tracing.ERROR_TYPE, outcome.equals("error") ? "tool_error" : "tool_not_allowed");
      s.setStatus(StatusCode.ERROR);
    }
    s.end(ended);
  }

  /** Closes the run's spans with how it ended. */
  public void end(Run run, AgentTask task, AgentOutcome outcome, Throwable failure) {
    running.remove(runKey(task.taskId(), task.route()), run);
    Span agent = run.agent();
    if (failure != null) {
      agent.recordException(failure);
      agent.setAttribute(Tracing.ERROR_TYPE, failure.getClass().getName());
      agent.setStatus(StatusCode.ERROR);
    } else if (outcome != null) {
      AgentStats st = outcome.stats();
      agent.setAttribute(
          RUN_OUTCOME,
          switch (outcome) {
            case AgentOutcome.Completed c -> "completed";
            case AgentOutcome.NeedsReview r -> "review";
            case AgentOutcome.Transient t -> "retry";
            case AgentOutcome.Failed f -> "dead_letter";
          });
      agent.setAttribute(STOP_REASON, st.stopReason().name());
      agent.setAttribute(TURNS, (long) st.turns());
      agent.setAttribute(TOOL_CALLS, (long) st.toolCalls());
      agent.setAttribute(INPUT_TOKENS, st.tokens().input());
      agent.setAttribute(OUTPUT_TOKENS, st.tokens().output());
      agent.setAttribute(COST, st.costMicroUsd());
      if (st.model() != null) {
        agent.setAttribute(RESPONSE_MODEL, st.model());
        agent.setAttribute(PROVIDER, st.provider());
      }
      if (captureContent && outcome instanceof AgentOutcome.Completed c) {
        agent.setAttribute(OUTPUT, ContentRedactor.redact(c.output().toString()));
      }
      if (outcome instanceof AgentOutcome.Failed f) {
        agent.setAttribute(Tracing.ERROR_TYPE, f.reason().name());
        agent.setStatus(StatusCode.ERROR);
      }
    }
    agent.end();
    run.process().end();
  }

  /** For tests: spans still open. */
  int open() {
    return running.size();
  }
}
