package dev.agentyard.workers.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ModelTier;
import dev.agentyard.runtime.pricing.PriceTable;
import dev.agentyard.simulator.Ledger;
import dev.agentyard.simulator.ProviderSimulator;
import dev.agentyard.simulator.SimulatorConfig;
import dev.agentyard.workers.provider.AnthropicClient;
import dev.agentyard.workers.provider.ApiKey;
import dev.agentyard.workers.provider.CallOptions;
import dev.agentyard.workers.provider.ModelClient;
import dev.agentyard.workers.provider.ProviderException;
import dev.agentyard.workers.provider.StreamObserver;
import dev.agentyard.workers.resilience.CallAttempt;
import dev.agentyard.workers.resilience.ModelRef;
import dev.agentyard.workers.resilience.ResilienceSettings;
import dev.agentyard.workers.resilience.ResilientModelCaller;
import dev.agentyard.workers.tools.ToolRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A thinking model's tool loop over streaming, against the provider simulator, which signs its
 * thinking blocks and refuses a turn whose blocks did not come back, as the real API does: the real
 * client, calling policy and agent loop, end to end over HTTP.
 */
class ThinkingToolLoopIT {

  static final String SONNET = "claude-sonnet-4-5";
  static final String SYSTEM =
      "Route: income. You assess income documents. " + "Be exact about every figure. ".repeat(200);
  static final String SCHEMA =
      """
      {"type":"object","required":["annualIncome"],"properties":{"annualIncome":{"type":"number"}}}""";

  final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  final List<CallAttempt> calls = Collections.synchronizedList(new ArrayList<>());
  final List<Long> costs = Collections.synchronizedList(new ArrayList<>());
  final List<Duration> firstChunks = Collections.synchronizedList(new ArrayList<>());
  ProviderSimulator sim;

  @BeforeEach
  void start() {
    sim =
        ProviderSimulator.start(
            SimulatorConfig.withDefaults(
                Map.of(
                    "sim.port", "0",
                    "sim.default.latency", "5ms",
                    "sim.default.jitter", "0ms",
                    "sim.script.income.match", "Route: income",
                    "sim.script.income.steps",
                        "extract_figures:{\"labels\":[\"wages\"]},"
                            + "extract_figures:{\"labels\":[\"federal\"]},"
                            + "compute_dti:{\"monthlyDebtPayments\":2450,\"annualGrossIncome\":84200}",
                    "sim.script.income.final", "{\"annualIncome\":84200}")));
  }

  @AfterEach
  void stop() {
    sim.close();
    scheduler.shutdownNow();
  }

  @Test
  void aThinkingModelsThreeTurnToolLoopOverStreamingCompletesWithEveryTokenBilled()
      throws Exception {
    AgentOutcome outcome = run(client(), "W-2: wages 84,200. Monthly debts 2,450.");

    assertThat(outcome).isInstanceOf(AgentOutcome.Completed.class);
    assertThat(outcome.stats().turns()).isEqualTo(4); // three tool turns, then the answer
    List<Ledger.Entry> ledger = sim.ledger().entries();
    assertThat(ledger).hasSize(4).allSatisfy(e -> assertThat(e.httpStatus()).isEqualTo(200));
    assertThat(calls)
        .hasSize(4)
        .allSatisfy(c -> assertThat(c.outcome()).isEqualTo(CallOutcome.SUCCESS));
    for (int i = 0; i < 4; i++) {
      CallAttempt c = calls.get(i);
      Ledger.Entry e = ledger.get(i);
      assertThat(c.providerRequestId()).isEqualTo(e.providerRequestId());
      assertThat(c.usage().input()).isEqualTo(e.inputTokens());
      assertThat(c.usage().output()).isEqualTo(e.outputTokens()); // thinking included
      assertThat(c.usage().cacheRead()).isEqualTo(e.cacheReadTokens());
      assertThat(c.usage().cacheWrite1h()).isEqualTo(e.cacheWrite1hTokens());
      assertThat(costs.get(i)).isEqualTo(e.costMicroUsd());
      assertThat(c.usageEstimated()).isFalse();
    }
    // the system prompt was written once with a 1-hour lifetime, then read
    assertThat(calls.get(0).usage().cacheWrite1h()).isPositive();
    assertThat(calls.subList(1, 4)).allSatisfy(c -> assertThat(c.usage().cacheRead()).isPositive());
    assertThat(firstChunks).hasSize(4);
  }

  @Test
  void theSameLoopWithTheThinkingBlocksStrippedIsRefusedLikeTheRealApiRefusesIt() throws Exception {
    // a proxy drops the thinking blocks from what the client sends, as a client that kept only
    // text and tool_use did: the request still asks for thinking
    try (StrippingProxy proxy = new StrippingProxy(sim.baseUrl())) {
      ModelClient stripping = client(proxy.baseUrl());
      AgentOutcome outcome = run(stripping, "W-2: wages 84,200. Monthly debts 2,450.");

      assertThat(outcome).isInstanceOf(AgentOutcome.Failed.class);
      Throwable cause = ((AgentOutcome.Failed) outcome).cause();
      assertThat(cause).isInstanceOf(ProviderException.class);
      assertThat(((ProviderException) cause).kind()).isEqualTo(ProviderException.Kind.BAD_REQUEST);
      assertThat(cause.getMessage())
          .contains("HTTP 400")
          .contains("Expected `thinking` or `redacted_thinking`");
      assertThat(calls).hasSize(2);
      assertThat(calls.get(1).httpStatus()).isEqualTo(400);
      assertThat(proxy.stripped.get()).isPositive();
    }
  }

  @Test
  void redactedThinkingTextWithTwoToolCallsAndAPausedTurnAllComeBackAndComplete() throws Exception {
    AgentOutcome outcome =
        run(
            client(),
            "W-2: wages 84,200. [[sim:redacted-thinking]] [[sim:parallel-tools]] [[sim:pausex1]]");

    assertThat(outcome).isInstanceOf(AgentOutcome.Completed.class);
    List<Ledger.Entry> ledger = sim.ledger().entries();
    assertThat(ledger.get(0).outcome()).isEqualTo("PAUSE_TURN");
    assertThat(ledger).extracting(Ledger.Entry::httpStatus).containsOnly(200);
    // pause, two tools at once, the third, the answer
    assertThat(ledger)
        .extracting(Ledger.Entry::outcome)
        .containsExactly("PAUSE_TURN", "TOOL_USE", "TOOL_USE", "END_TURN");
  }

  AnthropicClient client() {
    return client(sim.baseUrl());
  }

  AnthropicClient client(String baseUrl) {
    return new AnthropicClient(
        baseUrl + "/v1",
        ApiKey.of("sk-ant-it-key"),
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
        Duration.ofSeconds(10),
        true,
        new StreamObserver() {
          @Override
          public void firstChunk(String provider, String model, Duration sinceSent) {
            firstChunks.add(sinceSent);
          }

          @Override
          public void nextChunk(String provider, String model, Duration sincePrevious) {}
        });
  }

  /**
   * Forwards to the simulator with every thinking and redacted_thinking block removed from the
   * request's messages.
   */
  static final class StrippingProxy implements AutoCloseable {
    final HttpServer server;
    final AtomicInteger stripped = new AtomicInteger();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    StrippingProxy(String target) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
      server.createContext(
          "/",
          ex -> {
            try (ex) {
              ObjectNode body = (ObjectNode) JSON.readTree(ex.getRequestBody());
              for (JsonNode m : body.path("messages")) {
                if (m.path("content").isArray()) {
                  ArrayNode content = (ArrayNode) m.get("content");
                  for (int i = content.size() - 1; i >= 0; i--) {
                    String type = content.get(i).path("type").asText();
                    if (type.equals("thinking") || type.equals("redacted_thinking")) {
                      content.remove(i);
                      stripped.incrementAndGet();
                    }
                  }
                }
              }
              HttpRequest.Builder forward =
                  HttpRequest.newBuilder(URI.create(target + ex.getRequestURI().getPath()))
                      .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
              ex.getRequestHeaders()
                  .forEach(
                      (k, v) -> {
                        if (k.equalsIgnoreCase("x-api-key")
                            || k.equalsIgnoreCase("anthropic-version")
                            || k.equalsIgnoreCase("content-type")) {
                          forward.header(k, v.get(0));
                        }
                      });
              HttpResponse<byte[]> r =
                  http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
              r.headers()
                  .firstValue("content-type")
                  .ifPresent(v -> ex.getResponseHeaders().set("Content-Type", v));
              ex.sendResponseHeaders(r.statusCode(), r.body().length);
              ex.getResponseBody().write(r.body());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      server.start();
    }

    String baseUrl() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  static final ObjectMapper JSON = new ObjectMapper();

  AgentOutcome run(ModelClient client, String document) throws Exception {
    ResilientModelCaller caller =
        new ResilientModelCaller(
            Map.of(AnthropicClient.PROVIDER, client),
            ResilienceSettings.builder()
                .attemptsPerModel(1)
                .initialBackoff(Duration.ofMillis(1))
                .maxRetryAfter(Duration.ofSeconds(1))
                .breakerOpenFor(Duration.ofMinutes(1))
                .maxThrottleWait(Duration.ZERO)
                .build(),
            scheduler,
            Clock.systemUTC(),
            (m, k) -> {});
    AgentLoop loop =
        new AgentLoop(
            caller,
            ToolRegistry.loanTools(),
            PriceTable.bundled(),
            (t, te, r) -> false,
            (route, tool, outcome) -> {},
            Approvals.none(),
            Executors.newVirtualThreadPerTaskExecutor(),
            Clock.systemUTC());
    AgentSpec spec =
        new AgentSpec(
            "income",
            SYSTEM,
            List.of(new ModelRef(AnthropicClient.PROVIDER, SONNET, 200_000, ModelTier.MEDIUM)),
            List.of("extract_figures", "compute_dti"),
            8,
            8,
            0,
            0,
            Duration.ofMinutes(1),
            4096,
            new OutputValidator(SCHEMA),
            new CallOptions("1h", 2048, PriceTable.STANDARD),
            List.of());
    AgentTask task =
        new AgentTask(
            "t-think", "app-1", "acme", "income", document, Map.of(), 0, 0, 0, 0, 0, null);
    return loop.run(
            spec,
            task,
            (t, turn, call, cost, version) -> {
              calls.add(call);
              costs.add(cost);
              return CompletableFuture.completedFuture(null);
            },
            RunJournal.NONE)
        .get(30, TimeUnit.SECONDS);
  }
}
