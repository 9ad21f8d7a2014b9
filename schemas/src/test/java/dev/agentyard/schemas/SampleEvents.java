package dev.agentyard.schemas;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.AlertLevel;
import dev.agentyard.avro.AuditOutcome;
import dev.agentyard.avro.BudgetAlert;
import dev.agentyard.avro.BudgetScope;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.avro.CostDimension;
import dev.agentyard.avro.DispositionKind;
import dev.agentyard.avro.DlqAction;
import dev.agentyard.avro.DlqAuditEvent;
import dev.agentyard.avro.DlqDisposition;
import dev.agentyard.avro.Document;
import dev.agentyard.avro.DocumentUri;
import dev.agentyard.avro.InlineBytes;
import dev.agentyard.avro.InlineText;
import dev.agentyard.avro.ModelTier;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.ResultStatus;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.ReviewReason;
import dev.agentyard.avro.RouteCostWindow;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.RoutingDecision;
import dev.agentyard.avro.RoutingMethod;
import dev.agentyard.avro.TaskBudget;
import dev.agentyard.avro.TaskSubmitted;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One realistic instance of every event, for round-trip tests. */
public final class SampleEvents {

  static final Instant T0 = Instant.parse("2026-11-21T10:15:30.123Z");

  private SampleEvents() {}

  public static TaskSubmitted task(String taskId, Object content) {
    return TaskSubmitted.newBuilder()
        .setTaskId(taskId)
        .setCorrelationId("loan-app-0042")
        .setTenant("acme-bank")
        .setSubmittedAt(T0)
        .setDocument(
            Document.newBuilder()
                .setDocumentId("doc-" + taskId)
                .setFilename("w2-2025.txt")
                .setMediaType("text/plain")
                .setContent(content)
                .build())
        .setRouteHint("income")
        .setBudget(TaskBudget.newBuilder().setMaxCostMicroUsd(250_000L).setMaxTurns(6).build())
        .setMetadata(Map.of("channel", "portal"))
        .build();
  }

  public static TaskSubmitted task(String taskId) {
    return task(
        taskId,
        InlineText.newBuilder()
            .setText("Form W-2 Wage and Tax Statement 2025. Wages 84,200.00")
            .build());
  }

  public static List<SpecificRecord> oneOfEach() {
    TaskSubmitted task = task("t-1");
    return List.of(
        task,
        task(
            "t-2",
            InlineBytes.newBuilder()
                .setData(ByteBuffer.wrap(new byte[] {'%', 'P', 'D', 'F', '-', 1, 2, 3}))
                .build()),
        task(
            "t-3",
            DocumentUri.newBuilder()
                .setUri("file:///data/docs/t-3.pdf")
                .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .setSizeBytes(4096L)
                .build()),
        RoutedTask.newBuilder()
            .setTaskId("t-1")
            .setRoute("income")
            .setModelTier(ModelTier.SMALL)
            .setDecision(
                RoutingDecision.newBuilder()
                    .setMethod(RoutingMethod.CLASSIFIER)
                    .setConfidence(0.93)
                    .setClassifierVersion("doccat-2026.11")
                    .build())
            .setRoutedAt(T0.plusMillis(4))
            .setExtractedText("Wages 84,200.00")
            .setTask(task)
            .build(),
        ReviewItem.newBuilder()
            .setReviewId("r-1")
            .setTaskId("t-1")
            .setCorrelationId("loan-app-0042")
            .setTenant("acme-bank")
            .setRoute("income")
            .setReason(ReviewReason.INJECTION_SUSPECTED)
            .setDetail("document asks the model to ignore its instructions")
            .setStage("router")
            .setCreatedAt(T0.plusMillis(5))
            .setTask(task)
            .build(),
        AgentResult.newBuilder()
            .setTaskId("t-1")
            .setCorrelationId("loan-app-0042")
            .setTenant("acme-bank")
            .setRoute("income")
            .setProvider("anthropic")
            .setModel("claude-haiku-4-5")
            .setModelTier(ModelTier.SMALL)
            .setStatus(ResultStatus.COMPLETED)
            .setOutput("{\"annualIncome\":84200}")
            .setOutputSchemaVersion("income-v1")
            .setTurns(2)
            .setToolCalls(1)
            .setModelCalls(2)
            .setInputTokens(1800)
            .setOutputTokens(220)
            .setCacheReadTokens(1200)
            .setCacheWriteTokens(0)
            .setCostMicroUsd(3_410)
            .setStartedAt(T0.plusMillis(10))
            .setCompletedAt(T0.plusMillis(900))
            .setMetadata(Map.of("channel", "portal"))
            .build(),
        ModelUsage.newBuilder()
            .setAttemptId("t-1/1/1")
            .setTaskId("t-1")
            .setTenant("acme-bank")
            .setRoute("income")
            .setProvider("anthropic")
            .setModel("claude-haiku-4-5")
            .setRequestedModel("claude-haiku-4-5")
            .setTurn(1)
            .setAttempt(1)
            .setFallback(false)
            .setOutcome(CallOutcome.SUCCESS)
            .setInputTokens(900)
            .setOutputTokens(110)
            .setCacheReadTokens(600)
            .setCacheWriteTokens(0)
            .setCostMicroUsd(1_705)
            .setPriceTableVersion("2026-11-01")
            .setLatencyMs(412)
            .setHttpStatus(200)
            .setStartedAt(T0.plusMillis(10))
            .setCompletedAt(T0.plusMillis(422))
            .build(),
        RouteCostWindow.newBuilder()
            .setDimension(CostDimension.ROUTE_MODEL)
            .setRoute("income")
            .setModel("claude-haiku-4-5")
            .setWindowStart(Instant.parse("2026-11-21T10:15:00Z"))
            .setWindowEnd(Instant.parse("2026-11-21T10:16:00Z"))
            .setRequests(12)
            .setAttempts(15)
            .setFailures(3)
            .setFallbacks(1)
            .setInputTokens(10_800)
            .setOutputTokens(1_320)
            .setCacheReadTokens(7_200)
            .setCacheWriteTokens(1_200)
            .setCostMicroUsd(20_460)
            .setPriceTableVersion("2026-11-01")
            .setEmittedAt(Instant.parse("2026-11-21T10:16:05Z"))
            .build(),
        BudgetAlert.newBuilder()
            .setAlertId("route:income:DAY:2026-11-21:100")
            .setScope(BudgetScope.ROUTE)
            .setScopeKey("income")
            .setPeriod("DAY")
            .setPeriodStart(Instant.parse("2026-11-21T00:00:00Z"))
            .setBudgetMicroUsd(50_000_000)
            .setSpentMicroUsd(50_000_120)
            .setThresholdPercent(100)
            .setLevel(AlertLevel.EXCEEDED)
            .setKillSwitchTripped(true)
            .setRaisedAt(T0)
            .build(),
        ControlCommand.newBuilder()
            .setCommandId("c-1")
            .setScope(ControlScope.ROUTE)
            .setTarget("income")
            .setAction(ControlAction.PAUSE)
            .setReason("daily budget spent")
            .setIssuedBy("cost-aggregator")
            .setIssuedAt(T0)
            .setExpiresAt(Instant.parse("2026-11-22T00:00:00Z"))
            .build(),
        DlqAuditEvent.newBuilder()
            .setAuditId("a-1")
            .setAction(DlqAction.REPLAY)
            .setActor("oncall@acme")
            .setReason("provider outage over")
            .setOccurredAt(T0)
            .setSourceTopic("agent.route.income.v1.dlq")
            .setSourcePartition(2)
            .setSourceOffset(118L)
            .setTargetTopic("agent.route.income.v1")
            .setTaskId("t-1")
            .setOutcome(AuditOutcome.SUCCEEDED)
            .setSelection("agent.route.income.v1.dlq/2/118")
            .setRecordCount(1)
            .setEstimatedTokens(5_200L)
            .setEstimatedCostMicroUsd(20_460L)
            .build(),
        DlqDisposition.newBuilder()
            .setSourceTopic("agent.route.income.v1.dlq")
            .setSourcePartition(2)
            .setSourceOffset(118)
            .setDisposition(DispositionKind.REPLAYED)
            .setTargetTopic("agent.route.income.v1")
            .setAuditId("a-1")
            .setActor("oncall@acme")
            .setTaskId("t-1")
            .setReplayCount(1)
            .setOccurredAt(T0)
            .build());
  }
}
