package dev.agentyard.dlq.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.agentyard.avro.AuditOutcome;
import dev.agentyard.avro.DlqAuditEvent;
import dev.agentyard.avro.InlineBytes;
import dev.agentyard.avro.InlineText;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.ReviewReason;
import dev.agentyard.dlq.DlqConfig;
import dev.agentyard.dlq.DlqConsole;
import dev.agentyard.dlq.http.BearerAuth;
import dev.agentyard.dlq.review.ReviewQueue;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The review console's pages (ADR 0021), served by the dlq-handler beside its API: sign-in with an
 * API token, the review queue with filters and ages, an item's page with the document, the proposal
 * in plain words, claiming and the approve / reject forms, and the audit trail. Every page is
 * rendered on the server from precompiled jte templates (escaped by context); every form is a POST
 * carrying the session's CSRF token and answered with a redirect. Decisions go through the same
 * {@link ReviewQueue} as the CLI and the API, audited as {@code console:<name>}.
 */
public final class ConsoleHttp implements HttpHandler {

  public static final String PREFIX = "/console/";
  static final String COOKIE = "agentyard_console";

  private static final Logger log = LoggerFactory.getLogger(ConsoleHttp.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DlqConsole console;
  private final BearerAuth auth;
  private final ConsoleSessions sessions;
  private final Clock clock;
  private final Duration ageTarget;
  private final boolean secureCookie;
  private final Object writeLock;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

  /**
   * @param writeLock the lock every writing action of this process takes (the API's too): one
   *     transactional id serves them all
   * @param ageTarget how long an item may wait before the queue marks it late
   * @param secureCookie whether the session cookie is {@code Secure} (the server is behind TLS)
   */
  public ConsoleHttp(
      DlqConsole console,
      BearerAuth auth,
      ConsoleSessions sessions,
      Clock clock,
      Duration ageTarget,
      boolean secureCookie,
      Object writeLock) {
    this.console = console;
    this.auth = auth;
    this.sessions = sessions;
    this.clock = clock;
    this.ageTarget = ageTarget;
    this.secureCookie = secureCookie;
    this.writeLock = writeLock;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    try {
      List<String> p = segments(path);
      if (p.equals(List.of("static", "console.css"))) {
        css(ex);
        return;
      }
      if (p.equals(List.of("sign-in"))) {
        signIn(ex, method);
        return;
      }
      Optional<ConsoleSessions.Session> session = sessions.find(cookie(ex));
      if (session.isEmpty()) {
        redirect(ex, PREFIX + "sign-in");
        return;
      }
      ConsoleSessions.Session s = session.get();
      Map<String, String> form = Map.of();
      if (method.equals("POST")) {
        form = form(ex);
        if (!sameToken(form.get("csrf"), s.csrf())) {
          log.warn(
              "Refused {} {} by console:{}: missing or wrong CSRF token", method, path, name(s));
          refused(
              ex,
              s,
              "The form's security token is missing or wrong, so nothing was done. Reload the page and try again.");
          return;
        }
        // the API's rule: reviews are decided by reviewers, replays and parks made by operators
        Optional<String> needed = dev.agentyard.dlq.http.DlqHttpApi.roleFor(method, p);
        if (needed.isPresent() && !s.principal().may(needed.get())) {
          log.warn(
              "Refused {} {} by {}: the {} role is required", method, path, actor(s), needed.get());
          refused(
              ex,
              s,
              "This needs the " + needed.get() + " role, which " + name(s) + " does not have.");
          return;
        }
      } else if (!method.equals("GET")) {
        page(
            ex,
            405,
            "message.jte",
            chrome(s, "Not allowed", ""),
            "text",
            method + " is not allowed here.");
        return;
      }
      route(ex, method, p, form, s);
    } catch (NoSuchElementException e) {
      page(ex, 404, "message.jte", Chrome.anonymous("Not found"), "text", e.getMessage());
    } catch (IllegalArgumentException e) {
      page(ex, 400, "message.jte", Chrome.anonymous("Not understood"), "text", e.getMessage());
    } catch (RuntimeException e) {
      log.error("{} {} failed", method, path, e);
      page(
          ex,
          500,
          "message.jte",
          Chrome.anonymous("Something went wrong"),
          "text",
          "The console failed ("
              + e.getClass().getSimpleName()
              + "); the server log has the details.");
    }
  }

  private void route(
      HttpExchange ex,
      String method,
      List<String> p,
      Map<String, String> form,
      ConsoleSessions.Session s)
      throws IOException {
    String head = p.isEmpty() ? "" : p.get(0);
    if (head.isEmpty()) {
      redirect(ex, PREFIX + "reviews");
    } else if (head.equals("sign-out") && method.equals("POST")) {
      sessions.close(s);
      ex.getResponseHeaders().add("Set-Cookie", cookieHeader("", 0));
      redirect(ex, PREFIX + "sign-in");
    } else if (head.equals("reviews") && p.size() == 1 && method.equals("GET")) {
      reviews(ex, s);
    } else if (head.equals("reviews") && p.size() == 2 && method.equals("GET")) {
      review(ex, s, p.get(1));
    } else if (head.equals("reviews")
        && p.size() == 3
        && p.get(2).equals("document")
        && method.equals("GET")) {
      documentFile(ex, s, p.get(1));
    } else if (head.equals("reviews") && p.size() == 3 && method.equals("POST")) {
      decide(ex, s, p.get(1), p.get(2), form);
    } else if (head.equals("audit") && p.size() == 1 && method.equals("GET")) {
      audit(ex, s);
    } else if (head.equals("dead-letters") && p.size() == 1 && method.equals("GET")) {
      deadLetters(ex, s);
    } else if (head.equals("dead-letters") && p.size() == 4 && method.equals("GET")) {
      deadLetter(ex, s, p.get(1) + "/" + p.get(2) + "/" + p.get(3));
    } else if ((head.equals("replays") || head.equals("parks")) && method.equals("POST")) {
      redrive(ex, s, p, form);
    } else {
      throw new NoSuchElementException("There is no such page.");
    }
  }

  private void signIn(HttpExchange ex, String method) throws IOException {
    if (method.equals("GET")) {
      page(ex, 200, "signin.jte", Chrome.anonymous("Sign in"));
      return;
    }
    if (!method.equals("POST")) {
      page(
          ex,
          405,
          "message.jte",
          Chrome.anonymous("Not allowed"),
          "text",
          method + " is not allowed here.");
      return;
    }
    Optional<BearerAuth.Principal> who = auth.principalOfToken(form(ex).get("token"));
    if (who.isEmpty()) {
      // the token itself is never logged
      log.warn(
          "Refused a console sign-in from {}: wrong token",
          ex.getRemoteAddress().getAddress().getHostAddress());
      Chrome c = new Chrome("Sign in", "", null, null, null, "That token is not valid.", "error");
      page(ex, 401, "signin.jte", c);
      return;
    }
    ConsoleSessions.Session s = sessions.open(who.get());
    log.info("console:{} signed in", who.get().name());
    ex.getResponseHeaders().add("Set-Cookie", cookieHeader(s.id, -1));
    redirect(ex, PREFIX + "reviews");
  }

  private void reviews(HttpExchange ex, ConsoleSessions.Session s) throws IOException {
    Map<String, String> q = dev.agentyard.runtime.http.OpsHttpServer.query(ex.getRequestURI());
    String state = q.getOrDefault("state", "open");
    String reason = q.getOrDefault("reason", "");
    String route = q.getOrDefault("route", "").strip();
    String tenant = q.getOrDefault("tenant", "").strip();
    String older = q.getOrDefault("older", "").strip();
    Duration olderThan = older.isEmpty() ? Duration.ZERO : Duration.ofHours(Long.parseLong(older));
    Instant now = clock.instant();
    List<ReviewRow> rows =
        console
            .reviews()
            .list(
                new ReviewQueue.Filter(
                    state,
                    Optional.of(reason).filter(r -> !r.isEmpty()),
                    Optional.of(route).filter(r -> !r.isEmpty()),
                    Optional.of(tenant).filter(t -> !t.isEmpty())))
            .stream()
            .filter(
                e -> !Duration.between(e.item().getCreatedAt(), now).minus(olderThan).isNegative())
            .map(e -> row(e, now, name(s)))
            .toList();
    ReviewFilter f =
        new ReviewFilter(
            state,
            reason,
            route,
            tenant,
            older,
            Arrays.stream(ReviewReason.values()).map(Enum::name).toList(),
            human(ageTarget));
    page(ex, 200, "reviews.jte", chrome(s, "Review queue", "reviews"), "filter", f, "rows", rows);
  }

  private ReviewRow row(ReviewQueue.Entry e, Instant now, String me) {
    ReviewItem i = e.item();
    Duration age = Duration.between(i.getCreatedAt(), now);
    return new ReviewRow(
        i.getReviewId(),
        i.getTaskId(),
        i.getReason().name(),
        or(i.getRoute(), "—"),
        or(i.getTenant(), "—"),
        human(age),
        e.open() && age.compareTo(ageTarget) > 0,
        usd(i.getCostSoFarMicroUsd()),
        state(e, now, me));
  }

  private static String or(String v, String otherwise) {
    return v == null || v.isBlank() ? otherwise : v;
  }

  private String state(ReviewQueue.Entry e, Instant now, String me) {
    if (!e.open()) {
      DlqAuditEvent d = e.decision().get();
      return (d.getAction().name().endsWith("APPROVE") ? "approved" : "rejected")
          + " by "
          + d.getActor();
    }
    return e.claimedAt(now)
        .map(c -> c.actor().equals(me) ? "claimed by you" : "claimed by " + c.actor())
        .orElse("open");
  }

  private ReviewQueue.Entry entry(String id) {
    return console
        .reviews()
        .find(id)
        .orElseThrow(() -> new NoSuchElementException("No review item " + id + "."));
  }

  private void review(HttpExchange ex, ConsoleSessions.Session s, String id) throws IOException {
    ReviewQueue.Entry e = entry(id);
    Instant now = clock.instant();
    ReviewItem i = e.item();
    Duration age = Duration.between(i.getCreatedAt(), now);
    String me = actor(s);
    Optional<ReviewQueue.Claim> claim = e.claimedAt(now);
    String proposal = null;
    String words = null;
    Map<String, String> args = new LinkedHashMap<>();
    if (i.getProposedAction() != null) {
      JsonNode p = readJson(i.getProposedAction());
      proposal = p.path("tool").asText("an action");
      p.path("input")
          .fields()
          .forEachRemaining(
              f ->
                  args.put(
                      f.getKey(),
                      f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()));
      words = inWords(proposal, args);
    }
    String document = i.getExtractedText();
    if (document == null
        && i.getTask() != null
        && i.getTask().getDocument().getContent() instanceof InlineText t) {
      document = t.getText();
    }
    String file =
        inlineFile(i)
            .map(
                f ->
                    (f.getMediaType().equals(PDF) ? "PDF" : f.getMediaType())
                        + ", "
                        + size(((InlineBytes) f.getContent()).getData().remaining()))
            .orElse(null);
    List<TaskResult> results = List.of();
    if (!e.open()) {
      // what came of the decision: the worker's result of an approved item, or the rejection
      // a task fanned out to several routes has a result per route: this item's leg is its route
      // (or, routed elsewhere by the decision, the run under its grant)
      results =
          console.resultsOf(i.getTaskId(), i.getCreatedAt()).stream()
              .filter(
                  r ->
                      i.getRoute() == null
                          || i.getRoute().equals(r.getRoute())
                          || r.getApprovalGrantId() != null)
              .map(
                  r ->
                      new TaskResult(
                          r.getStatus().name(),
                          r.getCompletedAt().toString(),
                          r.getRoute(),
                          r.getModel(),
                          usd(r.getCostMicroUsd()),
                          r.getApprovalGrantId(),
                          r.getApprovedBy(),
                          r.getOutput().length() <= 2_000
                              ? r.getOutput()
                              : r.getOutput().substring(0, 2_000) + " …"))
              .toList();
    }
    ReviewDetail d =
        new ReviewDetail(
            i.getReviewId(),
            i.getTaskId(),
            or(i.getTenant(), "—"),
            or(i.getRoute(), "none yet"),
            i.getReason().name(),
            i.getDetail(),
            i.getCreatedAt().toString(),
            human(age),
            e.open() && age.compareTo(ageTarget) > 0,
            usd(i.getCostSoFarMicroUsd()),
            e.traceId().orElse(null),
            e.traceId().flatMap(console.config()::traceLinkOf).orElse(null),
            state(e, now, me),
            e.open(),
            proposal,
            words,
            args,
            i.getModelOutput(),
            document,
            file != null
                ? "The router extracted no text from this file; open the file itself."
                : "The document is a file the router did not extract text from; open it from the document store.",
            file,
            claim
                .map(
                    c ->
                        (c.actor().equals(me) ? "Claimed by you" : "Claimed by " + c.actor())
                            + " until "
                            + c.until())
                .orElse(null),
            claim.isPresent() && !claim.get().actor().equals(me),
            results);
    page(ex, 200, "review.jte", chrome(s, "Review of " + i.getTaskId(), "reviews"), "item", d);
  }

  private static final String PDF = "application/pdf";

  /** The file a review item's task carried inline, when it is one a browser shows safely. */
  private static Optional<dev.agentyard.avro.Document> inlineFile(ReviewItem i) {
    return Optional.ofNullable(i.getTask())
        .map(t -> t.getDocument())
        .filter(d -> d.getContent() instanceof InlineBytes)
        .filter(d -> d.getMediaType().equals(PDF));
  }

  /**
   * The document file of a review item, for the browser's own PDF viewer: served as it arrived,
   * inline, never sniffed as anything else, with no script or plugin of the page allowed to run.
   * Who viewed it is logged (by name; never the content).
   */
  private void documentFile(HttpExchange ex, ConsoleSessions.Session s, String id)
      throws IOException {
    ReviewItem i = entry(id).item();
    dev.agentyard.avro.Document d =
        inlineFile(i)
            .orElseThrow(
                () ->
                    new NoSuchElementException(
                        "Review item " + id + " carries no PDF file to show."));
    java.nio.ByteBuffer data = ((InlineBytes) d.getContent()).getData().duplicate();
    byte[] body = new byte[data.remaining()];
    data.get(body);
    log.info("{} viewed the document file of review item {}", actor(s), id);
    ex.getResponseHeaders()
        .set(
            "Content-Disposition",
            "inline; filename=\"" + i.getTaskId().replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf\"");
    send(ex, 200, PDF, "default-src 'none'; frame-ancestors 'none'; base-uri 'none'", body);
  }

  private static String size(long bytes) {
    return bytes < 10_240 ? bytes + " bytes" : (bytes / 1024) + " KiB";
  }

  private void decide(
      HttpExchange ex,
      ConsoleSessions.Session s,
      String id,
      String action,
      Map<String, String> form)
      throws IOException {
    String why = form.getOrDefault("why", "").strip();
    ReviewQueue.Decision d;
    synchronized (writeLock) {
      d =
          switch (action) {
            case "claim" -> console.reviews().claim(id, actor(s));
            case "approve" -> {
              if (why.isEmpty()) {
                throw new IllegalArgumentException("An approval needs a reason.");
              }
              String route = form.getOrDefault("route", "").strip();
              yield console
                  .reviews()
                  .approve(id, actor(s), why, Optional.of(route).filter(r -> !r.isEmpty()));
            }
            case "reject" -> {
              if (why.isEmpty()) {
                throw new IllegalArgumentException(
                    "A rejection needs a reason: it is the task's final result.");
              }
              yield console.reviews().reject(id, actor(s), why);
            }
            default -> throw new NoSuchElementException("There is no such action.");
          };
    }
    s.flash(
        switch (d.outcome()) {
          case SUCCEEDED ->
              action.substring(0, 1).toUpperCase(Locale.ROOT)
                  + action.substring(1)
                  + ": done — "
                  + d.detail()
                  + " (audit "
                  + d.auditId()
                  + ")";
          default ->
              "Not done ("
                  + d.outcome().name().toLowerCase(Locale.ROOT)
                  + "): "
                  + d.detail()
                  + " (audit "
                  + d.auditId()
                  + ")";
        },
        d.outcome() == AuditOutcome.SUCCEEDED ? "ok" : "error");
    redirect(ex, PREFIX + "reviews/" + id);
  }

  private void audit(HttpExchange ex, ConsoleSessions.Session s) throws IOException {
    List<DlqAuditEvent> all = console.reviews().auditTrail();
    List<AuditRow> rows =
        all.subList(Math.max(0, all.size() - 200), all.size()).reversed().stream()
            .map(
                a ->
                    new AuditRow(
                        String.valueOf(a.getOccurredAt()),
                        a.getActor(),
                        a.getAction().name(),
                        a.getOutcome().name(),
                        or(a.getReason(), ""),
                        or(a.getDetail(), "")))
            .toList();
    page(ex, 200, "audit.jte", chrome(s, "Audit trail", "audit"), "rows", rows);
  }

  /** The fields a dead-letter selection is made of, as the pages carry them. */
  static final List<String> SELECTION = List.of("topic", "reason", "route", "task", "status");

  private static Map<String, String> selection(java.util.function.Function<String, String> get) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : SELECTION) {
      String v = get.apply(k);
      out.put(k, v == null ? (k.equals("status") ? "pending" : "") : v.strip());
    }
    return out;
  }

  private static dev.agentyard.dlq.inspect.DeadLetterFilter filterOf(Map<String, String> sel) {
    return dev.agentyard.dlq.http.DlqHttpApi.filter(
        k -> Optional.ofNullable(sel.get(k)).filter(v -> !v.isEmpty()).orElse(null), "pending");
  }

  private void deadLetters(HttpExchange ex, ConsoleSessions.Session s) throws IOException {
    Map<String, String> q = dev.agentyard.runtime.http.OpsHttpServer.query(ex.getRequestURI());
    Map<String, String> sel = selection(q::get);
    var filter = filterOf(sel);
    var summary = console.browser().summary(filter);
    List<DeadLetterRow> rows =
        console.browser().page(filter, 100, Optional.empty()).items().stream()
            .map(
                d ->
                    new DeadLetterRow(
                        d.coordinates(),
                        PREFIX + "dead-letters/" + d.coordinates(),
                        String.valueOf(d.timestamp()),
                        d.failure().reason(),
                        or(d.run().route(), "—"),
                        or(d.run().taskId(), "—"),
                        or(d.failure().errorClass(), "—"),
                        usd(d.run().costSpentMicroUsd())))
            .toList();
    DeadLetterView view =
        new DeadLetterView(
            sel,
            summary.total(),
            usd(summary.costSpentMicroUsd()),
            summary.byReason(),
            summary.byRoute(),
            summary.byHour(),
            rows,
            s.principal().may(DlqConfig.OPERATOR));
    page(ex, 200, "deadletters.jte", chrome(s, "Dead letters", "dead-letters"), "view", view);
  }

  private void deadLetter(HttpExchange ex, ConsoleSessions.Session s, String coordinates)
      throws IOException {
    var inspection = console.inspect(coordinates, false, actor(s));
    String json =
        JSON.writerWithDefaultPrettyPrinter()
            .writeValueAsString(
                dev.agentyard.dlq.Views.inspection(inspection, console.config()::traceLinkOf));
    page(
        ex,
        200,
        "deadletter.jte",
        chrome(s, "Dead letter " + coordinates, "dead-letters"),
        "json",
        json);
  }

  /** Replay preview (a dry run), replay and park (operators only: see handle), each audited. */
  private void redrive(
      HttpExchange ex, ConsoleSessions.Session s, List<String> p, Map<String, String> form)
      throws IOException {
    Map<String, String> sel = selection(form::get);
    String why = form.getOrDefault("why", "").strip();
    boolean preview = p.equals(List.of("replays", "preview"));
    if (!preview && why.isEmpty()) {
      throw new IllegalArgumentException("A replay or a park needs a reason.");
    }
    var req =
        dev.agentyard.dlq.replay.Redrive.Request.of(filterOf(sel), preview ? "preview" : why)
            .withDryRun(preview)
            .pacedAt(console.config().ratePerSecond());
    dev.agentyard.dlq.replay.Redrive.Report r;
    synchronized (writeLock) {
      r =
          p.get(0).equals("parks")
              ? console
                  .redrive()
                  .park(req, actor(s), dev.agentyard.dlq.replay.Redrive.Progress.NONE)
              : console
                  .redrive()
                  .replay(req, actor(s), dev.agentyard.dlq.replay.Redrive.Progress.NONE);
    }
    if (preview) {
      ReplayPreview view =
          new ReplayPreview(
              sel,
              r.selected(),
              r.accepted().stream()
                  .map(i -> i.coordinates() + " → " + i.target() + " (task " + i.taskId() + ")")
                  .toList(),
              r.refused().stream()
                  .map(i -> i.coordinates() + ": " + i.refusal().orElse("refused"))
                  .toList(),
              r.estimatedTokens()
                  + " tokens, "
                  + usd(r.estimatedCostMicroUsd())
                  + (r.withoutUsage() > 0
                      ? " (" + r.withoutUsage() + " never reached a model)"
                      : ""),
              r.auditId());
      page(ex, 200, "replay.jte", chrome(s, "Replay preview", "dead-letters"), "preview", view);
      return;
    }
    s.flash(
        (p.get(0).equals("parks") ? "Park" : "Replay")
            + ": "
            + r.outcome().name().toLowerCase(Locale.ROOT)
            + " — "
            + r.detail()
            + " (audit "
            + r.auditId()
            + ")",
        r.outcome() == AuditOutcome.SUCCEEDED ? "ok" : "error");
    redirect(ex, PREFIX + "dead-letters");
  }

  private void refused(HttpExchange ex, ConsoleSessions.Session s, String why) throws IOException {
    page(ex, 403, "message.jte", chrome(s, "Refused", ""), "text", why);
  }

  private Chrome chrome(ConsoleSessions.Session s, String title, String section) {
    String[] flash = s.takeFlash();
    return new Chrome(
        title,
        section,
        name(s),
        String.join(", ", s.principal().roles().stream().sorted().toList()),
        s.csrf(),
        flash[0],
        flash[1]);
  }

  private static String name(ConsoleSessions.Session s) {
    return s.principal().name();
  }

  private static String actor(ConsoleSessions.Session s) {
    return "console:" + s.principal().name();
  }

  /** The proposal as a reviewer reads it: the tool, then its arguments. */
  static String inWords(String tool, Map<String, String> args) {
    if (tool.equals("approve_loan")) {
      return "The agent proposes to record a "
          + args.getOrDefault("decision", "decision")
          + " decision on loan application "
          + args.getOrDefault("applicationId", "(no id given)")
          + (args.containsKey("amount") ? " for " + args.get("amount") : "")
          + (args.containsKey("rationale") ? ", because: " + args.get("rationale") : "")
          + ". This cannot be undone.";
    }
    return "The agent proposes to run "
        + tool
        + " with the arguments below. This cannot be undone.";
  }

  private void page(HttpExchange ex, int status, String template, Chrome chrome, Object... params)
      throws IOException {
    Map<String, Object> model = new HashMap<>();
    model.put("chrome", chrome);
    for (int k = 0; k + 1 < params.length; k += 2) {
      model.put((String) params[k], params[k + 1]);
    }
    StringOutput out = new StringOutput();
    templates.render(template, model, out);
    send(
        ex,
        status,
        "text/html; charset=utf-8",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        out.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends a body under a Content-Security-Policy, never sniffed as another type, never cached, and
   * with no referrer for any link it holds.
   */
  private static void send(HttpExchange ex, int status, String contentType, String csp, byte[] body)
      throws IOException {
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", contentType);
    h.set("Content-Security-Policy", csp);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  private static void redirect(HttpExchange ex, String to) throws IOException {
    ex.getResponseHeaders().set("Location", to);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(303, -1);
    ex.close();
  }

  private static void css(HttpExchange ex) throws IOException {
    try (InputStream in = ConsoleHttp.class.getResourceAsStream("/console/console.css")) {
      byte[] body = in.readAllBytes();
      ex.getResponseHeaders().set("Content-Type", "text/css; charset=utf-8");
      ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    }
  }

  private String cookieHeader(String value, int maxAge) {
    return COOKIE
        + "="
        + value
        + "; Path=/console; HttpOnly; SameSite=Strict"
        + (secureCookie ? "; Secure" : "")
        + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
  }

  private static String cookie(HttpExchange ex) {
    for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
      for (String part : header.split(";")) {
        String c = part.strip();
        if (c.startsWith(COOKIE + "=")) {
          return c.substring(COOKIE.length() + 1);
        }
      }
    }
    return null;
  }

  private static boolean sameToken(String given, String expected) {
    return given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> form(HttpExchange ex) throws IOException {
    byte[] raw = ex.getRequestBody().readNBytes(64 * 1024);
    Map<String, String> out = new HashMap<>();
    for (String pair : new String(raw, StandardCharsets.UTF_8).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private static List<String> segments(String path) {
    String rest = path.length() <= PREFIX.length() ? "" : path.substring(PREFIX.length());
    return Arrays.stream(rest.split("/"))
        .filter(x -> !x.isEmpty())
        .map(x -> URLDecoder.decode(x, StandardCharsets.UTF_8))
        .toList();
  }

  private static JsonNode readJson(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new IllegalArgumentException("The proposed action is not JSON.");
    }
  }

  static String human(Duration d) {
    long m = Math.max(0, d.toMinutes());
    if (m < 60) {
      return m + " min";
    }
    long h = m / 60;
    return h < 48 ? h + " h " + (m % 60) + " min" : (h / 24) + " days " + (h % 24) + " h";
  }

  private static String usd(long micro) {
    return String.format(Locale.ROOT, "$%.6f", micro / 1e6);
  }
}
