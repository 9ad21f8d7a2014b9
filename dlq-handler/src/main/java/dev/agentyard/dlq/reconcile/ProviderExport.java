package dev.agentyard.dlq.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A provider's own record of what it billed, read from the file its usage API or console exports:
 * per request (a JSON array or {@code calls} list, or a CSV with a header: a gateway's request log,
 * the provider simulator's {@code /ledger}) or per time bucket and model (Anthropic's {@code
 * /v1/organizations/usage_report/messages}, OpenAI's {@code /v1/organization/usage/completions}).
 */
public sealed interface ProviderExport {

  /** One billed request. */
  record Call(
      String requestId,
      String model,
      long input,
      long output,
      long cacheRead,
      long cacheWrite5m,
      long cacheWrite1h,
      OptionalLong costMicroUsd) {}

  /** Totals of one model in one time bucket; {@code requests} is -1 when not reported. */
  record Bucket(
      Instant start,
      Instant end,
      String model,
      long requests,
      long input,
      long output,
      long cacheRead,
      long cacheWrite5m,
      long cacheWrite1h) {}

  /** Per-request records. */
  record Calls(List<Call> calls) implements ProviderExport {}

  /** Per-bucket totals. */
  record Buckets(List<Bucket> buckets) implements ProviderExport {}

  ObjectMapper JSON = new ObjectMapper();

  /** Reads a file: {@code .csv} as CSV, anything else as JSON. */
  static ProviderExport read(Path file) throws IOException {
    if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
      List<Call> calls = new ArrayList<>();
      CsvMapper csv = new CsvMapper();
      try (var it =
          csv.readerFor(Map.class)
              .with(CsvSchema.emptySchema().withHeader())
              .<Map<String, String>>readValues(Files.newBufferedReader(file))) {
        while (it.hasNext()) {
          calls.add(call(JSON.valueToTree(it.next())));
        }
      }
      return new Calls(calls);
    }
    return parse(JSON.readTree(file.toFile()));
  }

  /** Sorts a JSON export into calls or buckets by its shape. */
  static ProviderExport parse(JsonNode root) {
    if (root.isObject() && root.path("data").isArray()) {
      List<Bucket> buckets = new ArrayList<>();
      for (JsonNode b : root.get("data")) {
        Instant start = time(b, "starting_at", "start_time");
        Instant end = time(b, "ending_at", "end_time");
        for (JsonNode r : b.path("results")) {
          buckets.add(bucket(start, end, r));
        }
      }
      return new Buckets(buckets);
    }
    JsonNode list = root.isArray() ? root : root.path("calls");
    if (!list.isArray()) {
      throw new IllegalArgumentException(
          "not a usage export: expected a list of requests, a \"calls\" list or a \"data\" list of"
              + " buckets");
    }
    List<Call> calls = new ArrayList<>();
    for (JsonNode c : list) {
      if (c.path("httpStatus").asInt(200) != 200) {
        continue; // a call the provider refused is not billed
      }
      calls.add(call(c));
    }
    return new Calls(calls);
  }

  private static Bucket bucket(Instant start, Instant end, JsonNode r) {
    String model = r.path("model").asText("");
    JsonNode creation = r.path("cache_creation");
    if (r.has("uncached_input_tokens")) { // Anthropic
      return new Bucket(
          start,
          end,
          model,
          r.has("num_model_requests") ? r.get("num_model_requests").asLong() : -1,
          r.path("uncached_input_tokens").asLong(),
          r.path("output_tokens").asLong(),
          r.path("cache_read_input_tokens").asLong(),
          creation.path("ephemeral_5m_input_tokens").asLong(),
          creation.path("ephemeral_1h_input_tokens").asLong());
    }
    long cached = r.path("input_cached_tokens").asLong(); // OpenAI: input includes cached
    return new Bucket(
        start,
        end,
        model,
        r.has("num_model_requests") ? r.get("num_model_requests").asLong() : -1,
        Math.max(0, r.path("input_tokens").asLong() - cached),
        r.path("output_tokens").asLong(),
        cached,
        0,
        0);
  }

  private static Call call(JsonNode c) {
    String id =
        first(c, "providerRequestId", "provider_request_id", "request_id", "requestId", "id");
    long write1h =
        number(c, "cacheWrite1hTokens", "cache_write_1h_tokens", "ephemeral_1h_input_tokens");
    long writes =
        number(c, "cacheWriteTokens", "cache_write_tokens", "cache_creation_input_tokens");
    OptionalLong cost = OptionalLong.empty();
    String micro = first(c, "costMicroUsd", "cost_micro_usd");
    String usd = first(c, "cost_usd", "costUsd");
    if (micro != null && !micro.isBlank()) {
      cost = OptionalLong.of(Long.parseLong(micro.trim()));
    } else if (usd != null && !usd.isBlank()) {
      cost =
          OptionalLong.of(
              new java.math.BigDecimal(usd.trim())
                  .movePointRight(6)
                  .setScale(0, java.math.RoundingMode.HALF_UP)
                  .longValueExact());
    }
    return new Call(
        id,
        first(c, "model"),
        number(c, "inputTokens", "input_tokens", "uncached_input_tokens"),
        number(c, "outputTokens", "output_tokens"),
        number(c, "cacheReadTokens", "cache_read_tokens", "cache_read_input_tokens"),
        Math.max(0, writes - write1h),
        write1h,
        cost);
  }

  private static String first(JsonNode c, String... names) {
    for (String n : names) {
      if (c.hasNonNull(n) && !c.get(n).asText().isEmpty()) {
        return c.get(n).asText();
      }
    }
    return null;
  }

  private static long number(JsonNode c, String... names) {
    String v = first(c, names);
    return v == null || v.isBlank() ? 0 : Long.parseLong(v.trim());
  }

  private static Instant time(JsonNode b, String iso, String epoch) {
    if (b.hasNonNull(iso)) {
      return Instant.parse(b.get(iso).asText());
    }
    if (b.hasNonNull(epoch)) {
      return Instant.ofEpochSecond(b.get(epoch).asLong());
    }
    throw new IllegalArgumentException("a bucket without " + iso + " or " + epoch);
  }
}
