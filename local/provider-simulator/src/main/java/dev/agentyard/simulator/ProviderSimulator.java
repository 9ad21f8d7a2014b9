package dev.agentyard.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.agentyard.runtime.config.ConfigFiles;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.http.OpsHttpServer;
import dev.agentyard.runtime.lifecycle.ServiceRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model provider on localhost: answers {@code POST /v1/messages} (Anthropic Messages) and {@code
 * POST /v1/chat/completions} (OpenAI-compatible Chat Completions) with configurable latency, tokens
 * counted from the request, prompt caching, scripted tool calls and injected faults, and keeps a
 * ledger of every call and what it would bill: {@code GET /ledger} (and {@code DELETE /ledger} to
 * reset).
 *
 * <p>Run it: {@code java dev.agentyard.simulator.ProviderSimulator} (config from {@code
 * AGENTYARD_CONFIG_FILE} and {@code AGENTYARD_SIM_*}), or embed it with {@link #start}.
 */
public final class ProviderSimulator implements AutoCloseable {

  public static final String ANTHROPIC = "anthropic";
  public static final String OPENAI = "openai";
  private static final Logger log = LoggerFactory.getLogger(ProviderSimulator.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final Ledger ledger = new Ledger();
  private final SimulatorConfig config;
  private final Engine engine;

  private ProviderSimulator(SimulatorConfig config) {
    this.config = config;
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 1024);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot bind the provider simulator to " + config.host() + ":" + config.port(), e);
    }
    // one virtual thread per call: thousands of slow calls in flight cost almost nothing
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    engine = new Engine(config, ledger);
    server.createContext("/v1/messages", new AnthropicMessagesApi(engine, config.requireAuth()));
    server.createContext(
        "/v1/chat/completions", new OpenAiChatCompletionsApi(engine, config.requireAuth()));
    ObjectMapper json = new ObjectMapper();
    server.createContext(
        "/ledger",
        ex -> {
          switch (ex.getRequestMethod()) {
            case "GET" ->
                OpsHttpServer.respond(
                    ex,
                    200,
                    "application/json",
                    json.writeValueAsString(
                        Map.of("totals", ledger.totals(), "calls", ledger.entries())));
            case "DELETE" -> {
              ledger.clear();
              OpsHttpServer.respond(ex, 200, "application/json", "{\"cleared\":true}");
            }
            default ->
                OpsHttpServer.respond(ex, 405, "application/json", "{\"error\":\"GET or DELETE\"}");
          }
        });
    server.createContext(
        "/health", ex -> OpsHttpServer.respond(ex, 200, "application/json", "{\"status\":\"UP\"}"));
  }

  /** Starts a simulator; close it to stop. */
  public static ProviderSimulator start(SimulatorConfig config) {
    ProviderSimulator sim = new ProviderSimulator(config);
    sim.server.start();
    log.info(
        "Provider simulator on {} serving {} model(s), price table {}",
        sim.baseUrl(),
        config.models().size(),
        config.priceTable().version());
    return sim;
  }

  /** {@code http://host:port}: the base URL to give a provider client. */
  public String baseUrl() {
    return "http://" + config.host() + ":" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public Ledger ledger() {
    return ledger;
  }

  /**
   * Starts a provider-wide storm: until {@link #calm()}, every model fails with these probabilities
   * (by fault kind) instead of its configured rates. For fault tests that need a burst in time.
   */
  public void storm(Map<FaultKind, Double> rates) {
    engine.storm(rates);
  }

  /** Ends a storm: models go back to their configured fault rates. */
  public void calm() {
    engine.storm(Map.of());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> effective = ConfigLoader.load(SimulatorConfig.defaults(), System.getenv());
    ServiceRunner.logConfig("provider-simulator", effective);
    SimulatorConfig config = SimulatorConfig.fromMap(effective, ConfigFiles.disk());
    ProviderSimulator sim = start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sim.close();
                  stopped.countDown();
                },
                "provider-simulator-shutdown"));
    stopped.await();
  }
}
