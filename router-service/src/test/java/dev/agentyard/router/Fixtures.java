package dev.agentyard.router;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.Document;
import dev.agentyard.avro.DocumentUri;
import dev.agentyard.avro.InlineBytes;
import dev.agentyard.avro.InlineText;
import dev.agentyard.avro.ModelTier;
import dev.agentyard.avro.ResultStatus;
import dev.agentyard.avro.StopReason;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.router.classify.BundledModel;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Shared test data: the labelled corpus, the classifier built from it with the router, task
 * builders.
 */
public final class Fixtures {

  public static final List<LabelledDocument> CORPUS = Corpus.bundled();
  private static DocumentClassifier classifier;

  private Fixtures() {}

  /** The model built with the router (the one it runs with). */
  public static synchronized DocumentClassifier classifier() {
    if (classifier == null) {
      classifier = BundledModel.load();
    }
    return classifier;
  }

  /** Text of the n-th test-split text document of a template. */
  public static String text(String template, int n) {
    return new String(
        CORPUS.stream()
            .filter(
                d ->
                    d.template().equals(template)
                        && !d.pdf()
                        && d.split().equals(LabelledDocument.TEST))
            .skip(n)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException("no test text document #" + n + " of " + template))
            .bytes(),
        StandardCharsets.UTF_8);
  }

  /** A PDF of the corpus test split with a label. */
  public static LabelledDocument pdf(String label) {
    return CORPUS.stream()
        .filter(d -> d.pdf() && d.label().equals(label) && d.split().equals(LabelledDocument.TEST))
        .findFirst()
        .orElseThrow();
  }

  public static TaskSubmitted.Builder task(String taskId, Document doc) {
    return TaskSubmitted.newBuilder()
        .setTaskId(taskId)
        .setCorrelationId("app-" + taskId)
        .setTenant("acme-bank")
        .setSubmittedAt(Instant.parse("2026-11-21T10:00:00Z"))
        .setDocument(doc)
        .setMetadata(Map.of());
  }

  public static TaskSubmitted textTask(String taskId, String text) {
    return task(
            taskId,
            Document.newBuilder()
                .setDocumentId("doc-" + taskId)
                .setMediaType("text/plain")
                .setContent(InlineText.newBuilder().setText(text).build())
                .build())
        .build();
  }

  public static TaskSubmitted bytesTask(String taskId, String mediaType, byte[] bytes) {
    return task(
            taskId,
            Document.newBuilder()
                .setDocumentId("doc-" + taskId)
                .setMediaType(mediaType)
                .setFilename(taskId + ".pdf")
                .setContent(InlineBytes.newBuilder().setData(ByteBuffer.wrap(bytes)).build())
                .build())
        .build();
  }

  public static TaskSubmitted uriTask(String taskId, String mediaType, String uri, String sha256) {
    return task(
            taskId,
            Document.newBuilder()
                .setDocumentId("doc-" + taskId)
                .setMediaType(mediaType)
                .setContent(DocumentUri.newBuilder().setUri(uri).setSha256(sha256).build())
                .build())
        .build();
  }

  /** What the triage worker writes for a task: a completed result whose output is the verdict. */
  public static AgentResult triageVerdict(String taskId, String output, Instant at) {
    return AgentResult.newBuilder()
        .setTaskId(taskId)
        .setCorrelationId("app-" + taskId)
        .setTenant("acme-bank")
        .setRoute("triage")
        .setProvider("anthropic")
        .setModel("claude-haiku-4-5")
        .setModelTier(ModelTier.SMALL)
        .setStatus(ResultStatus.COMPLETED)
        .setOutput(output)
        .setStopReason(StopReason.DONE)
        .setTurns(1)
        .setToolCalls(0)
        .setModelCalls(1)
        .setInputTokens(900)
        .setOutputTokens(40)
        .setCostMicroUsd(1100)
        .setStartedAt(at)
        .setCompletedAt(at)
        .build();
  }
}
