package dev.agentyard.bench;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.BudgetAtLimit;
import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetMode;
import dev.agentyard.avro.BudgetPeriod;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.cost.CostAggregatorApp;
import dev.agentyard.cost.CostAggregatorConfig;
import dev.agentyard.router.RouterApp;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.runtime.budget.BudgetIds;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClients;
import dev.agentyard.schemas.serde.AvroSerde;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.simulator.ProviderSimulator;
import dev.agentyard.workers.AgentWorkerApp;
import dev.agentyard.workers.WorkerConfig;
import dev.agentyard.workers.WorkerModule;
import dev.agentyard.workers.budget.LedgerBudgets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What the pipeline adds to a task's time beyond the model: tasks published at a fixed rate (open
 * loop: each task's clock starts when it was due, so a stall delays the clock of every task behind
 * it, no coordinated omission) through the real router and workers to a committed result, read with
 * read_committed. A task's overhead is its time from due to result seen, minus the simulator's
 * fixed latency for each model call made on its way (its route's calls, and the triage call when
 * the router asked triage first); the HTTP round trip of each call stays in the overhead.
 */
public final class OverheadRun {

  /** What the run saw. */
  record Outcome(
      double offeredPerSecond,
      int published,
      int results,
      double[] overheadMs,
      double meanCallMs,
      int calls,
      long resultsLate,
      Budgets budgets) {}

  /**
   * The budget ledger's side of a run (figure 10): how long calls waited for their reservations and
   * one ledger round trip, p50 and p99 in ms, from the worker's own timers; null without the
   * ledger.
   */
  record Budgets(
      long reservations,
      double reserveP50,
      double reserveP99,
      long roundTrips,
      double roundTripP50,
      double roundTripP99) {}

  /**
   * Budgets for a run: {@code null} runs no ledger (figure 5); otherwise the cost aggregator with
   * its budget ledger runs too, and with a mode every route gets a day budget far above what the
   * run spends, so every call is reserved and none refused.
   */
  record Ledger(BudgetMode mode) {}

  private OverheadRun() {}

  /**
   * @param extra a variant's settings over the defaults: {@code worker.*} keys go to the workers,
   *     the rest to the router
   */
  static Outcome run(
      BenchCluster cluster,
      String run,
      double perSecond,
      Duration measured,
      Duration latency,
      Map<String, String> extra)
      throws Exception {
    return run(cluster, run, perSecond, measured, latency, extra, null);
  }

  static Outcome run(
      BenchCluster cluster,
      String run,
      double perSecond,
      Duration measured,
      Duration latency,
      Map<String, String> extra,
      Ledger ledger)
      throws Exception {
    int warmup = (int) Math.min(perSecond * 3, 3000);
    int n = (int) (perSecond * measured.toSeconds());
    List<TaskSubmitted> all = Workload.tasks("o" + run, warmup + n, 5, false);
    List<Records.Bytes> bytes =
        Records.serialize(
            cluster.registryUrl(), Topics.TASKS.name(), all, TaskSubmitted::getTaskId);

    Map<String, Long> due = new ConcurrentHashMap<>();
    Map<String, Long> resultSeen = new ConcurrentHashMap<>();
    Map<String, Integer> calls = new ConcurrentHashMap<>();
    AtomicLong callMillis = new AtomicLong();
    AtomicLong callCount = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<AutoCloseable> running = new ArrayList<>();
    try (ProviderSimulator sim = WorkerRuns.simulator(latency);
        SchemaRegistryClient registry =
            SchemaRegistryClients.create(Map.of("schema.registry.url", cluster.registryUrl()))) {
      Map<String, String> router = cluster.serviceConfig();
      router.put("router.application.id", "bench-overhead-router-" + run);
      router.put(
          "kafka.streams.state.dir",
          Files.createTempDirectory(cluster.dir(), "overhead-router").toString());
      extra.forEach(
          (k, v) -> {
            if (!k.startsWith("worker.")) {
              router.put(k, v);
            }
          });
      running.add(RouterApp.start(RouterConfig.effective(router)));
      Map<String, String> workers =
          WorkerRuns.workerConfig(
              cluster,
              sim.baseUrl(),
              String.join(",", Topics.DEFAULT_ROUTES),
              256,
              Duration.ofSeconds(30));
      extra.forEach(
          (k, v) -> {
            if (k.startsWith("worker.")) {
              workers.put(k, v);
            }
          });
      WorkerModule workerModule = null;
      if (ledger == null) {
        running.add(AgentWorkerApp.start(WorkerConfig.effective(workers), Map.of()));
      } else {
        Map<String, String> cost = cluster.serviceConfig();
        cost.put("cost.application.id", "bench-cost-" + run);
        cost.put("ledger.application.id", "bench-ledger-" + run);
        cost.put(
            "kafka.streams.state.dir",
            Files.createTempDirectory(cluster.dir(), "overhead-cost").toString());
        running.add(CostAggregatorApp.start(CostAggregatorConfig.effective(cost)));
        if (ledger.mode() != null) {
          defineRouteBudgets(cluster, ledger.mode());
        }
        WorkerConfig config = WorkerConfig.withDefaults(workers, Map.of());
        workerModule =
            new WorkerModule(config, new DefaultKafkaClients(config.kafka()), Clock.systemUTC());
        running.add(AgentWorkerApp.start(workerModule));
        if (ledger.mode() != null) {
          awaitBudgets(workerModule);
        }
      }

      Deserializer<AgentResult> results =
          AvroSerde.specific(
                  AgentResult.class, registry, Map.of("schema.registry.url", cluster.registryUrl()))
              .deserializer();
      Deserializer<ModelUsage> usage =
          AvroSerde.specific(
                  ModelUsage.class, registry, Map.of("schema.registry.url", cluster.registryUrl()))
              .deserializer();
      AtomicReference<Throwable> readerFailed = new AtomicReference<>();
      Thread reader =
          Thread.ofPlatform()
              .name("overhead-reader")
              .uncaughtExceptionHandler((t, e) -> readerFailed.set(e))
              .start(
                  () -> {
                    Map<String, Object> cc = new HashMap<>();
                    cc.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
                    cc.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                    cc.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                    cc.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
                    cc.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-overhead-reader-" + run);
                    cc.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
                    try (KafkaConsumer<byte[], byte[]> c =
                        new KafkaConsumer<>(
                            cc, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                      c.subscribe(List.of(Topics.RESULTS.name(), Topics.USAGE.name()));
                      while (!stop.get()) {
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
                          long seen = System.nanoTime();
                          if (r.topic().equals(Topics.RESULTS.name())) {
                            AgentResult a = results.deserialize(r.topic(), r.headers(), r.value());
                            resultSeen.putIfAbsent(a.getTaskId() + "|" + a.getRoute(), seen);
                          } else {
                            ModelUsage u = usage.deserialize(r.topic(), r.headers(), r.value());
                            calls.merge(u.getTaskId() + "|" + u.getRoute(), 1, Integer::sum);
                            callMillis.addAndGet(u.getLatencyMs());
                            callCount.incrementAndGet();
                          }
                        }
                      }
                    }
                  });
      running.addFirst(
          () -> {
            stop.set(true);
            reader.join(10_000);
          });

      // warm-up (JIT, connections, group joins), then the measured tasks, both at the offered rate
      try (KafkaProducer<byte[], byte[]> producer = Records.producer(cluster.bootstrap())) {
        publish(
            producer, bytes.subList(0, warmup), all.subList(0, warmup), perSecond, new HashMap<>());
        awaitQuiet(resultSeen, Duration.ofSeconds(60));
        publish(
            producer,
            bytes.subList(warmup, bytes.size()),
            all.subList(warmup, all.size()),
            perSecond,
            due);
      }
      awaitQuiet(resultSeen, Duration.ofSeconds(60));
      if (readerFailed.get() != null) {
        throw new IllegalStateException("the result reader failed", readerFailed.get());
      }

      double l = latency.toNanos() / 1e6;
      List<Double> overhead = new ArrayList<>();
      long late = 0;
      for (var e : resultSeen.entrySet()) {
        String taskId = e.getKey().substring(0, e.getKey().indexOf('|'));
        Long d = due.get(taskId);
        if (d == null) {
          continue; // a warm-up task
        }
        int k = calls.getOrDefault(e.getKey(), 0) + calls.getOrDefault(taskId + "|triage", 0);
        double ms = (e.getValue() - d) / 1e6 - k * l;
        overhead.add(ms);
        late += ms > 1000 ? 1 : 0;
      }
      if (overhead.isEmpty()) {
        throw new IllegalStateException(
            "no result of the " + n + " measured tasks arrived; see the service logs above");
      }
      double meanCall = callCount.get() == 0 ? 0 : (double) callMillis.get() / callCount.get();
      return new Outcome(
          perSecond,
          n,
          overhead.size(),
          overhead.stream().mapToDouble(Double::doubleValue).toArray(),
          meanCall,
          (int) callCount.get(),
          late,
          workerModule == null || ledger.mode() == null
              ? null
              : budgets(workerModule, ledger.mode()));
    } finally {
      StreamsRuns.closeAll(running.reversed());
    }
  }

  /** A day budget of USD 1,000,000 on every route, in the given mode: every call reserves. */
  private static void defineRouteBudgets(BenchCluster cluster, BudgetMode mode) throws Exception {
    List<BudgetDefinition> defs = new ArrayList<>();
    for (String route : Topics.DEFAULT_ROUTES) {
      defs.add(
          BudgetDefinition.newBuilder()
              .setBudgetId(BudgetIds.of(null, route, BudgetPeriod.DAY))
              .setRoute(route)
              .setPeriod(BudgetPeriod.DAY)
              .setLimitMicroUsd(1_000_000_000_000L)
              .setMode(mode)
              .setAtLimit(BudgetAtLimit.REVIEW)
              .setUpdatedBy("bench")
              .setUpdatedAt(java.time.Instant.now())
              .build());
    }
    List<Records.Bytes> bytes =
        Records.serialize(
            cluster.registryUrl(),
            Topics.BUDGET_DEFINITIONS.name(),
            defs,
            BudgetDefinition::getBudgetId);
    try (KafkaProducer<byte[], byte[]> producer = Records.producer(cluster.bootstrap())) {
      for (Records.Bytes b : bytes) {
        producer.send(new ProducerRecord<>(Topics.BUDGET_DEFINITIONS.name(), b.key(), b.value()));
      }
      producer.flush();
    }
  }

  /** Until the worker knows every route's budget. */
  private static void awaitBudgets(WorkerModule worker) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (((LedgerBudgets) worker.budgets()).definitions().size() < Topics.DEFAULT_ROUTES.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the worker did not read the budgets within 30 s");
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  /** The worker's reservation timers (the whole run, warm-up included). */
  private static Budgets budgets(WorkerModule worker, BudgetMode mode) {
    MeterRegistry r = worker.serviceMetrics().registry();
    Timer reserve =
        r.find("agentyard.budget.reserve")
            .tag("mode", mode == BudgetMode.HARD ? "hard" : "lease")
            .timer();
    Timer trip =
        r.find("agentyard.budget.ledger.round.trip")
            .tag("op", mode == BudgetMode.HARD ? "reserve" : "lease")
            .timer();
    double[] a = percentiles(reserve);
    double[] b = percentiles(trip);
    return new Budgets(
        reserve == null ? 0 : reserve.count(),
        a[0],
        a[1],
        trip == null ? 0 : trip.count(),
        b[0],
        b[1]);
  }

  private static double[] percentiles(Timer t) {
    double[] p = new double[2];
    if (t == null) {
      return p;
    }
    for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
      if (v.percentile() == 0.5) {
        p[0] = v.value(TimeUnit.MILLISECONDS);
      } else if (v.percentile() == 0.99) {
        p[1] = v.value(TimeUnit.MILLISECONDS);
      }
    }
    return p;
  }

  private static void publish(
      KafkaProducer<byte[], byte[]> producer,
      List<Records.Bytes> bytes,
      List<TaskSubmitted> tasks,
      double perSecond,
      Map<String, Long> due)
      throws InterruptedException {
    long t0 = System.nanoTime();
    for (int i = 0; i < bytes.size(); i++) {
      long at = t0 + (long) (i * 1e9 / perSecond);
      long wait = at - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      due.put(tasks.get(i).getTaskId(), at);
      Records.Bytes b = bytes.get(i);
      producer.send(new ProducerRecord<>(Topics.TASKS.name(), b.key(), b.value()));
    }
    producer.flush();
  }

  /**
   * Waits until no new result arrived for 3 s (every task that will end has ended), at most {@code
   * timeout}.
   */
  private static void awaitQuiet(Map<String, Long> seen, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int last = -1;
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      int now = seen.size();
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > Duration.ofSeconds(3).toNanos()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }
}
