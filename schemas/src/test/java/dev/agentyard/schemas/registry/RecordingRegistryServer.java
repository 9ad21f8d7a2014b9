package dev.agentyard.schemas.registry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tiny HTTP server on 127.0.0.1 that records every request and answers from a script. */
final class RecordingRegistryServer implements AutoCloseable {

  record Request(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  record Answer(int status, String body) {}

  private final HttpServer server;
  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Deque<Answer> script = new ArrayDeque<>();
  private volatile Answer fallback = new Answer(200, "{\"id\":7}");

  RecordingRegistryServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              new Request(
                  ex.getRequestMethod(),
                  ex.getRequestURI().getRawPath(),
                  Map.copyOf(ex.getRequestHeaders()),
                  body));
          Answer a;
          synchronized (script) {
            a = script.isEmpty() ? fallback : script.poll();
          }
          byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
          ex.sendResponseHeaders(a.status(), out.length);
          ex.getResponseBody().write(out);
          ex.close();
        });
    server.start();
  }

  RecordingRegistryServer then(int status, String body) {
    synchronized (script) {
      script.add(new Answer(status, body));
    }
    return this;
  }

  RecordingRegistryServer otherwise(int status, String body) {
    fallback = new Answer(status, body);
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
