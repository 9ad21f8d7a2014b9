package dev.agentyard.dlq.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.runtime.pricing.BilledTokens;
import dev.agentyard.runtime.pricing.PriceTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconciliationTest {

  static final PriceTable PRICES = PriceTable.bundled();
  static final Instant T0 = Instant.parse("2026-12-04T10:15:00Z");
  final Reconciliation reconciliation = new Reconciliation(PRICES);

  static ModelUsage usage(
      String attempt,
      String requestId,
      String model,
      long in,
      long out,
      long read,
      long w,
      long w1h) {
    long cost =
        PRICES
            .cost(model, BilledTokens.ofEvent(in, out, read, w, w1h), PriceTable.STANDARD)
            .orElseThrow();
    return ModelUsage.newBuilder()
        .setAttemptId(attempt)
        .setTaskId("t-" + attempt)
        .setTenant("acme")
        .setRoute("income")
        .setProvider("anthropic")
        .setModel(model)
        .setRequestedModel(model)
        .setTurn(1)
        .setAttempt(1)
        .setOutcome(CallOutcome.SUCCESS)
        .setInputTokens(in)
        .setOutputTokens(out)
        .setCacheReadTokens(read)
        .setCacheWriteTokens(w)
        .setCacheWrite1hTokens(w1h)
        .setCostMicroUsd(cost)
        .setPriceTableVersion(PRICES.version())
        .setProviderRequestId(requestId)
        .setLatencyMs(800)
        .setStartedAt(T0)
        .setCompletedAt(T0.plusSeconds(1))
        .build();
  }

  @Test
  void perRequestExportsShowCallsOnOneSideOnlyAndTokensThatDiffer() throws Exception {
    List<ModelUsage> ours =
        List.of(
            usage("a1", "req_1", "claude-haiku-4-5", 400, 90, 0, 4200, 4200),
            usage("a2", "req_2", "claude-haiku-4-5", 410, 95, 4200, 0, 0),
            usage("a3", "req_3", "claude-haiku-4-5", 420, 80, 4200, 0, 0),
            usage("a4", null, "claude-haiku-4-5", 0, 0, 0, 0, 0)); // refused: not billed
    // the provider's log: req_2 billed more output than we recorded, req_3 missing, req_9 unknown
    String export =
        """
        {"calls": [
          {"providerRequestId": "req_1", "httpStatus": 200, "model": "claude-haiku-4-5",
           "inputTokens": 400, "outputTokens": 90, "cacheReadTokens": 0,
           "cacheWriteTokens": 4200, "cacheWrite1hTokens": 4200},
          {"providerRequestId": "req_2", "httpStatus": 200, "model": "claude-haiku-4-5",
           "inputTokens": 410, "outputTokens": 145, "cacheReadTokens": 4200},
          {"providerRequestId": "req_9", "httpStatus": 200, "model": "claude-haiku-4-5",
           "inputTokens": 300, "outputTokens": 20},
          {"providerRequestId": "req_8", "httpStatus": 429, "model": "claude-haiku-4-5"}
        ]}""";
    Reconciliation.Report r =
        reconciliation.compare(ours, ProviderExport.parse(new ObjectMapper().readTree(export)));

    assertThat(r.matched()).isEqualTo(1);
    assertThat(r.onlyTheirs())
        .extracting(Reconciliation.Unmatched::requestId)
        .containsExactly("req_9");
    assertThat(r.onlyOurs())
        .extracting(Reconciliation.Unmatched::requestId)
        .containsExactly("req_3");
    assertThat(r.mismatched())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.requestId()).isEqualTo("req_2");
              assertThat(m.theirs().output() - m.ours().output()).isEqualTo(50);
              assertThat(m.theirMicroUsd() - m.ourMicroUsd())
                  .isEqualTo(250); // 50 tokens at USD 5/M
            });
    assertThat(r.clean()).isFalse();
  }

  @Test
  void theSameCallsOnBothSidesAreClean(@TempDir Path dir) throws Exception {
    List<ModelUsage> ours =
        List.of(
            usage("a1", "req_1", "claude-sonnet-4-5", 400, 90, 0, 4200, 4200),
            usage("a2", "req_2", "claude-sonnet-4-5", 410, 95, 4200, 0, 0));
    Path csv = dir.resolve("requests.csv");
    Files.writeString(
        csv,
        """
        request_id,model,input_tokens,output_tokens,cache_read_input_tokens,cache_creation_input_tokens,ephemeral_1h_input_tokens,cost_usd
        req_1,claude-sonnet-4-5,400,90,0,4200,4200,%s
        req_2,claude-sonnet-4-5,410,95,4200,0,0,%s
        """
            .formatted(usd(ours.get(0)), usd(ours.get(1))));
    Reconciliation.Report r = reconciliation.compare(ours, ProviderExport.read(csv));
    assertThat(r.matched()).isEqualTo(2);
    assertThat(r.clean()).isTrue();
    assertThat(r.theirMicroUsd()).isEqualTo(r.ourMicroUsd());
  }

  @Test
  void anthropicUsageReportBucketsAreComparedByModelAndHour() throws Exception {
    List<ModelUsage> ours =
        List.of(
            usage("a1", "req_1", "claude-haiku-4-5", 400, 90, 0, 4200, 4200),
            usage("a2", "req_2", "claude-haiku-4-5", 410, 95, 4200, 0, 0));
    String report =
        """
        {"data": [{"starting_at": "2026-12-04T10:00:00Z", "ending_at": "2026-12-04T11:00:00Z",
          "results": [{"uncached_input_tokens": 810, "cache_read_input_tokens": 4200,
            "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 4200},
            "output_tokens": 185, "server_tool_use": {"web_search_requests": 0},
            "model": "claude-haiku-4-5-20251001", "service_tier": "standard",
            "context_window": "0-200k"}]}],
         "has_more": false, "next_page": null}""";
    Reconciliation.Report r =
        reconciliation.compare(ours, ProviderExport.parse(new ObjectMapper().readTree(report)));
    assertThat(r.buckets()).singleElement().satisfies(b -> assertThat(b.differs()).isFalse());
    assertThat(r.clean()).isTrue();

    // the provider billed 1-hour writes we recorded as 5-minute writes: the money differs
    String wrong =
        report.replace(
            "\"ephemeral_5m_input_tokens\": 0, \"ephemeral_1h_input_tokens\": 4200",
            "\"ephemeral_5m_input_tokens\": 4200, \"ephemeral_1h_input_tokens\": 0");
    Reconciliation.Report w =
        reconciliation.compare(ours, ProviderExport.parse(new ObjectMapper().readTree(wrong)));
    assertThat(w.buckets().get(0).differs()).isTrue();
    assertThat(w.ourMicroUsd() - w.theirMicroUsd())
        .isEqualTo(4200L * (2_000_000 - 1_250_000) / 1_000_000);
  }

  @Test
  void openAiUsageBucketsCountRequestsAndSubtractCachedInput() throws Exception {
    ModelUsage a =
        ModelUsage.newBuilder(usage("a1", "req_1", "gpt-4o-mini", 86, 58, 1920, 0, 0))
            .setProvider("openai")
            .build();
    String page =
        """
        {"object": "page", "data": [{"object": "bucket", "start_time": 1796378400, "end_time": 1796382000,
          "results": [{"object": "organization.usage.completions.result", "input_tokens": 2006,
            "output_tokens": 58, "input_cached_tokens": 1920, "input_audio_tokens": 0,
            "output_audio_tokens": 0, "num_model_requests": 2, "project_id": null,
            "model": "gpt-4o-mini-2024-07-18", "batch": false}]}],
         "has_more": false, "next_page": null}""";
    Reconciliation.Report r =
        reconciliation.compare(List.of(a), ProviderExport.parse(new ObjectMapper().readTree(page)));
    Reconciliation.BucketLine b = r.buckets().get(0);
    assertThat(b.ours()).isEqualTo(b.theirs());
    assertThat(b.theirCalls()).isEqualTo(2);
    assertThat(b.ourCalls()).isEqualTo(1);
    assertThat(b.differs()).as("a request we never recorded").isTrue();
  }

  private static String usd(ModelUsage u) {
    return java.math.BigDecimal.valueOf(u.getCostMicroUsd()).movePointLeft(6).toPlainString();
  }
}
