package dev.agentyard.workers.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.JournalStepKind;
import dev.agentyard.avro.ModelTier;
import dev.agentyard.avro.RunJournalEntry;
import dev.agentyard.workers.agent.JournalStep;
import dev.agentyard.workers.provider.ChatResponse;
import dev.agentyard.workers.provider.Part;
import dev.agentyard.workers.provider.TokenUsage;
import dev.agentyard.workers.resilience.CallAttempt;
import dev.agentyard.workers.resilience.ModelRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Converts journal steps to and from their Avro entries. */
final class JournalCodec {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JournalCodec() {}

  static RunJournalEntry encode(String taskId, String route, int seq, JournalStep step) {
    RunJournalEntry.Builder b =
        RunJournalEntry.newBuilder()
            .setTaskId(taskId)
            .setRoute(route)
            .setSeq(seq)
            .setTurn(step.turn());
    switch (step) {
      case JournalStep.CallStarted c -> {
        b.setStep(JournalStepKind.CALL_STARTED)
            .setRequestFingerprint(c.fingerprint())
            .setAttemptId(c.attemptId())
            .setAttempt(c.attempt())
            .setRequestedModel(c.requestedModel())
            .setFallback(c.fallback())
            .setCostMicroUsd(c.estimateMicroUsd())
            .setAt(c.at());
        model(b, c.model());
      }
      case JournalStep.CallEnded e -> {
        CallAttempt a = e.call();
        b.setStep(JournalStepKind.CALL_ENDED)
            .setRequestFingerprint(e.fingerprint())
            .setAttemptId(a.attemptId())
            .setAttempt(a.attempt())
            .setRequestedModel(a.requestedModel())
            .setFallback(a.fallback())
            .setOutcome(a.outcome().name())
            .setInputTokens(a.usage().input())
            .setOutputTokens(a.usage().output())
            .setCacheReadTokens(a.usage().cacheRead())
            .setCacheWriteTokens(a.usage().cacheWrite())
            .setCacheWrite1hTokens(a.usage().cacheWrite1h())
            .setServiceTier(a.serviceTier())
            .setProviderRequestId(a.providerRequestId())
            .setStopReason(a.stopReason())
            .setUsageEstimated(a.usageEstimated())
            .setCostMicroUsd(e.costMicroUsd())
            .setPriceTableVersion(e.priceTableVersion())
            .setStartedAt(a.startedAt())
            .setHttpStatus(a.httpStatus() == 0 ? null : a.httpStatus())
            .setErrorMessage(a.error())
            .setResponse(e.response() == null ? null : response(e.response()))
            .setAt(a.completedAt());
        model(b, a.model());
      }
      case JournalStep.CallUnconfirmed u ->
          b.setStep(JournalStepKind.CALL_UNCONFIRMED)
              .setAttemptId(u.attemptId())
              .setCostMicroUsd(u.estimateMicroUsd())
              .setAt(u.at());
      case JournalStep.Yielded y -> b.setStep(JournalStepKind.YIELDED).setAt(y.at());
      case JournalStep.ToolExecuted t ->
          b.setStep(JournalStepKind.TOOL_EXECUTED)
              .setToolUseId(t.toolUseId())
              .setTool(t.tool())
              .setToolInput(t.input().toString())
              .setToolOutput(t.output())
              .setToolError(t.error())
              .setIrreversible(t.irreversible())
              .setGrantId(t.grantId())
              .setAt(t.at());
    }
    return b.build();
  }

  /** The step an entry records; empty for a kind this version does not know. */
  static Optional<JournalStep> decode(RunJournalEntry e) {
    return switch (e.getStep()) {
      case CALL_STARTED ->
          Optional.of(
              new JournalStep.CallStarted(
                  e.getTurn(),
                  e.getRequestFingerprint(),
                  e.getAttemptId(),
                  e.getAttempt(),
                  model(e),
                  e.getRequestedModel(),
                  e.getFallback(),
                  e.getCostMicroUsd(),
                  e.getAt()));
      case CALL_ENDED ->
          Optional.of(
              new JournalStep.CallEnded(
                  e.getTurn(),
                  e.getRequestFingerprint(),
                  new CallAttempt(
                      e.getAttemptId(),
                      model(e),
                      e.getRequestedModel(),
                      e.getAttempt(),
                      e.getFallback(),
                      outcome(e.getOutcome()),
                      new TokenUsage(
                          e.getInputTokens(),
                          e.getOutputTokens(),
                          e.getCacheReadTokens(),
                          e.getCacheWriteTokens(),
                          Math.min(e.getCacheWrite1hTokens(), e.getCacheWriteTokens())),
                      e.getHttpStatus() == null ? 0 : e.getHttpStatus(),
                      e.getErrorMessage(),
                      e.getStartedAt() == null ? e.getAt() : e.getStartedAt(),
                      e.getAt(),
                      e.getProviderRequestId(),
                      e.getStopReason(),
                      e.getServiceTier(),
                      e.getUsageEstimated()),
                  e.getCostMicroUsd(),
                  e.getPriceTableVersion(),
                  e.getResponse() == null ? null : response(e.getResponse())));
      case YIELDED -> Optional.of(new JournalStep.Yielded(e.getTurn(), e.getAt()));
      case CALL_UNCONFIRMED ->
          Optional.of(
              new JournalStep.CallUnconfirmed(
                  e.getTurn(), e.getAttemptId(), e.getCostMicroUsd(), e.getAt()));
      case TOOL_EXECUTED ->
          Optional.of(
              new JournalStep.ToolExecuted(
                  e.getTurn(),
                  e.getToolUseId(),
                  e.getTool(),
                  json(e.getToolInput()),
                  e.getToolOutput(),
                  e.getToolError(),
                  e.getIrreversible(),
                  e.getGrantId(),
                  e.getAt()));
      case UNKNOWN -> Optional.empty();
    };
  }

  private static void model(RunJournalEntry.Builder b, ModelRef m) {
    b.setProvider(m.provider()).setModel(m.model()).setTier(m.tier().name());
  }

  private static ModelRef model(RunJournalEntry e) {
    ModelTier tier;
    try {
      tier = e.getTier() == null ? ModelTier.UNKNOWN : ModelTier.valueOf(e.getTier());
    } catch (IllegalArgumentException unknown) {
      tier = ModelTier.UNKNOWN;
    }
    return new ModelRef(e.getProvider(), e.getModel(), 0, tier);
  }

  private static CallOutcome outcome(String name) {
    try {
      return name == null ? CallOutcome.OTHER : CallOutcome.valueOf(name);
    } catch (IllegalArgumentException unknown) {
      return CallOutcome.OTHER;
    }
  }

  /**
   * A response as provider-neutral JSON: served model, finish, status, the provider's details and
   * content parts (opaque blocks verbatim, with their format).
   */
  static String response(ChatResponse r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("servedModel", r.servedModel());
    o.put("finish", r.finish().name());
    o.put("httpStatus", r.httpStatus());
    o.put("stopReason", r.stopReason());
    o.put("providerRequestId", r.providerRequestId());
    o.put("serviceTier", r.serviceTier());
    o.put("usageEstimated", r.usageEstimated());
    o.put("refusalCategory", r.refusalCategory());
    ArrayNode parts = o.putArray("content");
    for (Part p : r.content()) {
      switch (p) {
        case Part.Text t -> parts.addObject().put("type", "text").put("text", t.text());
        case Part.ToolUse u ->
            parts
                .addObject()
                .put("type", "tool_use")
                .put("id", u.id())
                .put("name", u.name())
                .set("input", u.input());
        case Part.ToolResult tr ->
            parts
                .addObject()
                .put("type", "tool_result")
                .put("toolUseId", tr.toolUseId())
                .put("content", tr.content())
                .put("error", tr.error());
        case Part.Opaque b ->
            parts
                .addObject()
                .put("type", "opaque")
                .put("format", b.format())
                .set("block", b.block());
      }
    }
    return o.toString();
  }

  static ChatResponse response(String json) {
    JsonNode o = json(json);
    List<Part> parts = new ArrayList<>();
    for (JsonNode p : o.path("content")) {
      switch (p.path("type").asText()) {
        case "text" -> parts.add(new Part.Text(p.path("text").asText()));
        case "tool_use" ->
            parts.add(
                new Part.ToolUse(p.path("id").asText(), p.path("name").asText(), p.get("input")));
        case "tool_result" ->
            parts.add(
                new Part.ToolResult(
                    p.path("toolUseId").asText(),
                    p.path("content").asText(),
                    p.path("error").asBoolean()));
        case "opaque" -> parts.add(new Part.Opaque(p.path("format").asText(), p.get("block")));
        default -> throw new IllegalArgumentException("unknown journaled part " + p.path("type"));
      }
    }
    return new ChatResponse(
        o.path("servedModel").asText(),
        parts,
        ChatResponse.Finish.valueOf(o.path("finish").asText()),
        TokenUsage.ZERO,
        o.path("httpStatus").asInt(),
        o.path("stopReason").asText(null),
        o.path("providerRequestId").asText(null),
        o.path("serviceTier").asText(null),
        o.path("usageEstimated").asBoolean(false),
        o.path("refusalCategory").asText(null));
  }

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
