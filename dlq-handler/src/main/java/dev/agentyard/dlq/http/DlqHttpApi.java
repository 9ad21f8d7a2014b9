package dev.agentyard.dlq.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.agentyard.dlq.DlqConfig;
import dev.agentyard.dlq.DlqConsole;
import dev.agentyard.dlq.Views;
import dev.agentyard.dlq.inspect.DeadLetterFilter;
import dev.agentyard.dlq.replay.Redrive;
import dev.agentyard.dlq.review.ReviewQueue;
import dev.agentyard.runtime.http.OpsHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP API under {@code /api/v1/}: the same operations as the CLI, as JSON. Every
 * call needs a bearer token; the token names the operator recorded in the audit trail. A replay is
 * a dry run unless the body says {@code "dryRun": false}. Writing actions run one at a time.
 *
 * <pre>
 * GET  /api/v1/dead-letters?topic=&amp;from=&amp;to=&amp;reason=&amp;error-class=&amp;route=&amp;model=&amp;task=&amp;text=&amp;status=&amp;limit=&amp;cursor=
 * GET  /api/v1/dead-letters/summary?(same filters)
 * GET  /api/v1/dead-letters/{topic}/{partition}/{offset}?show-content=true
 * POST /api/v1/replays        {"topic": ..., filters..., "to": ..., "dryRun": true, "force": false, "ratePerSecond": 50, "limit": 0, "why": ...}
 * POST /api/v1/parks          {"topic": ..., filters..., "why": ..., "force": false, "limit": 0}
 * GET  /api/v1/reviews?status=open&amp;reason=&amp;route=&amp;tenant=
 * GET  /api/v1/reviews/{reviewId}?show-content=true
 * POST /api/v1/reviews/{reviewId}/claim
 * POST /api/v1/reviews/{reviewId}/approve  {"why": ..., "route": ...}
 * POST /api/v1/reviews/{reviewId}/reject   {"why": ...}
 * GET  /api/v1/audit?limit=100
 * GET  /api/v1/budgets
 * POST /api/v1/budgets        {"budgetId": "tenant:acme|day", "limitMicroUsd": 500000, "mode": "HARD|LEASE", "atLimit": "REVIEW|WAIT", "leaseMicroUsd": 0, "why": ...}
 * POST /api/v1/budgets/delete {"budgetId": ..., "why": ...}
 * </pre>
 */
public final class DlqHttpApi implements HttpHandler {

  public static final String PREFIX = "/api/v1/";
  private static final Logger log = LoggerFactory.getLogger(DlqHttpApi.class);
  private static final int MAX_BODY = 64 * 1024;

  private final DlqConsole console;
  private final BearerAuth auth;

  /**
   * Every writing action of this process takes it (the console's pages too): one transactional id.
   */
  private final Object writeLock;

  public DlqHttpApi(DlqConsole console, BearerAuth auth) {
    this.console = console;
    this.auth = auth;
    this.writeLock = console;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    Optional<BearerAuth.Principal> operator =
        auth.principal(ex.getRequestHeaders().getFirst("Authorization"));
    if (operator.isEmpty()) {
      boolean given = ex.getRequestHeaders().containsKey("Authorization");
      // the token itself is never logged: only whether one was sent
      log.warn(
          "Refused {} {} from {}: {} bearer token",
          method,
          path,
          ex.getRemoteAddress().getAddress().getHostAddress(),
          given ? "wrong or malformed" : "no");
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"agentyard-dlq\"");
      reply(ex, 401, error("a valid bearer token is required"));
      return;
    }
    String actor = "api:" + operator.get().name();
    try {
      List<String> parts = segments(path.substring(PREFIX.length()));
      Optional<String> needed = roleFor(method, parts);
      if (needed.isPresent() && !operator.get().may(needed.get())) {
        log.warn("Refused {} {} by {}: the {} role is required", method, path, actor, needed.get());
        reply(
            ex, 403, error("this needs the " + needed.get() + " role, which " + actor + " lacks"));
        return;
      }
      Map<String, String> q = OpsHttpServer.query(ex.getRequestURI());
      JsonNode body = method.equals("POST") ? body(ex) : Views.JSON.createObjectNode();
      JsonNode answer = dispatch(method, parts, q, body, actor);
      reply(ex, refusedDecision(answer) ? 409 : 200, answer);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      reply(ex, 400, error(e.getMessage()));
    } catch (NoSuchElementException e) {
      reply(ex, 404, error(e.getMessage()));
    } catch (UnsupportedOperationException e) {
      reply(ex, 405, error(e.getMessage()));
    } catch (RuntimeException e) {
      log.error("{} {} by {} failed", method, path, actor, e);
      reply(
          ex,
          500,
          error("internal error: " + e.getClass().getSimpleName() + " (see the server log)"));
    }
  }

  /**
   * The role a call needs: deciding or claiming review items needs a reviewer, replaying and
   * parking dead letters an operator; reading needs a valid token only.
   */
  public static Optional<String> roleFor(String method, List<String> parts) {
    if (!method.equals("POST") || parts.isEmpty()) {
      return Optional.empty();
    }
    return switch (parts.get(0)) {
      case "replays", "parks", "budgets" -> Optional.of(DlqConfig.OPERATOR);
      case "reviews" -> Optional.of(DlqConfig.REVIEWER);
      default -> Optional.empty();
    };
  }

  /**
   * A review decision the console refused (already decided, claimed elsewhere, a grant it cannot
   * issue): answered 409 Conflict, with the decision (and why) as the body.
   */
  private static boolean refusedDecision(JsonNode answer) {
    return answer.path("action").asText().startsWith("REVIEW_")
        && answer.path("outcome").asText().equals("REFUSED");
  }

  private JsonNode dispatch(
      String method, List<String> p, Map<String, String> q, JsonNode body, String actor) {
    String head = p.isEmpty() ? "" : p.get(0);
    switch (head) {
      case "dead-letters" -> {
        requireMethod(method, "GET");
        if (p.size() == 1) {
          int limit = Math.min(intParam(q, "limit", 50), 500);
          return Views.page(
              console
                  .browser()
                  .page(filter(q::get, "any"), limit, Optional.ofNullable(q.get("cursor"))),
              console.config()::traceLinkOf);
        }
        if (p.size() == 2 && p.get(1).equals("summary")) {
          return Views.summary(console.browser().summary(filter(q::get, "any")));
        }
        if (p.size() == 4) {
          return Views.inspection(
              console.inspect(
                  p.get(1) + "/" + p.get(2) + "/" + p.get(3),
                  Boolean.parseBoolean(q.getOrDefault("show-content", "false")),
                  actor),
              console.config()::traceLinkOf);
        }
      }
      case "replays" -> {
        requireMethod(method, "POST");
        Redrive.Request req =
            Redrive.Request.of(filter(k -> text(body, k), "any"), text(body, "why"))
                .to(text(body, "to"))
                .withDryRun(body.path("dryRun").asBoolean(true))
                .forced(body.path("force").asBoolean(false))
                .pacedAt(body.path("ratePerSecond").asInt(console.config().ratePerSecond()))
                .limitedTo(body.path("limit").asInt(0));
        synchronized (writeLock) {
          return Views.report(console.redrive().replay(req, actor, Redrive.Progress.NONE));
        }
      }
      case "parks" -> {
        requireMethod(method, "POST");
        Redrive.Request req =
            Redrive.Request.of(filter(k -> text(body, k), "any"), text(body, "why"))
                .forced(body.path("force").asBoolean(false))
                .pacedAt(body.path("ratePerSecond").asInt(console.config().ratePerSecond()))
                .limitedTo(body.path("limit").asInt(0));
        synchronized (writeLock) {
          return Views.report(console.redrive().park(req, actor, Redrive.Progress.NONE));
        }
      }
      case "budgets" -> {
        if (p.size() == 1 && method.equals("GET")) {
          return Views.budgets(console.budgets());
        }
        requireMethod(method, "POST");
        String id = text(body, "budgetId");
        if (id == null) {
          throw new IllegalArgumentException("budgetId is required");
        }
        synchronized (writeLock) {
          if (p.size() == 2 && p.get(1).equals("delete")) {
            console.deleteBudget(id, text(body, "why"), actor);
            return Views.JSON.createObjectNode().put("budgetId", id).put("deleted", true);
          }
          if (p.size() == 1) {
            return Views.budget(
                console.setBudget(
                    id,
                    body.path("limitMicroUsd").asLong(0),
                    dev.agentyard.avro.BudgetMode.valueOf(
                        body.path("mode").asText("LEASE").toUpperCase(java.util.Locale.ROOT)),
                    dev.agentyard.avro.BudgetAtLimit.valueOf(
                        body.path("atLimit").asText("REVIEW").toUpperCase(java.util.Locale.ROOT)),
                    body.path("leaseMicroUsd").asLong(0),
                    text(body, "why"),
                    actor));
          }
        }
      }
      case "reviews" -> {
        if (p.size() == 1) {
          requireMethod(method, "GET");
          return Views.reviews(
              console
                  .reviews()
                  .list(
                      new ReviewQueue.Filter(
                          q.getOrDefault("status", "open"),
                          Optional.ofNullable(q.get("reason")),
                          Optional.ofNullable(q.get("route")),
                          Optional.ofNullable(q.get("tenant")))),
              console.config()::traceLinkOf);
        }
        if (p.size() == 2) {
          requireMethod(method, "GET");
          return Views.review(
              console
                  .reviews()
                  .find(p.get(1))
                  .orElseThrow(() -> new NoSuchElementException("no review item " + p.get(1))),
              Boolean.parseBoolean(q.getOrDefault("show-content", "false")),
              console.config()::traceLinkOf);
        }
        if (p.size() == 3 && p.get(2).equals("claim")) {
          requireMethod(method, "POST");
          synchronized (writeLock) {
            return Views.decision(console.reviews().claim(p.get(1), actor));
          }
        }
        if (p.size() == 3 && (p.get(2).equals("approve") || p.get(2).equals("reject"))) {
          requireMethod(method, "POST");
          synchronized (writeLock) {
            return Views.decision(
                p.get(2).equals("approve")
                    ? console
                        .reviews()
                        .approve(
                            p.get(1),
                            actor,
                            text(body, "why"),
                            Optional.ofNullable(text(body, "route")))
                    : console.reviews().reject(p.get(1), actor, text(body, "why")));
          }
        }
      }
      case "audit" -> {
        requireMethod(method, "GET");
        var all = console.reviews().auditTrail();
        int limit = Math.min(intParam(q, "limit", 100), 1000);
        return Views.audit(all.subList(Math.max(0, all.size() - limit), all.size()));
      }
      default -> {}
    }
    throw new NoSuchElementException("no such resource: " + PREFIX + String.join("/", p));
  }

  /** A dead-letter filter from query parameters or body fields. */
  /** A dead-letter selection from request fields (the API's and the console's names). */
  public static DeadLetterFilter filter(Function<String, String> get, String defaultStatus) {
    String topics = get.apply("topic");
    return DeadLetterFilter.builder()
        .topics(
            topics == null || topics.isBlank()
                ? List.of()
                : Arrays.stream(topics.split(",")).map(String::strip).toList())
        .from(Optional.ofNullable(get.apply("from")).map(Instant::parse).orElse(null))
        .to(Optional.ofNullable(get.apply("to")).map(Instant::parse).orElse(null))
        .reason(get.apply("reason"))
        .errorClass(get.apply("error-class"))
        .route(get.apply("route"))
        .model(get.apply("model"))
        .taskId(get.apply("task"))
        .text(get.apply("text"))
        .status(Optional.ofNullable(get.apply("status")).orElse(defaultStatus))
        .build();
  }

  private static void requireMethod(String actual, String expected) {
    if (!actual.equals(expected)) {
      throw new UnsupportedOperationException("use " + expected);
    }
  }

  private static String text(JsonNode body, String key) {
    JsonNode v = body.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static int intParam(Map<String, String> q, String key, int dflt) {
    String v = q.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
    }
  }

  private static JsonNode body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new IllegalArgumentException("request body over " + MAX_BODY + " bytes");
      }
      if (bytes.length == 0) {
        return Views.JSON.createObjectNode();
      }
      try {
        return Views.JSON.readTree(bytes);
      } catch (IOException e) {
        throw new IllegalArgumentException("request body is not JSON");
      }
    }
  }

  private static List<String> segments(String rest) {
    List<String> out = new ArrayList<>();
    for (String s : rest.split("/")) {
      if (!s.isEmpty()) {
        out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static ObjectNode error(String message) {
    return Views.JSON.createObjectNode().put("error", message);
  }

  private void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
    console.metrics().http(status);
    OpsHttpServer.respond(
        ex,
        status,
        "application/json",
        Views.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
  }
}
