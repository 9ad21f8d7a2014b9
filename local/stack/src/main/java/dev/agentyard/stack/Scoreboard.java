package dev.agentyard.stack;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.runtime.deadletter.DeadLetterHeaders;
import dev.agentyard.runtime.tracing.TraceParent;
import dev.agentyard.schemas.serde.AvroDeserializer;
import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches what the pipeline produces for a run's tasks, read with {@code read_committed} from the
 * end offsets taken before the first task is published: every routing (a leg: task × route), every
 * result, review item, dead letter and model call. A task is accounted for when it reached its end:
 * a dead letter or review item and every leg ended, or every leg ended with a result and no triage
 * verdict is still waiting for the router. Anything that ends twice is counted as a duplicate.
 */
public final class Scoreboard implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Scoreboard.class);

  /** One dead letter of a task. */
  public record DeadLetterSeen(String topic, String reason, String stage) {}

  /** Everything seen for one task. */
  public static final class TaskTrace {
    final Map<String, Integer> legs = new LinkedHashMap<>();
    final Map<String, List<String>> legEnds = new LinkedHashMap<>();
    final List<AgentResult> results = new ArrayList<>();
    final List<ReviewItem> reviews = new ArrayList<>();
    final List<DeadLetterSeen> deadLetters = new ArrayList<>();

    /** Usage events by attempt id, in the order first seen. */
    final Map<String, ModelUsage> usage = new LinkedHashMap<>();

    int duplicateUsage;
    String traceId;

    /** The trace its records carried (from the first routed task or result seen), if any. */
    public Optional<String> traceId() {
      return Optional.ofNullable(traceId);
    }

    public List<AgentResult> results() {
      return results;
    }

    public List<ReviewItem> reviews() {
      return reviews;
    }

    public List<DeadLetterSeen> deadLetters() {
      return deadLetters;
    }

    public List<ModelUsage> usage() {
      return List.copyOf(usage.values());
    }

    /** How each leg (route) ended, in the order seen: "result", "review", "dead letter". */
    public Map<String, List<String>> legEnds() {
      return legEnds;
    }

    /**
     * Usage events seen again with an attempt id already seen and different content (a call both
     * recorded and settled as unconfirmed is one call, not counted here).
     */
    public int duplicateUsage() {
      return duplicateUsage;
    }

    /** Routes the task was sent to, in order. */
    public Set<String> legs() {
      return legs.keySet();
    }

    /**
     * How the task ended: "dead letter", "review", "completed", or empty while it is still in
     * flight.
     */
    public Optional<String> outcome() {
      boolean legsEnded = legs.keySet().stream().allMatch(legEnds::containsKey);
      if (!deadLetters.isEmpty() && legsEnded) {
        return Optional.of("dead letter");
      }
      if (!reviews.isEmpty() && legsEnded) {
        return Optional.of("review");
      }
      // triage answered but the router has not routed the task on yet
      boolean triageOpen = legs.keySet().equals(Set.of(TRIAGE));
      if (!legs.isEmpty() && legsEnded && !triageOpen && !results.isEmpty()) {
        return Optional.of("completed");
      }
      return Optional.empty();
    }

    /**
     * Ends beyond one per leg, routings beyond one per leg, router review items and dead letters
     * per topic beyond one.
     */
    public int duplicates() {
      int d = 0;
      for (int n : legs.values()) {
        d += n - 1;
      }
      for (List<String> ends : legEnds.values()) {
        d += ends.size() - 1;
      }
      long deadLetterTopics = deadLetters.stream().map(DeadLetterSeen::topic).distinct().count();
      // a worker's review item ends its leg (counted above); the router raises at most one per task
      long routerReviews = reviews.stream().filter(r -> ROUTER_STAGE.equals(r.getStage())).count();
      return d
          + (int) Math.max(0, routerReviews - 1)
          + (int) (deadLetters.size() - deadLetterTopics)
          + duplicateUsage;
    }
  }

  static final String TRIAGE = "triage";
  static final String ROUTER_STAGE = "router";

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroDeserializer<Object> avro;
  private final Set<String> ours;
  private final Map<String, TaskTrace> traces = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile Throwable failure;

  /**
   * Positions at the end of every output topic now (before anything is published) and starts
   * following.
   */
  public static Scoreboard start(
      String bootstrapServers, String registryUrl, List<TopicSpec> topics, Set<String> taskIds) {
    return start(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        registryUrl,
        topics,
        taskIds);
  }

  /** The same, on a cluster reached with these client settings (a secured one's login, say). */
  public static Scoreboard start(
      Map<String, Object> client, String registryUrl, List<TopicSpec> topics, Set<String> taskIds) {
    return start(client, Map.of("schema.registry.url", registryUrl), topics, taskIds);
  }

  /** The same, with the registry's client settings (a secured registry's login and truststore). */
  public static Scoreboard start(
      Map<String, Object> client,
      Map<String, ?> registry,
      List<TopicSpec> topics,
      Set<String> taskIds) {
    return new Scoreboard(client, registry, topics, taskIds);
  }

  private Scoreboard(
      Map<String, Object> client,
      Map<String, ?> registry,
      List<TopicSpec> catalogue,
      Set<String> taskIds) {
    this.ours = Set.copyOf(taskIds);
    taskIds.forEach(id -> traces.put(id, new TaskTrace()));
    Map<String, Object> c = new HashMap<>(client);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentyard-stack-scoreboard");
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, TopicSpec.DOCUMENT_MAX_MESSAGE_BYTES);
    consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    avro = new AvroDeserializer<>();
    Map<String, Object> serde = new HashMap<>(registry);
    serde.put("specific.avro.reader", true);
    avro.configure(serde, false);
    List<TopicPartition> partitions = new ArrayList<>();
    for (TopicSpec t : catalogue) {
      if (watched(t.name())) {
        for (int p = 0; p < t.partitions(); p++) {
          partitions.add(new TopicPartition(t.name(), p));
        }
      }
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fix the start now, before the first task is published
    thread = Thread.ofPlatform().name("stack-scoreboard").daemon().start(this::run);
  }

  static boolean watched(String topic) {
    return topic.equals(Topics.RESULTS.name())
        || topic.equals(Topics.REVIEW.name())
        || topic.equals(Topics.USAGE.name())
        || Topics.isDeadLetter(topic)
        || (topic.startsWith("agent.route.") && topic.endsWith(".v1"));
  }

  private void run() {
    try {
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          try {
            accept(r);
          } catch (RuntimeException e) {
            log.warn(
                "scoreboard could not read {}-{}@{}: {}",
                r.topic(),
                r.partition(),
                r.offset(),
                e.toString());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
      log.error("scoreboard stopped", e);
    }
  }

  private void accept(ConsumerRecord<byte[], byte[]> r) {
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    if (Topics.isDeadLetter(r.topic())) {
      if (key == null || !ours.contains(key)) {
        return;
      }
      TaskTrace t = traces.get(key);
      String stage = header(r, DeadLetterHeaders.STAGE).orElse("?");
      String reason = header(r, DeadLetterHeaders.REASON).orElse("?");
      synchronized (t) {
        t.deadLetters.add(new DeadLetterSeen(r.topic(), reason, stage));
        if (t.traceId == null) {
          // dead-lettered before any route (a missing document): the dead letter names the trace
          t.traceId =
              header(r, DeadLetterHeaders.TRACE_ID)
                  .filter(id -> !id.isBlank())
                  .or(() -> TraceParent.from(r.headers()).map(TraceParent::traceId))
                  .orElse(null);
        }
        routeOfDeadLetter(r.topic())
            .ifPresent(
                route ->
                    t.legEnds.computeIfAbsent(route, x -> new ArrayList<>()).add("dead letter"));
      }
      return;
    }
    Object v = avro.deserialize(r.topic(), r.headers(), r.value());
    switch (v) {
      case RoutedTask rt when ours.contains(rt.getTaskId()) -> {
        TaskTrace t = traces.get(rt.getTaskId());
        synchronized (t) {
          t.legs.merge(rt.getRoute(), 1, Integer::sum);
          if (t.traceId == null) {
            t.traceId = TraceParent.from(r.headers()).map(TraceParent::traceId).orElse(null);
          }
        }
      }
      case AgentResult res when ours.contains(res.getTaskId()) -> {
        TaskTrace t = traces.get(res.getTaskId());
        synchronized (t) {
          t.results.add(res);
          t.legEnds.computeIfAbsent(res.getRoute(), x -> new ArrayList<>()).add("result");
        }
      }
      case ReviewItem ri when ours.contains(ri.getTaskId()) -> {
        TaskTrace t = traces.get(ri.getTaskId());
        synchronized (t) {
          t.reviews.add(ri);
          // a worker's review item ends its leg; the router's ends the task before (or after triage
          // on) any leg
          if (ri.getRoute() != null
              && t.legs.containsKey(ri.getRoute())
              && !ROUTER_STAGE.equals(ri.getStage())) {
            t.legEnds.computeIfAbsent(ri.getRoute(), x -> new ArrayList<>()).add("review");
          }
        }
      }
      case ModelUsage u when ours.contains(u.getTaskId()) -> {
        TaskTrace t = traces.get(u.getTaskId());
        synchronized (t) {
          ModelUsage before = t.usage.putIfAbsent(u.getAttemptId(), u);
          if (before != null && !before.equals(u)) {
            if ((before.getOutcome() == CallOutcome.UNCONFIRMED)
                != (u.getOutcome() == CallOutcome.UNCONFIRMED)) {
              // one call, recorded by the instance that sent it and settled as unconfirmed by the
              // one that resumed the run without seeing that record (the call was in flight when
              // the task's partition moved): the confirmed record is the call's
              if (u.getOutcome() != CallOutcome.UNCONFIRMED) {
                t.usage.put(u.getAttemptId(), u);
              }
            } else {
              // the same attempt with other content; the very same event again is a redelivery
              // (written again by a run resumed after its worker died), which the cost aggregator
              // drops by attempt id
              t.duplicateUsage++;
            }
          }
        }
      }
      default -> {}
    }
  }

  /**
   * {@code agent.route.income.v1.dlq} → income; the router's and usage dead letters have no route.
   */
  static Optional<String> routeOfDeadLetter(String topic) {
    if (topic.startsWith("agent.route.") && topic.endsWith(".v1.dlq")) {
      return Optional.of(
          topic.substring("agent.route.".length(), topic.length() - ".v1.dlq".length()));
    }
    return Optional.empty();
  }

  private static Optional<String> header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null
        ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }

  /** A consistent copy of what was seen so far, by task id. */
  public Map<String, TaskTrace> snapshot() {
    Map<String, TaskTrace> copy = new TreeMap<>();
    traces.forEach(
        (id, t) -> {
          synchronized (t) {
            TaskTrace c = new TaskTrace();
            c.legs.putAll(t.legs);
            t.legEnds.forEach((k, v) -> c.legEnds.put(k, new ArrayList<>(v)));
            c.results.addAll(t.results);
            c.reviews.addAll(t.reviews);
            c.deadLetters.addAll(t.deadLetters);
            c.usage.putAll(t.usage);
            c.duplicateUsage = t.duplicateUsage;
            c.traceId = t.traceId;
            copy.put(id, c);
          }
        });
    return copy;
  }

  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public void close() {
    if (!running.getAndSet(false)) {
      return; // closed already
    }
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(5));
    avro.close();
  }
}
