package dev.agentyard.bench;

import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.Document;
import dev.agentyard.avro.InlineBytes;
import dev.agentyard.avro.InlineText;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import dev.agentyard.runtime.pricing.PriceTable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The records every figure is measured with, the same for a service and its yardstick: loan
 * application documents from the held-out split of the router's corpus (text and PDF, in the
 * corpus's own mix) as tasks, and realistic usage events (several routes, models, tenants, prices
 * from the bundled table). Deterministic for a seed.
 */
public final class Workload {

  private static final String[] ROUTES = {
    "income", "banking", "identity", "property", "fraud", "triage"
  };
  private static final String[] MODELS = {
    "claude-haiku-4-5", "claude-sonnet-4-5", "gpt-4o-mini", "gpt-4o"
  };
  private static final String[] TENANTS = {
    "acme-lending", "beta-bank", "cobalt-credit", "delta-mortgage"
  };
  private static volatile List<LabelledDocument> documents;

  private Workload() {}

  /**
   * The documents tasks are made of: the corpus's test split (not the classifier's training data).
   */
  public static List<LabelledDocument> documents() {
    if (documents == null) {
      documents =
          Corpus.bundled().stream().filter(d -> d.split().equals(LabelledDocument.TEST)).toList();
    }
    return documents;
  }

  /**
   * {@code n} tasks, one document each, cycling through the held-out documents in a seeded order.
   */
  public static List<TaskSubmitted> tasks(int n, long seed) {
    return tasks("t", n, seed, false);
  }

  /** The same, text documents only when {@code textOnly}; ids are {@code <prefix>-<i>}. */
  public static List<TaskSubmitted> tasks(String prefix, int n, long seed, boolean textOnly) {
    List<LabelledDocument> docs = new ArrayList<>(documents());
    if (textOnly) {
      docs.removeIf(LabelledDocument::pdf);
    }
    Collections.shuffle(docs, new Random(seed));
    Instant now = Instant.now();
    List<TaskSubmitted> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      LabelledDocument d = docs.get(i % docs.size());
      String id = prefix + "-" + i;
      Document.Builder b =
          Document.newBuilder()
              .setDocumentId(id)
              .setFilename(d.fileName())
              .setMediaType(d.mediaType());
      Document doc =
          d.pdf()
              ? b.setContent(InlineBytes.newBuilder().setData(ByteBuffer.wrap(d.bytes())).build())
                  .build()
              : b.setContent(
                      InlineText.newBuilder()
                          .setText(new String(d.bytes(), StandardCharsets.UTF_8))
                          .build())
                  .build();
      out.add(
          TaskSubmitted.newBuilder()
              .setTaskId(id)
              .setCorrelationId("app-" + (i / 4))
              .setTenant(TENANTS[i % TENANTS.length])
              .setSubmittedAt(now)
              .setDocument(doc)
              .setMetadata(Map.of("source", "agentyard-bench"))
              .build());
    }
    return out;
  }

  /** {@code n} successful model calls priced with the bundled table, timestamps around now. */
  public static List<ModelUsage> usage(int n, long seed) {
    PriceTable prices = PriceTable.bundled();
    Random rnd = new Random(seed);
    Instant now = Instant.now();
    List<ModelUsage> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String model = MODELS[rnd.nextInt(MODELS.length)];
      long in = 800 + rnd.nextInt(4000);
      long outTokens = 50 + rnd.nextInt(600);
      long cacheRead = rnd.nextInt(4) == 0 ? 1000 + rnd.nextInt(2000) : 0;
      long cost = prices.cost(model, in, outTokens, cacheRead, 0).orElseThrow();
      int latency = 150 + rnd.nextInt(900);
      Instant done = now.minusMillis(rnd.nextInt(5_000));
      String task = "task-" + (i / 3);
      out.add(
          ModelUsage.newBuilder()
              .setAttemptId(task + "/" + (i % 3 + 1) + "/1")
              .setTaskId(task)
              .setTenant(TENANTS[rnd.nextInt(TENANTS.length)])
              .setRoute(ROUTES[rnd.nextInt(ROUTES.length)])
              .setProvider(model.startsWith("gpt") ? "openai" : "anthropic")
              .setModel(model)
              .setRequestedModel(model)
              .setTurn(i % 3 + 1)
              .setAttempt(1)
              .setFallback(false)
              .setOutcome(CallOutcome.SUCCESS)
              .setInputTokens(in)
              .setOutputTokens(outTokens)
              .setCacheReadTokens(cacheRead)
              .setCacheWriteTokens(0)
              .setCostMicroUsd(cost)
              .setPriceTableVersion(prices.version())
              .setLatencyMs(latency)
              .setStartedAt(done.minusMillis(latency))
              .setCompletedAt(done)
              .build());
    }
    return out;
  }
}
