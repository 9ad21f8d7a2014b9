package dev.agentyard.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.agentyard.runtime.metrics.ServiceMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoint every service serves: {@code /metrics} (Prometheus text format), {@code
 * /health/live} (the process is up) and {@code /health/ready} (every readiness check passes: 200,
 * else 503 with the failing checks). Services add their own API under other paths.
 */
public final class OpsHttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OpsHttpServer.class);
  static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, HealthCheck> readiness = new LinkedHashMap<>();

  /**
   * Binds the server (port 0 picks a free one).
   *
   * @param metrics produces the Prometheus text
   */
  public OpsHttpServer(String host, int port, Supplier<String> metrics) {
    this(host, port, metrics, metrics);
  }

  /**
   * A service's server: the Prometheus text at {@code /metrics}, or OpenMetrics with exemplars
   * (trace ids on latency buckets) when the scraper asks for it in {@code Accept}.
   */
  public OpsHttpServer(String host, int port, ServiceMetrics metrics) {
    this(host, port, metrics::scrape, metrics::scrapeOpenMetrics);
  }

  private OpsHttpServer(
      String host, int port, Supplier<String> metrics, Supplier<String> openMetrics) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot bind the ops HTTP server to " + host + ":" + port, e);
    }
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext(
        "/metrics",
        ex -> {
          String accept = ex.getRequestHeaders().getFirst("Accept");
          if (accept != null
              && accept.contains("application/openmetrics-text")
              && openMetrics != metrics) {
            respond(ex, 200, ServiceMetrics.OPENMETRICS, openMetrics.get());
          } else {
            respond(ex, 200, PROMETHEUS_CONTENT_TYPE, metrics.get());
          }
        });
    server.createContext(
        "/health/live", ex -> respond(ex, 200, "application/json", "{\"status\":\"UP\"}"));
    server.createContext("/health/ready", this::ready);
  }

  /** Adds a readiness check; the service is ready only when all pass. */
  public synchronized OpsHttpServer readiness(String name, HealthCheck check) {
    readiness.put(name, check);
    return this;
  }

  /** Serves another API under a path prefix. */
  public OpsHttpServer route(String pathPrefix, HttpHandler handler) {
    server.createContext(pathPrefix, handler);
    return this;
  }

  public OpsHttpServer start() {
    server.start();
    log.info(
        "Ops HTTP server listening on {} (/metrics, /health/live, /health/ready)",
        server.getAddress());
    return this;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void ready(HttpExchange ex) throws IOException {
    Map<String, HealthCheck> checks;
    synchronized (this) {
      checks = new TreeMap<>(readiness);
    }
    ObjectNode body = JSON.createObjectNode();
    ObjectNode results = body.putObject("checks");
    boolean allUp = !checks.isEmpty();
    for (var e : checks.entrySet()) {
      HealthCheck.Status s;
      try {
        s = e.getValue().check();
      } catch (RuntimeException err) {
        s = HealthCheck.Status.down("check failed: " + err.getClass().getSimpleName());
      }
      allUp &= s.up();
      results
          .putObject(e.getKey())
          .put("status", s.up() ? "UP" : "DOWN")
          .put("detail", s.detail() == null ? "" : s.detail());
    }
    body.put("status", allUp ? "UP" : "DOWN");
    respond(ex, allUp ? 200 : 503, "application/json", JSON.writeValueAsString(body));
  }

  /** The query parameters of a request URI, decoded (the last of a repeated name wins). */
  public static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** Writes a complete response. */
  public static void respond(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
    } else {
      ex.sendResponseHeaders(status, bytes.length);
      ex.getResponseBody().write(bytes);
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
