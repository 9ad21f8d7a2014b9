package dev.agentyard.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.schemas.serde.AvroSerializer;
import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.simulator.Ledger;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a sample workload into a running stack, follows it until every task is accounted for
 * (or the timeout), and reports: tasks by outcome against what each should have become, results by
 * route, review items, dead letters, and the cost per route and model reconciled three ways — the
 * usage events, the cost aggregator's totals, and the provider simulator's own ledger.
 */
public final class StackRun {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Cost of one route and model in this run. */
  public record CostLine(
      String route, String model, long calls, long failedCalls, long tokens, long costMicroUsd) {}

  /**
   * What happened.
   *
   * @param published tasks published (poison pills included)
   * @param outcomes task id → outcome ("completed", "review", "dead letter"), only tasks that ended
   * @param unexpected task id → what it should have become and what it became
   * @param duplicates ends, routings or model calls seen more than once
   * @param resultsByRoute results per route (fan-out copies included)
   * @param reviewsByReason review items per reason and stage
   * @param deadLettersByReason dead letters per reason and topic
   * @param cost per route and model, from the usage events of this run's tasks
   * @param usageCostMicroUsd the sum of {@code cost}
   * @param aggregatorCostMicroUsd what the cost aggregator added to today's totals during the run,
   *     if it answered
   * @param ledgerCostMicroUsd what the simulator billed, when the simulator ran
   * @param ledgerCalls calls the simulator served, when it ran
   * @param fallbacks model calls that went to a fallback model
   * @param retries model calls that were a retry (attempt above 1)
   */
  public record Report(
      String runId,
      int applications,
      int published,
      Map<String, String> outcomes,
      Map<String, String> unexpected,
      int duplicates,
      Map<String, Long> resultsByRoute,
      Map<String, Long> reviewsByReason,
      Map<String, Long> deadLettersByReason,
      List<CostLine> cost,
      long usageCostMicroUsd,
      Optional<Long> aggregatorCostMicroUsd,
      Optional<Long> ledgerCostMicroUsd,
      Optional<Long> ledgerCalls,
      long modelCalls,
      long fallbacks,
      long retries,
      Duration took,
      Map<String, String> traces) {

    public long accounted() {
      return outcomes.size();
    }

    public Map<String, Long> byOutcome() {
      return outcomes.values().stream()
          .collect(Collectors.groupingBy(o -> o, TreeMap::new, Collectors.counting()));
    }

    public boolean allAccounted() {
      return accounted() == published;
    }
  }

  private StackRun() {}

  /** Publishes the workload, waits for it to be accounted for, and reports. */
  public static Report run(
      LocalStack stack, SampleWorkload workload, Duration timeout, Consumer<String> progress)
      throws Exception {
    LocalStack.Endpoints ep = stack.endpoints();
    long t0 = System.nanoTime();
    // the cost aggregator answers once its stores are restored: take its total before the first
    // task
    Optional<Long> costBefore =
        poll(() -> aggregatorTotal(ep.cost()), total -> true, Duration.ofSeconds(60));
    if (costBefore.isEmpty()) {
      progress.accept(
          "The cost aggregator's query API did not answer within 60 s; the summary will not include its totals");
    }
    Map<String, SampleWorkload.Expected> expected = workload.expectations();
    try (Scoreboard board =
        Scoreboard.start(
            ep.kafkaClient(), ep.registryClient(), stack.topics(), expected.keySet())) {
      publish(ep, workload);
      long pills = workload.submissions().stream().filter(sub -> sub.task().isEmpty()).count();
      progress.accept(
          String.format(
              Locale.ROOT,
              "Published %d tasks (%d loan applications, %d poison pills) to %s",
              workload.submissions().size(),
              workload.applications(),
              pills,
              Topics.TASKS.name()));
      long deadline = System.nanoTime() + timeout.toNanos();
      long lastAccounted = -1;
      long lastPrint = 0;
      while (System.nanoTime() < deadline) {
        Map<String, Scoreboard.TaskTrace> snap = board.snapshot();
        long accounted = snap.values().stream().filter(t -> t.outcome().isPresent()).count();
        if (accounted != lastAccounted
            || System.nanoTime() - lastPrint > Duration.ofSeconds(10).toNanos()) {
          progress.accept(progressLine(snap, expected.size()));
          lastAccounted = accounted;
          lastPrint = System.nanoTime();
        }
        if (accounted == expected.size()) {
          break;
        }
        if (board.failure().isPresent()) {
          throw new IllegalStateException(
              "the scoreboard stopped: " + board.failure().get(), board.failure().get());
        }
        Thread.sleep(1_000); // progress display cadence of a command-line run
      }
      Map<String, Scoreboard.TaskTrace> snap = board.snapshot();
      long usageTotal =
          snap.values().stream()
              .flatMap(t -> t.usage().stream())
              .mapToLong(ModelUsage::getCostMicroUsd)
              .sum();
      // the aggregator commits on its own cadence: give it a moment to catch up with the usage seen
      Optional<Long> aggregatorDelta =
          costBefore.isEmpty()
              ? Optional.empty()
              : poll(
                  () -> aggregatorTotal(ep.cost()).map(n -> n - costBefore.get()),
                  delta -> delta == usageTotal,
                  Duration.ofSeconds(30));
      return report(
          workload,
          snap,
          aggregatorDelta,
          stack.simulator().map(s -> s.ledger().totals()),
          System.nanoTime() - t0);
    }
  }

  /**
   * Reads until the value is there and {@code done}, or {@code max} has passed; returns the last
   * value read (empty if none was).
   */
  static <T> Optional<T> poll(Supplier<Optional<T>> read, Predicate<T> done, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    Optional<T> last = read.get();
    while (!(last.isPresent() && done.test(last.get())) && System.nanoTime() < deadline) {
      Thread.sleep(500); // polling another service's HTTP API
      last = read.get();
    }
    return last;
  }

  private static String progressLine(Map<String, Scoreboard.TaskTrace> snap, int total) {
    Map<String, Long> by =
        snap.values().stream()
            .map(Scoreboard.TaskTrace::outcome)
            .flatMap(Optional::stream)
            .collect(Collectors.groupingBy(o -> o, TreeMap::new, Collectors.counting()));
    long calls = snap.values().stream().mapToLong(t -> t.usage().size()).sum();
    long accounted = by.values().stream().mapToLong(Long::longValue).sum();
    return String.format(
        Locale.ROOT,
        "  %3d/%d accounted for %s · %d model calls so far",
        accounted,
        total,
        by,
        calls);
  }

  /**
   * A producer as an upstream system should configure one for tasks: every record acknowledged by
   * all in-sync replicas, no duplicates on retry, room for a document-sized record.
   *
   * @param client connection settings (bootstrap, security) and any overrides
   */
  public static KafkaProducer<byte[], byte[]> taskProducer(
      Map<String, Object> client, String clientId) {
    Map<String, Object> p = new HashMap<>(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.DOCUMENT_MAX_MESSAGE_BYTES);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static void publish(LocalStack.Endpoints ep, SampleWorkload workload) throws Exception {
    try (AvroSerializer<Object> serializer = new AvroSerializer<>();
        KafkaProducer<byte[], byte[]> producer =
            taskProducer(ep.kafkaClient(), "agentyard-sample-publisher")) {
      serializer.configure(ep.registryClient(), false);
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (SampleWorkload.Submission s : workload.submissions()) {
        byte[] value =
            s.task().isPresent()
                ? serializer.serialize(Topics.TASKS.name(), s.task().get())
                : s.raw();
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    Topics.TASKS.name(), s.taskId().getBytes(StandardCharsets.UTF_8), value)));
      }
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
    }
  }

  /** Today's total in the cost aggregator, or empty when it does not answer (yet). */
  static Optional<Long> aggregatorTotal(String costBaseUrl) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(costBaseUrl + "/cost/totals?dimension=route-model&period=day"))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode n = JSON.readTree(r.body());
      return Optional.of(n.path("totalCostMicroUsd").asLong());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  static Report report(
      SampleWorkload workload,
      Map<String, Scoreboard.TaskTrace> snap,
      Optional<Long> aggregatorDelta,
      Optional<Ledger.Totals> ledger,
      long nanos) {
    Map<String, String> outcomes = new TreeMap<>();
    Map<String, String> unexpected = new TreeMap<>();
    Map<String, Long> resultsByRoute = new TreeMap<>();
    Map<String, Long> reviews = new TreeMap<>();
    Map<String, Long> deadLetters = new TreeMap<>();
    Map<String, CostLine> cost = new TreeMap<>();
    int duplicates = 0;
    long calls = 0;
    long fallbacks = 0;
    long retries = 0;
    for (SampleWorkload.Submission s : workload.submissions()) {
      Scoreboard.TaskTrace t = snap.get(s.taskId());
      duplicates += t.duplicates();
      t.outcome().ifPresent(o -> outcomes.put(s.taskId(), o));
      String became = describe(t);
      if (!s.expected().accepts(became)) {
        unexpected.put(
            s.taskId(), s.kind() + ": expected " + s.expected().describe() + ", got " + became);
      }
      for (AgentResult r : t.results()) {
        resultsByRoute.merge(r.getRoute(), 1L, Long::sum);
      }
      for (ReviewItem r : t.reviews()) {
        reviews.merge(r.getReason() + " (" + r.getStage() + ")", 1L, Long::sum);
      }
      for (Scoreboard.DeadLetterSeen d : t.deadLetters()) {
        deadLetters.merge(d.reason() + " (" + d.topic() + ")", 1L, Long::sum);
      }
      for (ModelUsage u : t.usage()) {
        calls++;
        fallbacks += u.getFallback() ? 1 : 0;
        retries += u.getAttempt() > 1 ? 1 : 0;
        boolean failed = u.getOutcome() != CallOutcome.SUCCESS;
        cost.merge(
            u.getRoute() + "|" + u.getModel(),
            new CostLine(
                u.getRoute(),
                u.getModel(),
                1,
                failed ? 1 : 0,
                u.getInputTokens()
                    + u.getOutputTokens()
                    + u.getCacheReadTokens()
                    + u.getCacheWriteTokens(),
                u.getCostMicroUsd()),
            (a, b) ->
                new CostLine(
                    a.route(),
                    a.model(),
                    a.calls() + b.calls(),
                    a.failedCalls() + b.failedCalls(),
                    a.tokens() + b.tokens(),
                    a.costMicroUsd() + b.costMicroUsd()));
      }
    }
    long usageTotal = cost.values().stream().mapToLong(CostLine::costMicroUsd).sum();
    return new Report(
        workload.runId(),
        workload.applications(),
        workload.submissions().size(),
        outcomes,
        unexpected,
        duplicates,
        resultsByRoute,
        reviews,
        deadLetters,
        List.copyOf(cost.values()),
        usageTotal,
        aggregatorDelta,
        ledger.map(Ledger.Totals::costMicroUsd),
        ledger.map(Ledger.Totals::calls),
        calls,
        fallbacks,
        retries,
        Duration.ofNanos(nanos),
        traces(snap, workload.missingDocumentTasks()));
  }

  /**
   * Trace ids worth opening, by what they show: a task the classifier left to triage that a
   * specialist then completed, a task completed with tool calls on its first route, and a dead
   * letter (a replay continues its trace).
   */
  static Map<String, String> traces(
      Map<String, Scoreboard.TaskTrace> snapshot, java.util.Set<String> replayable) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (var e : snapshot.entrySet()) {
      Scoreboard.TaskTrace t = e.getValue();
      synchronized (t) {
        if (t.traceId().isEmpty()) {
          continue;
        }
        boolean triaged =
            t.legs.containsKey(Scoreboard.TRIAGE)
                && t.results().stream()
                    .anyMatch(
                        r ->
                            !r.getRoute().equals(Scoreboard.TRIAGE)
                                && r.getStatus().name().startsWith("COMPLETED"));
        boolean tools =
            !t.legs.containsKey(Scoreboard.TRIAGE)
                && t.results().stream()
                    .anyMatch(
                        r -> r.getToolCalls() >= 2 && r.getStatus().name().startsWith("COMPLETED"));
        boolean deadLettered = replayable.contains(e.getKey()) && !t.deadLetters.isEmpty();
        String kind =
            triaged
                ? "triage, then a specialist"
                : tools ? "routed, two tool calls" : deadLettered ? "dead letter, to replay" : null;
        if (kind != null && out.keySet().stream().noneMatch(k -> k.startsWith(kind))) {
          out.put(kind + " (" + e.getKey() + ")", t.traceId().get());
        }
      }
    }
    return out;
  }

  /** How a task ended, in the words of {@link SampleWorkload.Expected#describe()}. */
  public static String describe(Scoreboard.TaskTrace t) {
    Optional<String> o = t.outcome();
    if (o.isEmpty()) {
      return "not accounted for (still in flight)";
    }
    return switch (o.get()) {
      case "dead letter" -> "dead letter (" + t.deadLetters().get(0).reason() + ")";
      case "review" -> "review (" + t.reviews().get(0).getReason() + ")";
      default -> "completed";
    };
  }
}
