package dev.agentyard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shared HTTP plumbing of the two wire formats: auth, parsing, faults that are not JSON. */
abstract class ProviderApi implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(ProviderApi.class);
  static final int MAX_BODY = 32 * 1024 * 1024;

  /**
   * A client-chosen request id (OpenAI's header name), kept in the ledger so a client's records can
   * be matched call by call.
   */
  static final String REQUEST_ID_HEADER = "X-Client-Request-Id";

  protected final ObjectMapper json = new ObjectMapper();
  protected final Engine engine;
  protected final boolean requireAuth;
  protected final AtomicLong ids = new AtomicLong();

  ProviderApi(Engine engine, boolean requireAuth) {
    this.engine = engine;
    this.requireAuth = requireAuth;
  }

  /** The api name in the ledger. */
  abstract String api();

  /** True when the request carries a credential in this provider's way. */
  abstract boolean authenticated(HttpExchange ex);

  /**
   * Parses a request body into a conversation; IllegalArgumentException (with the provider's
   * message) for a request the real API refuses.
   */
  abstract Conversation parse(JsonNode body);

  /** The whole answer as one JSON body. */
  abstract ObjectNode answer(Conversation c, Engine.Answer a);

  /**
   * The answer as server-sent events, in order; {@code afterFirstBlock} is how many of them a
   * stream broken off after its first content block sends.
   */
  abstract Events events(Conversation c, Engine.Answer a);

  /** The error body of this provider's format. */
  abstract ObjectNode error(int status, String type, String message);

  /** The status and body this provider answers when the account is out of quota or credit. */
  abstract Map.Entry<Integer, ObjectNode> quota(FaultKind kind);

  /** The error event a stream ends with when the provider fails mid-answer. */
  abstract Event streamError();

  /** The response header with the provider's id of the request. */
  abstract String requestIdHeader();

  /** One server-sent event: an optional event name and its JSON data (or a literal). */
  record Event(String name, String data) {}

  /** A streamed answer. */
  record Events(List<Event> events, int afterFirstBlock) {}

  @Override
  public final void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("POST")) {
        send(ex, 405, error(405, "invalid_request_error", "POST only"));
        return;
      }
      if (requireAuth && !authenticated(ex)) {
        send(ex, 401, error(401, "authentication_error", "missing or invalid API key"));
        return;
      }
      JsonNode body;
      Conversation c;
      try (InputStream in = ex.getRequestBody()) {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
          send(ex, 413, error(413, "request_too_large", "request body too large"));
          return;
        }
        body = json.readTree(bytes);
        c = parse(body);
      } catch (IOException | IllegalArgumentException | NullPointerException e) {
        ex.getResponseHeaders().set("x-should-retry", "false");
        send(ex, 400, error(400, "invalid_request_error", e.getMessage()));
        return;
      }
      Engine.Result result =
          engine.handle(api(), c, ex.getRequestHeaders().getFirst(REQUEST_ID_HEADER));
      switch (result) {
        case Engine.UnknownModel u ->
            send(ex, 404, error(404, "not_found_error", "model: " + u.model()));
        case Engine.Answer a -> {
          ex.getResponseHeaders().set(requestIdHeader(), a.providerRequestId());
          if (c.stream()) {
            stream(ex, events(c, a), a.breakAfterFirstBlock());
          } else {
            send(ex, 200, answer(c, a));
          }
        }
        case Engine.Failure f -> {
          ex.getResponseHeaders().set(requestIdHeader(), f.providerRequestId());
          fail(ex, f);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("Simulator failed to answer {}", ex.getRequestURI(), e);
    }
  }

  private void stream(HttpExchange ex, Events events, FaultKind breakKind) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    List<Event> list =
        breakKind == null ? events.events() : events.events().subList(0, events.afterFirstBlock());
    for (Event e : list) {
      write(out, e);
    }
    if (breakKind == FaultKind.STREAM_ERROR) {
      write(out, streamError());
    }
    // STREAM_CUT: the body just ends, without the events that complete the answer
  }

  private static void write(OutputStream out, Event e) throws IOException {
    StringBuilder b = new StringBuilder();
    if (e.name() != null) {
      b.append("event: ").append(e.name()).append('\n');
    }
    b.append("data: ").append(e.data()).append("\n\n");
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void fail(HttpExchange ex, Engine.Failure f) throws IOException, InterruptedException {
    switch (f.kind()) {
      case TIMEOUT -> {
        Thread.sleep(f.hang().toMillis());
        // then the server gives up on the call without answering
      }
      case RESET -> {
        // close without a response: the client sees the connection end
      }
      case MALFORMED -> {
        byte[] broken =
            ("{\"id\":\"broken-"
                    + ids.incrementAndGet()
                    + "\",\"type\":\"message\",\"content\":[{\"type\":\"te")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, broken.length);
        ex.getResponseBody().write(broken);
      }
      case RATE_LIMIT -> {
        ex.getResponseHeaders()
            .set("retry-after", Long.toString(Math.max(1, f.retryAfter().toSeconds())));
        ex.getResponseHeaders().set("x-should-retry", "true");
        send(ex, 429, error(429, "rate_limit_error", f.message()));
      }
      case QUOTA, BILLING -> {
        Map.Entry<Integer, ObjectNode> q = quota(f.kind());
        ex.getResponseHeaders().set("x-should-retry", "false");
        send(ex, q.getKey(), q.getValue());
      }
      case CONTEXT_LENGTH, CONTEXT_LIMIT -> {
        ex.getResponseHeaders().set("x-should-retry", "false");
        send(ex, 400, error(400, "context_length_exceeded", f.message()));
      }
      case OVERLOADED -> {
        ex.getResponseHeaders().set("x-should-retry", "true");
        send(ex, 529, error(529, "overloaded_error", f.message()));
      }
      case ERROR_IN_200 -> send(ex, 200, error(529, "overloaded_error", f.message()));
      case REQUEST_TIMEOUT -> {
        ex.getResponseHeaders().set("x-should-retry", "true");
        send(ex, 408, error(408, "timeout_error", f.message()));
      }
      case CONFLICT -> {
        ex.getResponseHeaders().set("x-should-retry", "true");
        send(ex, 409, error(409, "conflict_error", f.message()));
      }
      default -> {
        ex.getResponseHeaders().set("x-should-retry", "true");
        send(ex, Engine.status(f.kind()), error(Engine.status(f.kind()), "api_error", f.message()));
      }
    }
  }

  protected void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  /** Generated text in the pieces a stream sends it in (16 characters, as tokens come). */
  static List<String> pieces(String text) {
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < text.length(); i += 16) {
      out.add(text.substring(i, Math.min(text.length(), i + 16)));
    }
    return out;
  }

  /** Text of a content field that is a string or an array of {type: text, text} parts. */
  static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder b = new StringBuilder();
    for (JsonNode part : content) {
      if (part.has("text")) {
        b.append(part.get("text").asText()).append('\n');
      } else if (part.has("content")) {
        b.append(text(part.get("content"))).append('\n');
      } else if (part.has("input")) {
        b.append(part.get("input").toString()).append('\n');
      }
    }
    return b.toString();
  }
}
