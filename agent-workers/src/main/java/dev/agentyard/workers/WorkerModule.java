package dev.agentyard.workers;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetReply;
import dev.agentyard.avro.BudgetRequest;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.RunJournalEntry;
import dev.agentyard.runtime.approval.ApprovalGrants;
import dev.agentyard.runtime.control.ControlState;
import dev.agentyard.runtime.deadletter.DeadLetterRecords;
import dev.agentyard.runtime.kafka.KafkaClients;
import dev.agentyard.runtime.kafka.TopicFollower;
import dev.agentyard.runtime.lifecycle.ServiceModule;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.workers.agent.AgentLoop;
import dev.agentyard.workers.agent.Approvals;
import dev.agentyard.workers.agent.BudgetGate;
import dev.agentyard.workers.budget.LedgerBudgets;
import dev.agentyard.workers.idempotency.CompletedTasks;
import dev.agentyard.workers.journal.RouteJournal;
import dev.agentyard.workers.provider.AnthropicClient;
import dev.agentyard.workers.provider.ModelClient;
import dev.agentyard.workers.provider.OpenAiClient;
import dev.agentyard.workers.resilience.ResilientModelCaller;
import dev.agentyard.workers.retry.RetryRouter;
import dev.agentyard.workers.tools.ToolRegistry;
import dev.agentyard.workers.tracing.AgentSpans;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the agent workers are assembled, in one place: their parts on top of {@link ServiceModule}'s
 * config, clients, clock and runner, each built on first use. {@link AgentWorkerApp} starts what
 * this builds; the evals build the agent's parts (model clients, caller) and the benchmarks a
 * route's processor. Nothing connects until a part that needs the cluster, the registry or a
 * provider is asked for.
 */
public class WorkerModule extends ServiceModule<WorkerConfig> {

  private static final Logger log = LoggerFactory.getLogger(WorkerModule.class);

  private WorkerMetrics metrics;
  private ControlState control;
  private CompletedTasks completed;
  private Approvals approvals;
  private Producer<byte[], byte[]> producer;
  private ExecutorService executor;
  private ScheduledExecutorService scheduler;
  private HttpClient httpClient;
  private ResilientModelCaller caller;
  private AgentLoop agentLoop;
  private AgentSpans agentSpans;
  private RetryRouter retries;
  private BudgetGate budgets;
  private Map<String, TopicFollower> endingFollowers;
  private final Map<String, RouteJournal> journals = new HashMap<>();
  private final Map<String, TaskProcessor> processors = new HashMap<>();

  public WorkerModule(WorkerConfig config, KafkaClients clients, Clock clock) {
    super(WorkerConfig.SERVICE, config, clients, clock);
  }

  public synchronized WorkerMetrics metrics() {
    if (metrics == null) {
      metrics = new WorkerMetrics(serviceMetrics().registry());
    }
    return metrics;
  }

  /** Kill switches and pauses in force, as far as {@link #controlFollower()} has read them. */
  public synchronized ControlState control() {
    if (control == null) {
      control = new ControlState(clock());
    }
    return control;
  }

  /** Tasks already ended per route, as far as the results and review followers have read them. */
  public synchronized CompletedTasks completed() {
    if (completed == null) {
      completed = new CompletedTasks(config().idempotencyMaxEntries());
    }
    return completed;
  }

  /**
   * Approval grants, and which were used, as far as the results and review followers have read
   * them.
   */
  public synchronized Approvals approvals() {
    if (approvals == null) {
      approvals =
          new Approvals(
              config().approvalKey().map(k -> ApprovalGrants.of(k, clock())),
              config().idempotencyMaxEntries());
    }
    return approvals;
  }

  /** Follows {@code agent.control.v1} into {@link #control()}; started. */
  public TopicFollower controlFollower() {
    return runner()
        .register(
            "control follower",
            control()
                .follower(
                    "control-follower",
                    clients()
                        .consumer(
                            "agentyard-workers-follower",
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer()),
                    serde(ControlCommand.class).deserializer())
                .start());
  }

  /**
   * The follower of every topic that ends a delivery of a task on this instance's routes — results,
   * the workers' review items, the routes' dead letters and delay topics — into {@link
   * #completed()} (and the used grants of {@link #approvals()}); one consumer and thread; started
   * on first call.
   */
  public synchronized Map<String, TopicFollower> endingFollowers() {
    if (endingFollowers == null) {
      Map<String, String> routeOf = new HashMap<>();
      for (String route : config().routes()) {
        routeOf.put(Topics.deadLetter(Topics.route(route)).name(), route);
        config().topicsOf(route).stream()
            .filter(t -> !t.equals(Topics.route(route).name()))
            .forEach(t -> routeOf.put(t, route));
      }
      List<String> topics = new ArrayList<>(List.of(Topics.RESULTS.name(), Topics.REVIEW.name()));
      topics.addAll(routeOf.keySet().stream().sorted().toList());
      var results = serde(AgentResult.class).deserializer();
      var reviews = serde(ReviewItem.class).deserializer();
      endingFollowers =
          Map.of(
              "endings",
              follow(
                  "endings",
                  topics,
                  r -> {
                    if (r.topic().equals(Topics.RESULTS.name())) {
                      AgentResult result =
                          r.value() == null
                              ? null
                              : results.deserialize(r.topic(), r.headers(), r.value());
                      if (result != null) {
                        completed()
                            .mark(
                                result.getRoute(), result.getTaskId(), CompletedTasks.Kind.RESULT);
                        if (result.getApprovalGrantId() != null) {
                          approvals().markUsed(result.getApprovalGrantId());
                        }
                      }
                    } else if (r.topic().equals(Topics.REVIEW.name())) {
                      ReviewItem item =
                          r.value() == null
                              ? null
                              : reviews.deserialize(r.topic(), r.headers(), r.value());
                      if (item != null && TaskProcessor.STAGE.equals(item.getStage())) {
                        completed()
                            .mark(item.getRoute(), item.getTaskId(), CompletedTasks.Kind.REVIEW);
                      }
                      if (item != null && item.getApprovalGrantId() != null) {
                        approvals().markUsed(item.getApprovalGrantId());
                      }
                    } else if (r.key() != null) {
                      String route = routeOf.get(r.topic());
                      String taskId = new String(r.key(), StandardCharsets.UTF_8);
                      if (Topics.isDeadLetter(r.topic())) {
                        completed().mark(route, taskId, CompletedTasks.Kind.DEAD_LETTER);
                      } else {
                        completed().markRetried(route, taskId, RetryRouter.attempts(r.headers()));
                      }
                    }
                  }));
    }
    return endingFollowers;
  }

  /**
   * Waits until the ending followers have read everything committed to their topics now; a route
   * consumer calls it before running tasks of partitions it was just assigned (ADR 0007).
   */
  public void syncEndings() {
    try {
      List<String> late = TopicFollower.syncAll(endingFollowers(), config().startupCatchUp());
      if (!late.isEmpty()) {
        throw new IllegalStateException(
            "could not read the "
                + late
                + " topics to their last stable offsets within "
                + config().startupCatchUp());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the task endings", e);
    }
  }

  /**
   * Checks that every served route has its run journal with as many partitions as the route topic
   * and its delay topics (a task's steps go to the partition with the index of its route partition,
   * ADR 0016); fails with what to create otherwise.
   */
  public void checkJournalTopics() {
    if (!config().journalEnabled()) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (String route : config().routes()) {
      names.add(Topics.journal(route).name());
      names.addAll(config().topicsOf(route));
    }
    Map<String, org.apache.kafka.clients.admin.TopicDescription> found;
    try (org.apache.kafka.clients.admin.Admin admin = clients().admin()) {
      var described = admin.describeTopics(names);
      try {
        found = described.allTopicNames().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicAuthorizationException) {
          // name every topic refused, not only the first
          Set<String> refused = new TreeSet<>();
          described
              .topicNameValues()
              .forEach(
                  (t, f) -> {
                    if (f.isCompletedExceptionally()) {
                      refused.add(t);
                    }
                  });
          throw new TopicAuthorizationException("not authorized to describe " + refused, refused);
        }
        throw e;
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot describe the route, delay and journal topics "
              + names
              + " (are they provisioned? deploy/k8s/topics.yaml lists them): "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    for (String route : config().routes()) {
      int journal = found.get(Topics.journal(route).name()).partitions().size();
      for (String t : config().topicsOf(route)) {
        int n = found.get(t).partitions().size();
        if (n != journal) {
          throw new IllegalStateException(
              t
                  + " has "
                  + n
                  + " partitions and its run journal "
                  + Topics.journal(route).name()
                  + " has "
                  + journal
                  + "; they must be equal (a task's steps live in the journal partition of its"
                  + " route partition)");
        }
      }
    }
  }

  /** The run journal of a route on this instance (ADR 0016). */
  public synchronized RouteJournal journal(String route) {
    return journals.computeIfAbsent(
        route,
        r ->
            runner()
                .register(
                    "journal " + r,
                    new RouteJournal(
                        r,
                        producer(),
                        clients()
                            .consumer(
                                "agentyard-workers-journal",
                                new ByteArrayDeserializer(),
                                new ByteArrayDeserializer()),
                        serde(RunJournalEntry.class).serializer(),
                        serde(RunJournalEntry.class).deserializer(),
                        config().startupCatchUp())));
  }

  private TopicFollower follow(
      String what, List<String> topics, Consumer<ConsumerRecord<byte[], byte[]>> apply) {
    return runner()
        .register(
            what + " follower",
            new TopicFollower(
                    what + "-follower",
                    clients()
                        .consumer(
                            "agentyard-workers-follower",
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer()),
                    topics,
                    config().idempotencyLookBack(),
                    r -> {
                      try {
                        apply.accept(r);
                      } catch (RuntimeException e) {
                        log.warn(
                            "Unreadable record in {} at {}@{}; ignored for de-duplication and approval bookkeeping",
                            r.topic(),
                            r.partition(),
                            r.offset());
                      }
                    })
                .start());
  }

  /**
   * The producer of usage events and journal steps (not transactional: they are written as calls
   * end, before a task's ending; the endings go in each route consumer's transactions).
   */
  public synchronized Producer<byte[], byte[]> producer() {
    if (producer == null) {
      producer =
          runner()
              .register(
                  "producer",
                  clients()
                      .producer(
                          "worker",
                          // a run waits for each journal step and usage event in turn (three per
                          // call): sent at once, not after the 5 ms linger of the other producers
                          Map.of(ProducerConfig.LINGER_MS_CONFIG, 0),
                          new ByteArraySerializer(),
                          new ByteArraySerializer()));
      serviceMetrics().bind(producer);
    }
    return producer;
  }

  /** Virtual threads for agent runs and provider HTTP calls. */
  public synchronized ExecutorService executor() {
    if (executor == null) {
      ExecutorService e = Executors.newVirtualThreadPerTaskExecutor();
      runner().register("agent executor", e::shutdownNow);
      executor = e;
    }
    return executor;
  }

  public synchronized ScheduledExecutorService scheduler() {
    if (scheduler == null) {
      ScheduledExecutorService s =
          Executors.newScheduledThreadPool(
              1, Thread.ofPlatform().name("worker-scheduler").daemon().factory());
      runner().register("scheduler", s::shutdownNow);
      scheduler = s;
    }
    return scheduler;
  }

  public synchronized HttpClient httpClient() {
    if (httpClient == null) {
      httpClient =
          runner()
              .register(
                  "http client",
                  HttpClient.newBuilder()
                      .version(
                          HttpClient.Version
                              .HTTP_1_1) // many parallel connections; no HTTP/2 stream limit as a
                      // hidden bound
                      .connectTimeout(Duration.ofSeconds(10))
                      .executor(executor())
                      .build());
    }
    return httpClient;
  }

  /** A client per configured provider, in its wire format. */
  public Map<String, ModelClient> modelClients() {
    Map<String, ModelClient> out = new HashMap<>();
    config()
        .providers()
        .forEach(
            (name, p) ->
                out.put(
                    name,
                    p.type().equals("anthropic")
                        ? new AnthropicClient(
                            p.baseUrl(),
                            p.apiKey(),
                            httpClient(),
                            p.timeout(),
                            p.stream(),
                            metrics().streams())
                        : new OpenAiClient(
                            name,
                            p.baseUrl(),
                            p.apiKey(),
                            httpClient(),
                            p.timeout(),
                            p.stream(),
                            p.maxTokensField(),
                            metrics().streams())));
    return out;
  }

  /**
   * The calling policy over every provider: breakers, rate limits, retries, fallbacks (meters
   * bound).
   */
  public synchronized ResilientModelCaller caller() {
    if (caller == null) {
      caller =
          new ResilientModelCaller(
              modelClients(),
              config().resilience(),
              scheduler(),
              clock(),
              metrics()::skipped,
              metrics()::paused);
      metrics().providers(config().providers().keySet());
      TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(caller.breakers())
          .bindTo(serviceMetrics().registry());
      TaggedRateLimiterMetrics.ofRateLimiterRegistry(caller.rateLimiters())
          .bindTo(serviceMetrics().registry());
    }
    return caller;
  }

  public synchronized AgentLoop agentLoop() {
    if (agentLoop == null) {
      agentLoop =
          new AgentLoop(
              caller(),
              ToolRegistry.loanTools(),
              config().prices(),
              control()::killed,
              AgentLoop.ToolListener.both(metrics()::tool, agentSpans()),
              approvals(),
              executor(),
              clock(),
              BudgetGate.pausable(budgets(), control()::tenantPaused));
    }
    return agentLoop;
  }

  /**
   * The budget ledger's gate (ADR 0023), following the budget definitions and this instance's
   * replies, started and caught up; {@link BudgetGate#NONE} when {@code worker.budget.enabled} is
   * false.
   */
  public synchronized BudgetGate budgets() {
    if (budgets == null) {
      if (!config().budgets().enabled()) {
        budgets = BudgetGate.NONE;
        return budgets;
      }
      String instance =
          config().stableInstance()
              ? config().instanceId()
              : "worker-" + java.util.UUID.randomUUID();
      LedgerBudgets ledger =
          runner()
              .register(
                  "budgets",
                  new LedgerBudgets(
                      instance,
                      config().budgets(),
                      clients()
                          .producer(
                              "budgets",
                              // a reservation is on the call's path: sent at once
                              Map.of(ProducerConfig.LINGER_MS_CONFIG, 0),
                              new StringSerializer(),
                              serde(BudgetRequest.class).serializer()),
                      clients()
                          .consumer(
                              "agentyard-workers-follower",
                              new ByteArrayDeserializer(),
                              new ByteArrayDeserializer()),
                      serde(BudgetDefinition.class).deserializer(),
                      clients()
                          .consumer(
                              "agentyard-workers-follower",
                              // a reply is on a call's path: the broker answers a read_committed
                              // fetch when the ledger's transaction commits, or only after
                              // fetch.max.wait.ms (500 ms by default) — measured, so kept short
                              Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                              new ByteArrayDeserializer(),
                              new ByteArrayDeserializer()),
                      serde(BudgetReply.class).deserializer(),
                      serviceMetrics().registry(),
                      executor(),
                      clock()));
      try {
        ledger.start(config().startupCatchUp());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading the budget definitions", e);
      }
      budgets = ledger;
    }
    return budgets;
  }

  public synchronized RetryRouter retries() {
    if (retries == null) {
      retries =
          new RetryRouter(
              config().retryDelays(),
              clock(),
              new DeadLetterRecords(WorkerConfig.SERVICE, clock()));
    }
    return retries;
  }

  /**
   * What handles a route's records: runs its agent and writes how each task ended. One per route.
   */
  public synchronized TaskProcessor processor(String route) {
    return processors.computeIfAbsent(
        route,
        r -> {
          var spec = config().specs().get(r);
          if (spec == null) {
            throw new IllegalArgumentException(
                "route " + r + " is not served (worker.routes=" + config().routes() + ")");
          }
          return new TaskProcessor(
              spec,
              agentLoop(),
              new TaskProcessor.Serdes(
                  serde(RoutedTask.class).deserializer(),
                  serde(AgentResult.class).serializer(),
                  serde(ReviewItem.class).serializer(),
                  serde(ModelUsage.class).serializer()),
              producer(),
              config().journalEnabled() ? journal(r) : null,
              this::syncEndings,
              completed(),
              retries(),
              metrics(),
              agentSpans(),
              clock());
        });
  }

  /** The spans of agent runs (ADR 0020); they record nothing unless an exporter is configured. */
  public synchronized AgentSpans agentSpans() {
    if (agentSpans == null) {
      agentSpans = new AgentSpans(tracing(), config().captureContent());
    }
    return agentSpans;
  }
}
