package dev.agentyard.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.dlq.DlqCli;
import dev.agentyard.runtime.deadletter.DeadLetterHeaders;
import dev.agentyard.runtime.deadletter.DeadLetterReason;
import dev.agentyard.schemas.serde.AvroDeserializer;
import dev.agentyard.schemas.serde.AvroSerializer;
import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.simulator.Ledger;
import dev.agentyard.stack.SampleWorkload;
import dev.agentyard.stack.Scoreboard;
import dev.agentyard.stack.StackRun;
import dev.agentyard.testing.TopicTail;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;

/**
 * One scenario's load and its invariants. Publishes the sample workload (loan applications with
 * their PDFs, an injection attempt, refusals, outages, poison pills) under tenants of this scenario
 * alone, captures every record the pipeline writes from now on ({@code read_committed}), and at the
 * end checks: every task ended exactly once; every dead letter carries its context headers and the
 * original bytes, and replays (once, through the dead-letter console) to exactly one new end; the
 * cost aggregator's totals for the scenario's tenants equal the usage events and the provider's
 * ledger call by call, to the micro-USD; no secret anywhere.
 */
final class ScenarioRun implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The headers every dead letter must carry, whatever failed. */
  static final List<String> CONTEXT_HEADERS =
      List.of(
          DeadLetterHeaders.REASON,
          DeadLetterHeaders.STAGE,
          DeadLetterHeaders.SERVICE,
          DeadLetterHeaders.ATTEMPTS,
          DeadLetterHeaders.FAILED_AT,
          DeadLetterHeaders.ORIGINAL_TOPIC,
          DeadLetterHeaders.ORIGINAL_PARTITION,
          DeadLetterHeaders.ORIGINAL_OFFSET,
          DeadLetterHeaders.ERROR_CLASS,
          DeadLetterHeaders.ERROR_MESSAGE,
          DeadLetterHeaders.SPRING_ORIGINAL_TOPIC,
          DeadLetterHeaders.SPRING_ORIGINAL_PARTITION,
          DeadLetterHeaders.SPRING_ORIGINAL_OFFSET,
          DeadLetterHeaders.SPRING_EXCEPTION_FQCN,
          DeadLetterHeaders.SPRING_EXCEPTION_MESSAGE,
          DeadLetterHeaders.CONNECT_TOPIC,
          DeadLetterHeaders.CONNECT_PARTITION,
          DeadLetterHeaders.CONNECT_OFFSET,
          DeadLetterHeaders.CONNECT_EXCEPTION_CLASS);

  private final Pipeline pipeline;
  private final SampleWorkload workload;
  private final List<String> tenants;
  private final Instant started = Instant.now();
  private final ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> captured =
      new ConcurrentLinkedQueue<>();

  /**
   * When each captured record became visible to a read_committed reader (test clock), by
   * topic/partition/offset.
   */
  private final Map<String, Long> seenAt = new ConcurrentHashMap<>();

  private final TopicTail tail;
  private final Scoreboard board;
  private final List<Violation> violations = new ArrayList<>();
  private final Map<String, String> notes = new LinkedHashMap<>();
  private Thread publisher;
  private volatile Throwable publishFailure;
  private Optional<Duration> recovery = Optional.empty();
  private int replayed;

  /**
   * A hostile record sent beside the workload; its key is followed like a task's and must end too.
   */
  record Extra(String topic, String key, byte[] value, String kind) {}

  /**
   * How the dead letters are replayed: runs the console with these arguments (and may interrupt and
   * resume it).
   */
  @FunctionalInterface
  interface Replayer {
    String replay(List<String> consoleArgs) throws Exception;
  }

  /** The console in this JVM, as on-call runs it. */
  static final Replayer IN_PROCESS =
      args -> {
        StringWriter out = new StringWriter();
        int code =
            new CommandLine(new DlqCli())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(out))
                .execute(args.toArray(String[]::new));
        if (code != 0) {
          throw new IllegalStateException("console exit " + code + ": " + out);
        }
        return out.toString();
      };

  /** One broken invariant. */
  record Violation(String invariant, String detail) {
    @Override
    public String toString() {
      return invariant + ": " + detail;
    }
  }

  private final List<Extra> extras;
  private final Map<String, String> endings = new HashMap<>();

  /**
   * How each task ended, once {@link #verify} ran, in the local stack's words ("completed", "review
   * (REASON)", ...).
   */
  Map<String, String> endings() {
    return endings;
  }

  private ScenarioRun(Pipeline pipeline, int applications, Function<String, List<Extra>> extras)
      throws InterruptedException {
    this.pipeline = pipeline;
    String id = pipeline.scenario() + "-" + Long.toString(System.nanoTime(), 36);
    this.tenants = List.of(id + "-t1", id + "-t2");
    this.workload = SampleWorkload.build(id, applications, pipeline.documents(), tenants);
    this.extras = extras.apply(id);
    Set<String> followed = new HashSet<>(workload.expectations().keySet());
    this.extras.forEach(e -> followed.add(e.key()));
    List<String> all = pipeline.topics().stream().map(TopicSpec::name).toList();
    this.tail =
        TopicTail.start(
            pipeline.kafka(),
            all,
            r -> {
              seenAt.put(
                  r.topic() + "/" + r.partition() + "/" + r.offset(), System.currentTimeMillis());
              captured.add(r);
            });
    this.board =
        Scoreboard.start(
            pipeline.kafka().clientProperties(),
            pipeline.registryClient(Map.of()),
            pipeline.topics(),
            followed);
  }

  static ScenarioRun begin(Pipeline pipeline, int applications) throws InterruptedException {
    return new ScenarioRun(pipeline, applications, id -> List.of());
  }

  /**
   * With hostile records (built from the run id, which keys must start with) sent after the
   * workload.
   */
  static ScenarioRun begin(
      Pipeline pipeline, int applications, Function<String, List<Extra>> extras)
      throws InterruptedException {
    return new ScenarioRun(pipeline, applications, extras);
  }

  List<String> tenants() {
    return tenants;
  }

  SampleWorkload workload() {
    return workload;
  }

  int tasks() {
    return workload.submissions().size() + extras.size();
  }

  /**
   * Publishes the workload in the background, evenly spread at {@code perSecond} tasks a second.
   */
  void publish(double perSecond) {
    publisher =
        Thread.ofPlatform()
            .name("publisher")
            .daemon()
            .start(
                () -> {
                  try {
                    publishAll(perSecond);
                  } catch (Throwable e) {
                    publishFailure = e;
                  }
                });
  }

  private void publishAll(double perSecond) throws Exception {
    Map<String, Object> p = new HashMap<>(pipeline.kafka().clientProperties());
    // keeps sending through a broker outage instead of failing the load
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    long gapNanos = (long) (1e9 / perSecond);
    try (AvroSerializer<Object> serializer = new AvroSerializer<>();
        KafkaProducer<byte[], byte[]> producer =
            StackRun.taskProducer(p, "reliability-publisher")) {
      serializer.configure(pipeline.registryClient(Map.of()), false);
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      long next = System.nanoTime();
      for (SampleWorkload.Submission s : workload.submissions()) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait); // pacing an open-loop load generator
        }
        next += gapNanos;
        byte[] value =
            s.task().isPresent()
                ? serializer.serialize(Topics.TASKS.name(), s.task().get())
                : s.raw();
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    Topics.TASKS.name(), s.taskId().getBytes(StandardCharsets.UTF_8), value)));
      }
      for (Extra e : extras) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    e.topic(), e.key().getBytes(StandardCharsets.UTF_8), e.value())));
      }
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
    }
  }

  /** Sends extra records (hostile input) to a topic, keyed. */
  void send(String topic, String key, byte[] value) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        StackRun.taskProducer(pipeline.kafka().clientProperties(), "reliability-hostile")) {
      producer
          .send(
              new ProducerRecord<>(
                  topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
          .get();
    }
  }

  /** Tasks that reached their end so far. */
  long accounted() {
    return board.snapshot().values().stream().filter(t -> t.outcome().isPresent()).count();
  }

  /** Waits until at least {@code n} tasks ended (to inject a fault mid-flow). */
  void awaitAccounted(long n, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (accounted() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + accounted() + " of " + n + " tasks ended within " + max);
      }
      TimeUnit.MILLISECONDS.sleep(100); // polling the scoreboard
    }
  }

  /**
   * After a fault ends: the time until the next record on one of {@code topics}, or empty when
   * every task ends without one. A record counts from when its producer stamped it ({@code
   * byProducerTime}: the workers stamp a result when they send it) or else from when it became
   * visible to a read_committed reader (a Streams service gives its output its input's timestamp);
   * either way, records written before the fault and read late do not count.
   */
  Optional<Duration> measureRecovery(
      Instant faultEnded, Set<String> topics, boolean byProducerTime, Duration max)
      throws InterruptedException {
    Set<String> watched = new HashSet<>(topics);
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      boolean allEnded = accounted() >= tasks();
      Optional<Long> first =
          captured.stream()
              .filter(r -> watched.contains(r.topic()))
              .map(
                  r ->
                      byProducerTime
                          ? Long.valueOf(r.timestamp())
                          : seenAt.get(r.topic() + "/" + r.partition() + "/" + r.offset()))
              .filter(t -> t != null && t >= faultEnded.toEpochMilli())
              .min(Long::compare);
      if (first.isPresent()) {
        recovery = Optional.of(Duration.ofMillis(first.get() - faultEnded.toEpochMilli()));
        return recovery;
      }
      if (allEnded) {
        note("recovery", "every task ended without a record on " + topics + " after the fault");
        return Optional.empty();
      }
      TimeUnit.MILLISECONDS.sleep(50); // polling the capture
    }
    note("recovery", "nothing written to " + topics + " within " + max + " of the fault's end");
    return Optional.empty();
  }

  /** Records a recovery time measured by the scenario itself. */
  void recovered(Duration d) {
    recovery = Optional.of(d);
  }

  void note(String key, String value) {
    notes.put(key, value);
  }

  /** Waits until every task has ended (or {@code max}); a task still open then is a violation. */
  void awaitAllAccounted(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (publishFailure != null) {
        throw new AssertionError("publishing failed", publishFailure);
      }
      if ((publisher == null || !publisher.isAlive()) && accounted() == tasks()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200); // polling the scoreboard
    }
  }

  /**
   * Checks every invariant, replaying the dead letters on the way; returns the scenario's row.
   * Violations are collected, not thrown, so the row shows them all; {@link Row#assertHeld()} fails
   * the test.
   */
  Row verify(String load, String faults, Duration timeout) throws Exception {
    return verify(load, faults, timeout, IN_PROCESS);
  }

  Row verify(String load, String faults, Duration timeout, Replayer replayer) throws Exception {
    awaitAllAccounted(timeout);
    Map<String, Scoreboard.TaskTrace> snap = board.snapshot();
    snap.forEach((id, t) -> endings.put(id, StackRun.describe(t)));
    int duplicates = checkEndedOnce(snap, "");
    List<ConsumerRecord<byte[], byte[]>> deadLetters = checkDeadLetters(snap);
    board.close(); // the replay ends tasks a second time, which is what it is for: followed by a
    // board of its own
    Instant replayStarted = Instant.now();
    duplicates += replay(deadLetters, timeout, replayer);
    long[] cost = reconcileCost(replayStarted);
    violations.addAll(scanSecrets());
    long accounted = snap.values().stream().filter(t -> t.outcome().isPresent()).count();
    return new Row(
        pipeline.scenario(),
        load,
        faults,
        tasks(),
        accounted,
        cost[0],
        cost[1],
        cost[2],
        cost[3],
        duplicates,
        replayed,
        recovery,
        List.copyOf(violations),
        Map.copyOf(notes));
  }

  /** What a task went through, for a broken invariant's message: legs, ends, results, calls. */
  private static String describe(Scoreboard.TaskTrace t) {
    StringBuilder b = new StringBuilder();
    synchronized (t) {
      b.append("routed ").append(t.legs()).append(", ends ").append(t.legEnds());
      if (t.duplicateUsage() > 0) {
        b.append(", ").append(t.duplicateUsage()).append(" usage events seen twice");
      }
      for (var r : t.results()) {
        b.append("; result on ")
            .append(r.getRoute())
            .append(" ")
            .append(r.getStartedAt())
            .append("..")
            .append(r.getCompletedAt())
            .append(" calls=")
            .append(r.getModelCalls());
      }
      for (var r : t.reviews()) {
        b.append("; review on ").append(r.getRoute()).append(" ").append(r.getReason());
      }
      for (var u : t.usage()) {
        b.append("; call ")
            .append(u.getRoute())
            .append(" turn ")
            .append(u.getTurn())
            .append("#")
            .append(u.getAttempt())
            .append(" ")
            .append(u.getOutcome())
            .append(" ")
            .append(u.getAttemptId(), 0, 8)
            .append(" at ")
            .append(u.getCompletedAt());
      }
    }
    return b.toString();
  }

  private int checkEndedOnce(Map<String, Scoreboard.TaskTrace> snap, String round) {
    int duplicates = 0;
    List<String> open = new ArrayList<>();
    for (var e : snap.entrySet()) {
      if (e.getValue().outcome().isEmpty()) {
        open.add(e.getKey() + " (routes " + e.getValue().legs() + ")");
      }
      int d = e.getValue().duplicates();
      if (d > 0) {
        violations.add(
            new Violation(
                "ended exactly once" + round,
                e.getKey() + " ended " + (d + 1) + " times: " + describe(e.getValue())));
      }
      duplicates += d;
    }
    if (!open.isEmpty()) {
      violations.add(
          new Violation(
              "every task ends" + round,
              open.size()
                  + " never ended: "
                  + open.stream().limit(5).collect(Collectors.joining(", "))));
    }
    return duplicates;
  }

  /**
   * The scenario's dead letters; each must carry its context and the original record's exact bytes.
   */
  private List<ConsumerRecord<byte[], byte[]>> checkDeadLetters(
      Map<String, Scoreboard.TaskTrace> snap) {
    Set<String> ours = snap.keySet();
    Map<String, ConsumerRecord<byte[], byte[]>> byPosition = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : captured) {
      byPosition.put(r.topic() + "/" + r.partition() + "/" + r.offset(), r);
    }
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : captured) {
      if (!Topics.isDeadLetter(r.topic())
          || r.key() == null
          || !ours.contains(new String(r.key(), StandardCharsets.UTF_8))) {
        continue;
      }
      out.add(r);
      String where = r.topic() + "/" + r.partition() + "/" + r.offset();
      List<String> missing =
          CONTEXT_HEADERS.stream().filter(h -> r.headers().lastHeader(h) == null).toList();
      if (!missing.isEmpty()) {
        violations.add(new Violation("dead letters carry context", where + " lacks " + missing));
        continue;
      }
      String reason = header(r, DeadLetterHeaders.REASON);
      boolean decoded =
          !reason.equals(DeadLetterReason.DESERIALIZATION_FAILED.name())
              && !reason.equals(DeadLetterReason.UNKNOWN_SCHEMA.name());
      if (decoded
          && (r.headers().lastHeader(DeadLetterHeaders.TASK_ID) == null
              || r.headers().lastHeader(DeadLetterHeaders.TRACE_ID) == null)) {
        violations.add(
            new Violation(
                "dead letters carry context",
                where + " (" + reason + ") lacks the task or trace id"));
      }
      String original =
          header(r, DeadLetterHeaders.ORIGINAL_TOPIC)
              + "/"
              + header(r, DeadLetterHeaders.ORIGINAL_PARTITION)
              + "/"
              + header(r, DeadLetterHeaders.ORIGINAL_OFFSET);
      ConsumerRecord<byte[], byte[]> source = byPosition.get(original);
      if (source != null && !Arrays.equals(source.value(), r.value())) {
        violations.add(
            new Violation(
                "dead letters keep the original bytes", where + " differs from " + original));
      }
    }
    return out;
  }

  /**
   * Replays every dead letter of the scenario once with the console (after restoring the missing
   * document), and checks each replayed task ends exactly once more.
   */
  private int replay(
      List<ConsumerRecord<byte[], byte[]>> deadLetters, Duration timeout, Replayer replayer)
      throws Exception {
    if (deadLetters.isEmpty()) {
      return 0;
    }
    workload.restoreMissingDocuments();
    Set<String> keys =
        deadLetters.stream()
            .map(r -> new String(r.key(), StandardCharsets.UTF_8))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> topics =
        deadLetters.stream()
            .map(ConsumerRecord::topic)
            .collect(Collectors.toCollection(TreeSet::new));
    Instant windowStart = started.minusSeconds(5);
    try (Scoreboard second =
        Scoreboard.start(
            pipeline.kafka().clientProperties(),
            pipeline.registryClient(Map.of()),
            pipeline.topics(),
            keys)) {
      // one console run for the whole scenario, as on-call would: everything dead-lettered since it
      // began
      List<String> args = new ArrayList<>(pipeline.consoleOptions());
      args.addAll(
          List.of(
              "--operator",
              "reliability",
              "replay",
              "--topic",
              String.join(",", topics),
              "--since",
              windowStart.toString(),
              "--until",
              Instant.now().toString(),
              "--execute",
              "--rate",
              "500",
              "--why",
              "reliability suite: replay"));
      try {
        String out = replayer.replay(args);
        // a dead letter keeps its record's timestamp, which for an event can be its own (absurd)
        // event time: those are
        // outside the window and are replayed by task id
        for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
          if (r.timestamp() < windowStart.toEpochMilli()) {
            List<String> one = new ArrayList<>(pipeline.consoleOptions());
            one.addAll(
                List.of(
                    "--operator",
                    "reliability",
                    "replay",
                    "--topic",
                    r.topic(),
                    "--task",
                    new String(r.key(), StandardCharsets.UTF_8),
                    "--execute",
                    "--why",
                    "reliability suite: replay (event time outside the window)"));
            out += IN_PROCESS.replay(one);
          }
        }
        note(
            "replay",
            out.lines()
                .filter(l -> l.contains("selected") || l.contains("SUCCEEDED"))
                .map(String::trim)
                .collect(Collectors.joining("; ")));
      } catch (Exception e) {
        violations.add(new Violation("dead letters replay", e.getMessage()));
      }
      replayed = keys.size();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline
          && second.snapshot().values().stream().anyMatch(t -> t.outcome().isEmpty())) {
        TimeUnit.MILLISECONDS.sleep(200); // polling the scoreboard
      }
      Map<String, Scoreboard.TaskTrace> snap = second.snapshot();
      // a replayed copy runs once, so it ends once more: a result, a review item or (again) a dead
      // letter
      return checkEndedOnce(snap, " after replay");
    }
  }

  /**
   * Usage events ↔ provider ledger call by call (by the request id each call carried), and the cost
   * aggregator's totals for the scenario's tenants ↔ the confirmed usage events. A call whose
   * worker died before recording it must have an UNCONFIRMED usage event with its estimate (spend
   * explained); a provider call with no usage event at all is unexplained spend. Returns {ledger
   * cost, aggregator − ledger (confirmed), calls re-sent for a turn already answered, unexplained
   * µUSD}.
   */
  private long[] reconcileCost(Instant replayStarted) throws Exception {
    Map<String, ModelUsage> usageById = new HashMap<>();
    Set<String> foreign = new HashSet<>();
    Set<String> ourTasks = workload.expectations().keySet();
    try (AvroDeserializer<Object> avro = new AvroDeserializer<>()) {
      avro.configure(pipeline.registryClient(Map.of("specific.avro.reader", true)), false);
      for (ConsumerRecord<byte[], byte[]> r : captured) {
        if (r.topic().equals(Topics.USAGE.name())
            && avro.deserialize(r.topic(), r.headers(), r.value()) instanceof ModelUsage u) {
          if (ourTasks.contains(u.getTaskId())) {
            ModelUsage before = usageById.get(u.getAttemptId());
            if (before == null) {
              usageById.put(u.getAttemptId(), u);
            } else if (before.equals(u)) {
              // written again by a run resumed after its worker died between the call's journaled
              // end and its usage event: the cost aggregator keeps one per attempt id
              note("usage events written again by a resumed run", u.getAttemptId());
            } else if (before.getOutcome() == CallOutcome.UNCONFIRMED
                || u.getOutcome() == CallOutcome.UNCONFIRMED) {
              // recorded, and settled as unconfirmed by a resumed run that did not see the record
              // (the worker died between the usage event and its journal step): the confirmed one
              // counts, as in the cost aggregator (first by attempt id)
              if (before.getOutcome() == CallOutcome.UNCONFIRMED) {
                usageById.put(u.getAttemptId(), u);
              }
              note("calls both recorded and settled as unconfirmed", u.getAttemptId());
            } else {
              violations.add(
                  new Violation(
                      "one usage event per call", "attempt " + u.getAttemptId() + " twice"));
            }
          } else {
            foreign.add(u.getAttemptId());
          }
        }
      }
    }
    long ledgerCost = 0;
    long unexplainedCost = 0;
    int unexplained = 0;
    int unconfirmedBilled = 0;
    long unconfirmedBilledCost = 0;
    Set<String> matched = new HashSet<>();
    for (Ledger.Entry e : pipeline.simulator().ledger().entries()) {
      if (e.requestId() != null && foreign.contains(e.requestId())) {
        continue; // a call for another scenario's task (left in flight by a failed scenario)
      }
      ledgerCost += e.costMicroUsd();
      ModelUsage u = e.requestId() == null ? null : usageById.get(e.requestId());
      if (u == null) {
        violations.add(
            new Violation(
                "every call billed",
                "provider call "
                    + e.sequence()
                    + " at "
                    + e.at()
                    + " ("
                    + e.model()
                    + ", "
                    + e.outcome()
                    + ", "
                    + e.costMicroUsd()
                    + " µUSD, request "
                    + e.requestId()
                    + ") has no usage event; in the whole topic: "
                    + findUsage(e.requestId())));
        unexplained++;
        unexplainedCost += e.costMicroUsd();
        continue;
      }
      matched.add(e.requestId());
      if (u.getOutcome() == CallOutcome.UNCONFIRMED) {
        // explained: the provider answered a worker that died; the estimate must cover the bill
        unconfirmedBilled++;
        unconfirmedBilledCost += e.costMicroUsd();
        if (u.getCostMicroUsd() < e.costMicroUsd()) {
          violations.add(
              new Violation(
                  "an unconfirmed call's estimate covers its bill",
                  "attempt "
                      + e.requestId()
                      + ": estimate "
                      + u.getCostMicroUsd()
                      + " µUSD < billed "
                      + e.costMicroUsd()));
        }
        continue;
      }
      if (u.getCostMicroUsd() != e.costMicroUsd()
          || u.getInputTokens() != e.inputTokens()
          || u.getOutputTokens() != e.outputTokens()
          || u.getCacheReadTokens() != e.cacheReadTokens()
          || u.getCacheWriteTokens() != e.cacheWriteTokens()) {
        violations.add(
            new Violation(
                "usage equals the provider's bill",
                "attempt "
                    + e.requestId()
                    + String.format(
                        java.util.Locale.ROOT,
                        ": usage %s%s in/out/cache-read/cache-write %d/%d/%d/%d, %d µUSD"
                            + " vs ledger %s %d/%d/%d/%d, %d µUSD",
                        u.getOutcome(),
                        u.getUsageEstimated() ? " (estimated)" : "",
                        u.getInputTokens(),
                        u.getOutputTokens(),
                        u.getCacheReadTokens(),
                        u.getCacheWriteTokens(),
                        u.getCostMicroUsd(),
                        e.outcome(),
                        e.inputTokens(),
                        e.outputTokens(),
                        e.cacheReadTokens(),
                        e.cacheWriteTokens(),
                        e.costMicroUsd())));
      }
    }
    long confirmedCost = 0;
    long unconfirmed = 0;
    long unconfirmedEstimate = 0;
    for (ModelUsage u : usageById.values()) {
      if (u.getOutcome() == CallOutcome.UNCONFIRMED) {
        unconfirmed++;
        unconfirmedEstimate += u.getCostMicroUsd();
        continue; // possibly billed: the provider's books say whether it was
      }
      confirmedCost += u.getCostMicroUsd();
      if (!matched.contains(u.getAttemptId()) && u.getCostMicroUsd() != 0) {
        violations.add(
            new Violation(
                "nothing billed the provider did not bill",
                "usage "
                    + u.getAttemptId()
                    + " costs "
                    + u.getCostMicroUsd()
                    + " µUSD but the provider has no such call"));
      }
    }
    if (unconfirmed > 0) {
      note(
          "calls in flight when a worker died (UNCONFIRMED usage events)",
          unconfirmed
              + ", estimated "
              + unconfirmedEstimate
              + " µUSD; "
              + unconfirmedBilled
              + " of them reached the provider, billed "
              + unconfirmedBilledCost
              + " µUSD");
    }
    if (unexplained > 0) {
      note("provider calls without a usage event", unexplained + " (" + unexplainedCost + " µUSD)");
    }
    long resent = resentCalls(usageById.values(), replayStarted);
    if (resent > 0) {
      violations.add(
          new Violation(
              "no answered turn asked again", resent + " calls repeated a turn already answered"));
    }
    Set<LocalDate> days =
        usageById.values().stream()
            .map(u -> LocalDate.ofInstant(u.getCompletedAt(), ZoneOffset.UTC))
            .collect(Collectors.toCollection(TreeSet::new));
    long aggregated = aggregatorTotal(days, confirmedCost, Duration.ofSeconds(60));
    if (aggregated != confirmedCost) {
      violations.add(
          new Violation(
              "cost aggregator equals usage",
              "aggregator " + aggregated + " µUSD vs confirmed usage events " + confirmedCost));
    }
    note(
        "model calls",
        usageById.size()
            + " usage events, "
            + (usageById.size() + unexplained)
            + " provider calls");
    return new long[] {
      ledgerCost, aggregated - ledgerCost + unconfirmedBilledCost, resent, unexplainedCost
    };
  }

  /**
   * Calls that asked a turn again after it had been answered and recorded: per route, task and
   * turn, the answered (confirmed) calls beyond one, before the operator's replay (which runs a
   * task afresh on purpose).
   */
  private static long resentCalls(Collection<ModelUsage> usage, Instant replayStarted) {
    Map<String, Long> answered =
        usage.stream()
            .filter(
                u ->
                    u.getOutcome() == CallOutcome.SUCCESS
                        || u.getOutcome() == CallOutcome.CONTENT_REFUSAL)
            .filter(u -> u.getCompletedAt().isBefore(replayStarted))
            .collect(
                Collectors.groupingBy(
                    u -> u.getRoute() + "/" + u.getTaskId() + "/" + u.getTurn(),
                    Collectors.counting()));
    return answered.values().stream().mapToLong(n -> Math.max(0, n - 1)).sum();
  }

  /**
   * Looks for a usage event by attempt id in the whole usage topic, committed or not (diagnosis of
   * a broken invariant).
   */
  private String findUsage(String attemptId) {
    Map<String, Object> c = new HashMap<>(pipeline.kafka().clientProperties());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    try (var consumer =
            new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        AvroDeserializer<Object> avro = new AvroDeserializer<>()) {
      avro.configure(pipeline.registryClient(Map.of("specific.avro.reader", true)), false);
      var parts =
          consumer.partitionsFor(Topics.USAGE.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline
          && parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (avro.deserialize(r.topic(), r.headers(), r.value()) instanceof ModelUsage u
              && attemptId != null
              && attemptId.equals(u.getAttemptId())) {
            return "found at "
                + r.partition()
                + "/"
                + r.offset()
                + " (task "
                + u.getTaskId()
                + ", tenant "
                + u.getTenant()
                + ", captured "
                + captured.stream()
                    .anyMatch(
                        x ->
                            x.topic().equals(r.topic())
                                && x.partition() == r.partition()
                                && x.offset() == r.offset())
                + ")";
          }
        }
      }
      return "not there";
    } catch (RuntimeException e) {
      return "cannot tell: " + e;
    }
  }

  /**
   * The aggregator's day totals for this scenario's tenants, read until they equal {@code expected}
   * or {@code max} passed.
   */
  private long aggregatorTotal(Set<LocalDate> days, long expected, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    long total = -1;
    while (System.nanoTime() < deadline) {
      total = 0;
      for (LocalDate day : days) {
        Optional<JsonNode> body =
            pipeline
                .cost()
                .get("/cost/totals?dimension=tenant&period=day&at=" + day + "T12:00:00Z")
                .filter(r -> r.statusCode() == 200)
                .map(
                    r -> {
                      try {
                        return JSON.readTree(r.body());
                      } catch (IOException e) {
                        return null;
                      }
                    });
        if (body.isEmpty()) {
          total = -1;
          break;
        }
        for (JsonNode item : body.get().path("items")) {
          if (tenants.contains(item.path("tenant").asText())) {
            total += item.path("costMicroUsd").asLong();
          }
        }
      }
      if (total == expected) {
        return total;
      }
      TimeUnit.MILLISECONDS.sleep(500); // polling the aggregator's HTTP API
    }
    return total;
  }

  /**
   * Every place a secret of the scenario appears: log lines, records (key, value, headers), metric
   * labels.
   */
  List<Violation> scanSecrets() throws IOException {
    List<Violation> found = new ArrayList<>();
    Map<String, byte[]> needles = new LinkedHashMap<>();
    pipeline
        .secrets()
        .forEach(
            (name, value) -> {
              needles.put(name, value.getBytes(StandardCharsets.UTF_8));
              // a fragment too: a leak may be cut or wrapped
              needles.put(
                  name + " (fragment)",
                  value
                      .substring(value.length() / 2 - 8, value.length() / 2 + 8)
                      .getBytes(StandardCharsets.UTF_8));
            });
    int scanned = 0;
    for (Path log : pipeline.logs()) {
      if (Files.exists(log)) {
        find(needles, Files.readAllBytes(log), "log " + log.getFileName(), found);
        scanned++;
      }
    }
    for (ConsumerRecord<byte[], byte[]> r : captured) {
      String where = "record " + r.topic() + "/" + r.partition() + "/" + r.offset();
      if (r.key() != null) {
        find(needles, r.key(), where + " key", found);
      }
      if (r.value() != null) {
        find(needles, r.value(), where + " value", found);
      }
      for (Header h : r.headers()) {
        find(needles, h.key().getBytes(StandardCharsets.UTF_8), where + " header name", found);
        if (h.value() != null) {
          find(needles, h.value(), where + " header " + h.key(), found);
        }
      }
    }
    for (Service s : pipeline.services()) {
      if (s.isAlive()) {
        s.get("/metrics")
            .ifPresent(
                m ->
                    find(
                        needles,
                        m.body().getBytes(StandardCharsets.UTF_8),
                        "metrics of " + s.name(),
                        found));
      }
    }
    note(
        "secret scan",
        scanned
            + " logs, "
            + captured.size()
            + " records, metrics of "
            + pipeline.services().stream().filter(Service::isAlive).count()
            + " services");
    return found;
  }

  private static void find(
      Map<String, byte[]> needles, byte[] hay, String where, List<Violation> found) {
    needles.forEach(
        (name, needle) -> {
          if (indexOf(hay, needle) >= 0) {
            found.add(new Violation("no secret anywhere", name + " found in " + where));
          }
        });
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A header's value as text, "" when the record has none. */
  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    board.close(); // idempotent
    tail.close();
  }
}
