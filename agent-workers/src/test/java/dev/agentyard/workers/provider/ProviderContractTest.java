package dev.agentyard.workers.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.agentyard.runtime.pricing.PriceTable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The provider contract: every response body and stream transcript in {@code
 * src/test/resources/provider-contract} (the providers' documented shapes, each error and each stop
 * reason) served to the real client over HTTP, with the token kinds, the micro-USD at the bundled
 * price table and the disposition each must produce. Writes the table to {@code
 * target/provider-contract.md}.
 */
class ProviderContractTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DIR = Path.of("src/test/resources/provider-contract");
  private static final PriceTable PRICES = PriceTable.bundled();
  private static final Map<String, String> TABLE = new TreeMap<>();
  private static HttpServer server;

  @BeforeAll
  static void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext(
        "/fx/",
        ex -> {
          try (ex) {
            ex.getRequestBody().readAllBytes();
            String name = ex.getRequestURI().getPath().split("/")[2];
            JsonNode fx = JSON.readTree(DIR.resolve(name + ".json").toFile());
            fx.path("headers")
                .fields()
                .forEachRemaining(
                    h -> ex.getResponseHeaders().set(h.getKey(), h.getValue().asText()));
            byte[] body;
            if (fx.hasNonNull("sse")) {
              ex.getResponseHeaders().set("Content-Type", "text/event-stream");
              body = Files.readAllBytes(DIR.resolve(fx.get("sse").asText()));
            } else {
              ex.getResponseHeaders().set("Content-Type", "application/json");
              body = JSON.writeValueAsBytes(fx.get("body"));
            }
            ex.sendResponseHeaders(fx.path("status").asInt(200), body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
  }

  @AfterAll
  static void stop() throws IOException {
    server.stop(0);
    StringBuilder md =
        new StringBuilder(
            "| shape | provider | tokens in / out / cache read / write 5m / write 1h | micro-USD |"
                + " outcome | what the worker does |\n|---|---|---|---|---|---|\n");
    TABLE.values().forEach(md::append);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/provider-contract.md"), md.toString());
  }

  static Stream<String> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void producesItsTokensCostAndDisposition(String name) throws Exception {
    JsonNode fx = JSON.readTree(DIR.resolve(name + ".json").toFile());
    JsonNode expect = fx.get("expect");
    String model = fx.get("model").asText();
    boolean stream = fx.hasNonNull("sse");
    HttpModelClient client = client(fx, name, stream);
    ChatRequest request =
        new ChatRequest(
            model,
            "You are the income specialist.",
            List.of(Message.user("Document: W-2, wages 84,200.")),
            List.of(),
            1024,
            "attempt-1",
            new CallOptions("5m", 0, fx.path("tier").asText(PriceTable.STANDARD)));
    ChatResponse response = null;
    ProviderException error = null;
    try {
      response = client.chat(request).get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      error = (ProviderException) ProviderException.unwrap(e.getCause());
    }

    TokenUsage usage;
    String outcome;
    Disposition disposition;
    String tier;
    if (expect.has("error")) {
      assertThat(error).as(name + " fails").isNotNull();
      assertThat(error.kind().name()).isEqualTo(expect.get("error").asText());
      disposition = Disposition.of(error);
      usage = error.partialUsage().orElse(null);
      outcome = "error " + error.kind();
      tier = request.options().serviceTier();
      assertThat(error.getMessage()).doesNotContain("contract-key");
      if (expect.has("message")) {
        assertThat(error.getMessage()).contains(expect.get("message").asText());
      }
      if (expect.has("retryAfterMs")) {
        assertThat(error.retryAfter())
            .contains(Duration.ofMillis(expect.get("retryAfterMs").asLong()));
      }
      assertThat(usage != null).as("partial usage of " + name).isEqualTo(expect.has("tokens"));
    } else {
      assertThat(error).as(name + " answers").isNull();
      assertThat(response.finish().name()).isEqualTo(expect.get("finish").asText());
      disposition = Disposition.of(response);
      usage = response.usage();
      outcome =
          response.finish()
              + (response.stopReason() == null ? "" : " (" + response.stopReason() + ")");
      tier = response.serviceTier();
      assertThat(response.usageEstimated()).isEqualTo(expect.path("estimated").asBoolean(false));
      assertThat(response.toolUses()).hasSize(expect.path("toolUses").asInt(0));
      assertThat(response.content().stream().filter(Part.Opaque.class::isInstance).count())
          .isEqualTo(expect.path("opaqueBlocks").asLong(0));
      if (expect.has("providerRequestId")) {
        assertThat(response.providerRequestId())
            .isEqualTo(expect.get("providerRequestId").asText());
      }
      if (expect.has("refusalCategory")) {
        assertThat(response.refusalCategory()).isEqualTo(expect.get("refusalCategory").asText());
      }
      if (expect.has("pricedTier")) {
        assertThat(tier).isEqualTo(expect.get("pricedTier").asText());
      }
      if (expect.path("echoedVerbatim").asBoolean(false)) {
        assertEchoedVerbatim(client, request, response, fx);
      }
      if (expect.has("estimatedOutput")) {
        assertThat(usage.output()).isEqualTo(expect.get("estimatedOutput").asLong());
        assertThat(usage.input()).isEqualTo(request.estimatedInputTokens());
      }
    }
    assertThat(disposition.name()).isEqualTo(expect.get("disposition").asText());

    String tokens = "-";
    String micro = "-";
    if (expect.has("tokens")) {
      JsonNode t = expect.get("tokens");
      assertThat(usage.billed())
          .isEqualTo(
              new dev.agentyard.runtime.pricing.BilledTokens(
                  t.get("input").asLong(),
                  t.get("output").asLong(),
                  t.get("cacheRead").asLong(),
                  t.get("cacheWrite5m").asLong(),
                  t.get("cacheWrite1h").asLong()));
      long cost = PRICES.cost(model, usage.billed(), tier).orElseThrow();
      assertThat(cost).as("micro-USD of " + name).isEqualTo(expect.get("microUsd").asLong());
      tokens =
          t.get("input").asLong()
              + " / "
              + t.get("output").asLong()
              + " / "
              + t.get("cacheRead").asLong()
              + " / "
              + t.get("cacheWrite5m").asLong()
              + " / "
              + t.get("cacheWrite1h").asLong()
              + (expect.path("estimated").asBoolean(false) ? " (estimated)" : "");
      micro = Long.toString(cost);
    } else if (usage != null && expect.path("estimated").asBoolean(false)) {
      tokens = usage.input() + " / " + usage.output() + " (estimated)";
      micro = Long.toString(PRICES.cost(model, usage.billed(), tier).orElseThrow());
    }
    TABLE.put(
        name,
        "| "
            + fx.get("shape").asText()
            + (stream ? " [stream]" : "")
            + " | "
            + fx.get("provider").asText()
            + " "
            + model
            + (PriceTable.STANDARD.equals(tier) ? "" : " @" + tier)
            + " | "
            + tokens
            + " | "
            + micro
            + " | "
            + outcome
            + " | "
            + disposition
            + " |\n");
  }

  /**
   * The next turn's request carries the assistant content exactly as received: thinking (with its
   * signature), redacted and unknown blocks byte for byte, in order.
   */
  private static void assertEchoedVerbatim(
      HttpModelClient client, ChatRequest request, ChatResponse response, JsonNode fx)
      throws IOException {
    List<Message> next = new ArrayList<>(request.messages());
    next.add(new Message(Message.Role.ASSISTANT, response.content()));
    List<Part> results = new ArrayList<>();
    for (Part.ToolUse u : response.toolUses()) {
      results.add(new Part.ToolResult(u.id(), "{}", false));
    }
    next.add(
        new Message(
            Message.Role.USER, results.isEmpty() ? List.of(new Part.Text("go on")) : results));
    JsonNode body =
        client.body(
            new ChatRequest(
                request.model(),
                request.systemPrompt(),
                next,
                List.of(),
                1024,
                null,
                request.options()),
            false);
    JsonNode sent = body.get("messages").get(1).get("content");
    JsonNode received;
    if (fx.hasNonNull("body")) {
      received = fx.get("body").get("content");
    } else {
      received = streamedContent(fx);
    }
    assertThat(sent).as("assistant content sent back").isEqualTo(received);
  }

  /** The content blocks a stream transcript builds, as the API documents it. */
  private static JsonNode streamedContent(JsonNode fx) throws IOException {
    StreamAccumulator acc =
        new AnthropicClient("http://127.0.0.1/v1", null, null, Duration.ZERO).accumulator();
    String text = Files.readString(DIR.resolve(fx.get("sse").asText()), StandardCharsets.UTF_8);
    for (String block : text.split("\n\n")) {
      String type = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (type != null && data != null) {
        acc.event(type, JSON.readTree(data));
      }
    }
    return acc.body().get("content");
  }

  private HttpModelClient client(JsonNode fx, String name, boolean stream) {
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/fx/" + name + "/v1";
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return fx.get("provider").asText().equals("anthropic")
        ? new AnthropicClient(
            base,
            ApiKey.of("sk-ant-contract-key"),
            http,
            Duration.ofSeconds(5),
            stream,
            StreamObserver.NONE)
        : new OpenAiClient(
            "openai",
            base,
            ApiKey.of("sk-proj-contract-key"),
            http,
            Duration.ofSeconds(5),
            stream,
            OpenAiClient.MaxTokensField.MAX_COMPLETION_TOKENS,
            StreamObserver.NONE);
  }
}
