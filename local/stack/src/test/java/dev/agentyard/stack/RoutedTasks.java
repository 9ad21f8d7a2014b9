package dev.agentyard.stack;

import dev.agentyard.avro.Document;
import dev.agentyard.avro.InlineText;
import dev.agentyard.avro.ModelTier;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.RoutingDecision;
import dev.agentyard.avro.RoutingMethod;
import dev.agentyard.avro.TaskSubmitted;
import java.time.Instant;
import java.util.Map;

/** Routed tasks as the router writes them, for tests that publish straight to a route topic. */
final class RoutedTasks {

  private RoutedTasks() {}

  /** A text document of {@code tenant} routed to {@code route} by the classifier. */
  static RoutedTask text(String taskId, String tenant, String route, String text) {
    TaskSubmitted t =
        TaskSubmitted.newBuilder()
            .setTaskId(taskId)
            .setCorrelationId("app-" + taskId)
            .setTenant(tenant)
            .setSubmittedAt(Instant.now())
            .setDocument(
                Document.newBuilder()
                    .setDocumentId("doc-" + taskId)
                    .setMediaType("text/plain")
                    .setContent(InlineText.newBuilder().setText(text).build())
                    .build())
            .setMetadata(Map.of())
            .build();
    return RoutedTask.newBuilder()
        .setTaskId(taskId)
        .setRoute(route)
        .setModelTier(ModelTier.SMALL)
        .setDecision(
            RoutingDecision.newBuilder()
                .setMethod(RoutingMethod.CLASSIFIER)
                .setConfidence(0.95)
                .build())
        .setRoutedAt(Instant.now())
        .setTask(t)
        .build();
  }
}
