package dev.agentyard.evals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.avro.Document;
import dev.agentyard.avro.InlineBytes;
import dev.agentyard.avro.InlineText;
import dev.agentyard.avro.ReviewReason;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.router.RouterMetrics;
import dev.agentyard.router.RouterModule;
import dev.agentyard.router.content.DocumentException;
import dev.agentyard.router.content.DocumentLoader;
import dev.agentyard.router.content.LoadedDocument;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import dev.agentyard.router.guard.InjectionScreen;
import dev.agentyard.router.routing.RoutingDecision;
import dev.agentyard.router.routing.RoutingEngine;
import dev.agentyard.router.routing.TriageVerdict;
import dev.agentyard.runtime.control.ControlState;
import dev.agentyard.runtime.errors.SecretRedactor;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.workers.WorkerConfig;
import dev.agentyard.workers.WorkerModule;
import dev.agentyard.workers.agent.AgentLoop;
import dev.agentyard.workers.agent.AgentOutcome;
import dev.agentyard.workers.agent.AgentSpec;
import dev.agentyard.workers.agent.AgentTask;
import dev.agentyard.workers.agent.Approvals;
import dev.agentyard.workers.resilience.ResilientModelCaller;
import dev.agentyard.workers.tools.ToolRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs cases through the product's own code, without Kafka: the router's document loader, injection
 * screen, classifier and routing engine (with the triage model's verdict when the classifier is
 * unsure, as the router's triage loop does), and the workers' agent loop with their provider
 * clients, breakers, fallbacks, tools and output schemas. What Kafka adds (delivery, retries
 * through delay topics, exactly once) is the integration and reliability suites' business; here one
 * run is one task's decisions, as a model and the router make them.
 */
public final class Harness implements AutoCloseable {

  /** Tenant the eval tasks are billed to (it only appears in the provider's logs). */
  public static final String TENANT = "agentyard-evals";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RouterConfig routerConfig;
  private final WorkerConfig workerConfig;
  private final DocumentLoader loader;
  private final RoutingEngine engine;
  private final InjectionScreen screen = new InjectionScreen();
  private final WorkerModule workers;
  private final ExecutorService executor;
  private final HttpClient http;
  private final ResilientModelCaller caller;
  private final ToolRegistry tools = ToolRegistry.loanTools();
  private final Clock clock = Clock.systemUTC();
  private final Map<String, LabelledDocument> corpus;

  public Harness(RouterConfig routerConfig, WorkerConfig workerConfig) {
    this.routerConfig = routerConfig;
    this.workerConfig = workerConfig;
    // the workers' own assembly: their executor, HTTP client, provider clients and calling policy
    this.workers =
        new WorkerModule(workerConfig, new DefaultKafkaClients(workerConfig.kafka()), clock);
    this.executor = workers.executor();
    this.http = workers.httpClient();
    this.caller = workers.caller();
    this.loader = new DocumentLoader(routerConfig.limits(), http);
    this.engine =
        new RoutingEngine(
            routerConfig.routes(),
            new RouterModule(routerConfig, new DefaultKafkaClients(routerConfig.kafka()), clock)
                .classifier(),
            screen,
            new ControlState(clock),
            new RouterMetrics(new SimpleMeterRegistry()),
            clock);
    this.corpus =
        Corpus.bundled().stream()
            .collect(Collectors.toMap(LabelledDocument::id, Function.identity()));
  }

  /** The model chain per route, for the scorecard. */
  public Map<String, List<String>> modelChains() {
    return workerConfig.specs().entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e ->
                    e.getValue().models().stream()
                        .map(m -> m.provider() + ":" + m.model())
                        .toList(),
                (a, b) -> a,
                TreeMap::new));
  }

  /**
   * Runs every case {@code runs} times, at most {@code parallelism} runs at once; the observations
   * come back in case order, run 1 first.
   */
  public List<Observation> run(
      List<EvalCase> cases, int runs, int parallelism, Consumer<Observation> progress) {
    for (EvalCase c : cases) {
      if (c.kind() == EvalCase.Kind.BEHAVIOUR && !workerConfig.specs().containsKey(c.route())) {
        throw new IllegalArgumentException(
            c.source()
                + " ("
                + c.id()
                + "): route "
                + c.route()
                + " is not served by the workers' "
                + "configuration ("
                + workerConfig.specs().keySet()
                + ")");
      }
    }
    Semaphore slots = new Semaphore(parallelism);
    List<CompletableFuture<Observation>> all = new ArrayList<>();
    for (EvalCase c : cases) {
      for (int r = 1; r <= runs; r++) {
        int run = r;
        slots.acquireUninterruptibly();
        CompletableFuture<Observation> f =
            CompletableFuture.supplyAsync(() -> observe(c, run), executor)
                .thenCompose(Function.identity())
                .exceptionally(e -> failed(c, run, e))
                .whenComplete(
                    (o, e) -> {
                      slots.release();
                      if (o != null) {
                        progress.accept(o);
                      }
                    });
        all.add(f);
      }
    }
    return all.stream().map(CompletableFuture::join).toList();
  }

  /** One run of one case. */
  CompletableFuture<Observation> observe(EvalCase c, int run) {
    Recorder rec = new Recorder(c, run, System.nanoTime());
    TaskSubmitted task = task(c, run);
    LoadedDocument doc;
    try {
      doc = loader.load(task.getDocument());
    } catch (DocumentException e) {
      String rejected = "rejected:" + e.kind();
      return CompletableFuture.completedFuture(
          c.kind() == EvalCase.Kind.BEHAVIOUR
              ? rec.behaviour(rejected, null)
              : rec.routing(rejected, "", List.of()));
    }
    if (c.kind() == EvalCase.Kind.BEHAVIOUR) {
      AgentSpec spec = workerConfig.specs().get(c.route());
      return agent(spec, task, doc.text(), rec)
          .thenApply(outcome -> rec.behaviour(label(outcome), outcome));
    }
    List<String> rules =
        screen.screen(doc.text()).stream().map(InjectionScreen.Finding::rule).distinct().toList();
    RoutingDecision first = engine.route(task, doc, Optional.empty());
    String triage = routerConfig.routes().triageRoute();
    if (first instanceof RoutingDecision.Routed r && r.primary().getRoute().equals(triage)) {
      AgentSpec spec = workerConfig.specs().get(triage);
      if (spec == null) {
        return CompletableFuture.completedFuture(
            rec.routing("review:triage-not-served", "", rules));
      }
      return agent(spec.forTier(r.primary().getModelTier()), task, doc.text(), rec)
          .thenApply(
              outcome -> {
                if (!(outcome instanceof AgentOutcome.Completed done)) {
                  return rec.routing(label(outcome), "triage", rules);
                }
                Optional<TriageVerdict> verdict =
                    TriageVerdict.parse(
                        done.output().toString(),
                        outcome.stats().provider() + ":" + outcome.stats().model());
                RoutingDecision second =
                    verdict.isPresent()
                        ? engine.route(task, doc, verdict)
                        : engine.reviewOf(
                            task, null, null, ReviewReason.LOW_CONFIDENCE, "no readable verdict");
                return rec.routing(routing(second), "triage", rules);
              });
    }
    return CompletableFuture.completedFuture(
        rec.routing(
            routing(first), first instanceof RoutingDecision.Routed ? "classifier" : "", rules));
  }

  private CompletableFuture<AgentOutcome> agent(
      AgentSpec spec, TaskSubmitted t, String text, Recorder rec) {
    AgentLoop loop =
        new AgentLoop(
            caller,
            tools,
            workerConfig.prices(),
            (taskId, tenant, route) -> false,
            rec::tool,
            Approvals.none(),
            executor,
            clock);
    AgentTask task =
        new AgentTask(
            t.getTaskId(),
            t.getCorrelationId(),
            t.getTenant(),
            spec.route(),
            text,
            t.getMetadata(),
            0,
            0,
            0,
            0,
            0,
            null);
    return loop.run(
        spec,
        task,
        (agentTask, turn, call, cost, version) -> {
          rec.call(call.usage().total(), cost);
          return CompletableFuture.completedFuture(null);
        });
  }

  private static String routing(RoutingDecision d) {
    return switch (d) {
      case RoutingDecision.Routed r -> r.primary().getRoute();
      case RoutingDecision.Review v ->
          v.item().getReason() == ReviewReason.LOW_CONFIDENCE
              ? "none"
              : "review:" + v.item().getReason();
    };
  }

  private static String label(AgentOutcome o) {
    return switch (o) {
      case AgentOutcome.Completed c -> "completed";
      case AgentOutcome.NeedsReview r -> "review:" + r.reason();
      case AgentOutcome.Transient t -> "retry";
      case AgentOutcome.Failed f -> "dead-letter:" + f.reason();
    };
  }

  private static Observation failed(EvalCase c, int run, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return new Observation(
        c.id(),
        run,
        c.kind() == EvalCase.Kind.BEHAVIOUR ? null : "error",
        "",
        List.of(),
        c.kind() == EvalCase.Kind.BEHAVIOUR ? "error" : null,
        null,
        null,
        null,
        List.of(),
        List.of(),
        0,
        0,
        0,
        0,
        "",
        0,
        // a provider's error can quote the request: keys never reach the scorecard
        cause.getClass().getSimpleName()
            + ": "
            + SecretRedactor.redact(String.valueOf(cause.getMessage())));
  }

  TaskSubmitted task(EvalCase c, int run) {
    // the task id names the case and the run (not the eval's label), so a seeded simulator behaves
    // the same in every eval
    String taskId = c.id() + "#" + run;
    return TaskSubmitted.newBuilder()
        .setTaskId(taskId)
        .setCorrelationId("eval-" + c.id())
        .setTenant(TENANT)
        .setSubmittedAt(clock.instant())
        .setDocument(document(c, taskId))
        .setMetadata(c.metadata())
        .build();
  }

  private Document document(EvalCase c, String taskId) {
    EvalCase.DocumentSpec d = c.document();
    Document.Builder b = Document.newBuilder().setDocumentId(taskId);
    if (d.text() != null) {
      String text = d.repeat() == null ? d.text() : d.text().repeat(d.repeat());
      return b.setFilename(c.id() + ".txt")
          .setMediaType(d.mediaType() == null ? "text/plain" : d.mediaType())
          .setContent(InlineText.newBuilder().setText(text).build())
          .build();
    }
    byte[] bytes;
    String mediaType = d.mediaType();
    String name;
    if (d.corpus() != null) {
      LabelledDocument l = corpus.get(d.corpus());
      if (l == null) {
        throw new IllegalArgumentException(
            c.source() + ": the router's corpus has no document " + d.corpus());
      }
      bytes = l.bytes();
      mediaType = l.mediaType();
      name = l.fileName();
    } else if (d.base64() != null) {
      bytes = Base64.getDecoder().decode(d.base64());
      name = c.id();
    } else {
      try {
        bytes = Files.readAllBytes(Path.of(d.file()));
      } catch (IOException e) {
        throw new UncheckedIOException(
            c.source() + ": cannot read the case's document " + d.file(), e);
      }
      name = Path.of(d.file()).getFileName().toString();
    }
    if (mediaType == null) {
      mediaType = name.toLowerCase(Locale.ROOT).endsWith(".pdf") ? "application/pdf" : "text/plain";
    }
    b.setFilename(name).setMediaType(mediaType);
    return mediaType.startsWith("text/")
        ? b.setContent(
                InlineText.newBuilder().setText(new String(bytes, StandardCharsets.UTF_8)).build())
            .build()
        : b.setContent(InlineBytes.newBuilder().setData(ByteBuffer.wrap(bytes)).build()).build();
  }

  /** Collects what a run does as it happens. */
  private static final class Recorder {
    final EvalCase c;
    final int run;
    final long started;
    final List<String> executed = new ArrayList<>();
    final List<String> requested = new ArrayList<>();
    final AtomicInteger hallucinated = new AtomicInteger();
    final AtomicLong tokens = new AtomicLong();
    final AtomicLong cost = new AtomicLong();
    final AtomicInteger calls = new AtomicInteger();

    Recorder(EvalCase c, int run, long started) {
      this.c = c;
      this.run = run;
      this.started = started;
    }

    synchronized void tool(String route, String tool, String outcome) {
      requested.add(tool);
      switch (outcome) {
        case "ok", "error", "approved" -> executed.add(tool);
        case "hallucinated" -> hallucinated.incrementAndGet();
        default -> {}
      }
    }

    void call(long callTokens, long callCost) {
      tokens.addAndGet(callTokens);
      cost.addAndGet(callCost);
      calls.incrementAndGet();
    }

    long elapsedMs() {
      return (System.nanoTime() - started) / 1_000_000;
    }

    synchronized Observation routing(String routing, String routedBy, List<String> rules) {
      return new Observation(
          c.id(),
          run,
          routing,
          routedBy,
          rules,
          null,
          null,
          null,
          null,
          executed,
          requested,
          hallucinated.get(),
          tokens.get(),
          cost.get(),
          calls.get(),
          "",
          elapsedMs(),
          null);
    }

    synchronized Observation behaviour(String outcome, AgentOutcome o) {
      String answer =
          switch (o) {
            case null -> null;
            case AgentOutcome.Completed done -> done.output().toString();
            case AgentOutcome.NeedsReview r -> r.modelOutput();
            default -> null;
          };
      String model =
          o == null || o.stats().model().isEmpty()
              ? ""
              : o.stats().provider() + ":" + o.stats().model();
      return new Observation(
          c.id(),
          run,
          null,
          "",
          List.of(),
          outcome,
          o == null ? null : o.stats().stopReason().name(),
          answer,
          json(answer),
          executed,
          requested,
          hallucinated.get(),
          tokens.get(),
          cost.get(),
          calls.get(),
          model,
          elapsedMs(),
          null);
    }
  }

  static JsonNode json(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(text.strip());
      return n != null && (n.isObject() || n.isArray()) ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    workers.close();
  }
}
