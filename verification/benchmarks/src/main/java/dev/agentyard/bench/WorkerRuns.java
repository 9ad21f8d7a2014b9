package dev.agentyard.bench;

import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.avro.ModelTier;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.RoutingDecision;
import dev.agentyard.avro.RoutingMethod;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.local.ChildJvm;
import dev.agentyard.runtime.control.ControlState;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.simulator.ProviderSimulator;
import dev.agentyard.simulator.SimulatorConfig;
import dev.agentyard.stack.SampleWorkload;
import dev.agentyard.workers.AgentWorkerApp;
import dev.agentyard.workers.TaskProcessor;
import dev.agentyard.workers.WorkerConfig;
import dev.agentyard.workers.WorkerModule;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The agent workers against the naive design and against Little's law: the provider simulator
 * answers every call after a fixed latency, each task takes one call, so {@code in-flight ÷
 * latency} is the most tasks per second any design can complete; a synchronous consumer completes
 * one task per latency.
 */
public final class WorkerRuns {

  /** The route the worker figures use; its simulator script answers in one call. */
  static final String ROUTE = "income";

  /** Key the worker sends the simulator (which only checks that one is there). */
  private static final String SIMULATOR_KEY = "sim-bench-not-a-secret";

  private WorkerRuns() {}

  /**
   * The simulator of the sample workload (valid final answers for every route, triage by the
   * document's words), answering in one call after exactly {@code latency}, with no faults.
   */
  static Map<String, String> simulatorConfig(Duration latency) {
    Map<String, String> c = new LinkedHashMap<>(SampleWorkload.simulatorConfig(0));
    c.keySet().removeIf(k -> k.contains(".fault.") || k.endsWith(".steps"));
    c.put("sim.default.latency", latency.toMillis() + "ms");
    c.put("sim.default.jitter", "0ms");
    return c;
  }

  static ProviderSimulator simulator(Duration latency) {
    return ProviderSimulator.start(SimulatorConfig.withDefaults(simulatorConfig(latency)));
  }

  /** A worker instance's settings against {@code simulatorUrl} (over the workers' defaults). */
  static Map<String, String> workerConfig(
      BenchCluster cluster, String simulatorUrl, String routes, int maxInFlight, Duration timeout) {
    Map<String, String> c = cluster.serviceConfig();
    c.put("worker.routes", routes);
    c.put("worker.max-in-flight", Integer.toString(maxInFlight));
    c.put(
        "worker.retry.delays",
        BenchCluster.RETRY_DELAYS.stream().map(Topics::label).collect(Collectors.joining(",")));
    c.put("approval.signing-key", "bench-approval-signing-key-not-a-secret-0123456789");
    c.putAll(WorkerConfig.providersAt(simulatorUrl, SIMULATOR_KEY, timeout));
    return c;
  }

  private static Map<String, String> withJournal(Map<String, String> c, boolean journal) {
    c.put("worker.journal.enabled", Boolean.toString(journal));
    return c;
  }

  /**
   * {@code n} routed tasks for {@code route}, text documents of the corpus (the worker reads text).
   */
  static List<Records.Bytes> routedTasks(BenchCluster cluster, String route, String prefix, int n) {
    List<RoutedTask> tasks = new ArrayList<>(n);
    for (TaskSubmitted t : Workload.tasks(prefix, n, 11, true)) {
      tasks.add(
          RoutedTask.newBuilder()
              .setTaskId(t.getTaskId())
              .setRoute(route)
              .setModelTier(ModelTier.SMALL)
              .setDecision(
                  RoutingDecision.newBuilder()
                      .setMethod(RoutingMethod.CLASSIFIER)
                      .setConfidence(0.95)
                      .build())
              .setRoutedAt(Instant.now())
              .setTask(t)
              .build());
    }
    return Records.serialize(
        cluster.registryUrl(), Topics.route(route).name(), tasks, RoutedTask::getTaskId);
  }

  /**
   * Mean wall time of the model calls recorded in agent.usage.v1 for tasks whose id starts with
   * {@code taskPrefix} (as the worker timed them: the simulator's fixed latency plus both HTTP
   * stacks), in ms, and how many there were.
   */
  static double[] meanCallMillis(BenchCluster cluster, String taskPrefix) throws Exception {
    Map<String, Object> cc = new HashMap<>();
    cc.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
    cc.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    long end = Records.endOffsets(cluster.admin(), Topics.USAGE.name());
    try (KafkaConsumer<byte[], byte[]> c =
            new KafkaConsumer<>(cc, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        var registry =
            dev.agentyard.schemas.registry.SchemaRegistryClients.create(
                Map.of("schema.registry.url", cluster.registryUrl()))) {
      var reader =
          dev.agentyard.schemas.serde.AvroSerde.specific(
                  dev.agentyard.avro.ModelUsage.class,
                  registry,
                  Map.of("schema.registry.url", cluster.registryUrl()))
              .deserializer();
      List<TopicPartition> parts =
          c.partitionsFor(Topics.USAGE.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long read = 0;
      long calls = 0;
      long sum = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (read < end && System.nanoTime() < deadline) {
        for (var r : c.poll(Duration.ofMillis(200))) {
          var u = reader.deserialize(r.topic(), r.headers(), r.value());
          if (u.getTaskId()
              .startsWith(taskPrefix)) { // not the cost figure's synthetic events on the same topic
            sum += u.getLatencyMs();
            calls++;
          }
          read++;
        }
      }
      return new double[] {calls == 0 ? Double.NaN : (double) sum / calls, calls};
    }
  }

  /**
   * Our worker: {@code instances} instances drain {@code n} tasks; the rate from its committed
   * offsets.
   */
  static GroupProgress.Rate ours(
      BenchCluster cluster, String simulatorUrl, int n, int instances, int maxInFlight)
      throws Exception {
    return ours(cluster, simulatorUrl, n, instances, maxInFlight, true);
  }

  /** As {@link #ours}, with the run journal on or off (its cost is the ratio of the two). */
  static GroupProgress.Rate ours(
      BenchCluster cluster,
      String simulatorUrl,
      int n,
      int instances,
      int maxInFlight,
      boolean journal)
      throws Exception {
    // other task ids without the journal: the same ones would all be skipped as done
    return ours(cluster, simulatorUrl, n, instances, maxInFlight, journal, journal ? "w" : "wb");
  }

  /** As {@link #ours}, on tasks whose ids start with {@code idPrefix} (one per run). */
  static GroupProgress.Rate ours(
      BenchCluster cluster,
      String simulatorUrl,
      int n,
      int instances,
      int maxInFlight,
      boolean journal,
      String idPrefix)
      throws Exception {
    Records.produce(
        cluster.bootstrap(), Topics.route(ROUTE).name(), routedTasks(cluster, ROUTE, idPrefix, n));
    List<AgentWorkerApp> apps = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < instances; i++) {
        apps.add(
            AgentWorkerApp.start(
                WorkerConfig.effective(
                    withJournal(
                        workerConfig(
                            cluster, simulatorUrl, ROUTE, maxInFlight, Duration.ofSeconds(30)),
                        journal)),
                Map.of()));
      }
      return GroupProgress.await(
          cluster.admin(),
          WorkerConfig.groupOf(ROUTE),
          Topics.route(ROUTE).name(),
          n,
          start,
          Duration.ofMinutes(10));
    } finally {
      apps.forEach(AgentWorkerApp::close);
    }
  }

  /**
   * The naive design: poll, handle one record with the worker's own task processor (built by its
   * {@link WorkerModule}: same model client, same outputs, written with its producer), wait for it,
   * commit, next. No worker consumer runs, and the route is paused besides, so only this loop takes
   * its tasks. Runs for {@code duration}; tasks per second.
   */
  static double synchronous(BenchCluster cluster, String simulatorUrl, Duration duration)
      throws Exception {
    int n = (int) (duration.toSeconds() * 10 + 20);
    Records.produce(
        cluster.bootstrap(), Topics.route(ROUTE).name(), routedTasks(cluster, ROUTE, "s", n));
    pause(cluster, ROUTE);
    Map<String, Object> cc = new HashMap<>();
    cc.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
    cc.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-synchronous");
    cc.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cc.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    cc.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    WorkerConfig config =
        WorkerConfig.withDefaults(
            workerConfig(cluster, simulatorUrl, ROUTE, 1, Duration.ofSeconds(30)), Map.of());
    try (WorkerModule worker =
            new WorkerModule(config, new DefaultKafkaClients(config.kafka()), Clock.systemUTC());
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(cc, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      // the workers' own processor for the route, fed one record at a time by a plain consumer
      TaskProcessor processor = worker.processor(ROUTE);
      consumer.subscribe(List.of(Topics.route(ROUTE).name()));
      int processed = 0;
      long t0 = 0;
      while (t0 == 0 || System.nanoTime() - t0 < duration.toNanos()) {
        for (var r : consumer.poll(Duration.ofMillis(100))) {
          if (t0 == 0) {
            t0 = System.nanoTime(); // from the first record: group join is not the design's fault
          }
          var outputs = processor.handle(r).toCompletableFuture().get(60, TimeUnit.SECONDS);
          for (var out : outputs.records()) {
            worker.producer().send(out).get(60, TimeUnit.SECONDS);
          }
          outputs.onCommit().accept(true);
          consumer.commitSync(
              Map.of(
                  new TopicPartition(r.topic(), r.partition()),
                  new OffsetAndMetadata(r.offset() + 1)));
          processed++;
        }
      }
      return processed / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static void pause(BenchCluster cluster, String route) {
    ControlCommand c =
        ControlCommand.newBuilder()
            .setCommandId(UUID.randomUUID().toString())
            .setScope(ControlScope.ROUTE)
            .setTarget(route)
            .setAction(ControlAction.PAUSE)
            .setReason("benchmark: the synchronous baseline takes this route")
            .setIssuedBy("agentyard-bench")
            .setIssuedAt(Instant.now())
            .build();
    Records.produce(
        cluster.bootstrap(),
        Topics.CONTROL.name(),
        Records.serialize(
            cluster.registryUrl(),
            Topics.CONTROL.name(),
            List.of(c),
            x -> ControlState.key(ControlScope.ROUTE, route)));
  }

  /**
   * Memory of a worker holding {@code inFlight} calls: its RSS, read from /proc, with the JVM
   * options used.
   */
  record Memory(long rssBytes, long peakRssBytes, int inFlight, List<String> jvmOptions) {}

  /**
   * A worker in a child JVM with {@code inFlight} tasks in flight (the simulator holds every call
   * for a minute): waits until its in-flight gauge reads {@code inFlight} and stays there for 5 s,
   * then reads its resident set size.
   */
  static Memory memory(BenchCluster cluster, int inFlight, List<String> jvmOptions)
      throws Exception {
    try (ProviderSimulator sim = simulator(Duration.ofSeconds(90))) {
      Records.produce(
          cluster.bootstrap(),
          Topics.route(ROUTE).name(),
          routedTasks(cluster, ROUTE, "m", inFlight));
      Map<String, String> config =
          workerConfig(cluster, sim.baseUrl(), ROUTE, inFlight, Duration.ofSeconds(120));
      config.put("worker.drain-timeout", "1s");
      int port = dev.agentyard.local.Ports.pick();
      config.put("http.port", Integer.toString(port));
      Path props = cluster.dir().resolve("memory-worker.properties");
      Properties p = new Properties();
      p.putAll(config);
      try (Writer w = Files.newBufferedWriter(props)) {
        p.store(w, "agent-workers for the memory figure");
      }
      try (ChildJvm worker =
          ChildJvm.start(
              AgentWorkerApp.class.getName(),
              jvmOptions,
              List.of(),
              Map.of("AGENTYARD_CONFIG_FILE", props.toString()),
              cluster.dir().resolve("logs/memory-worker.log"))) {
        return waitForInFlight(worker, port, inFlight, jvmOptions);
      }
    }
  }

  private static final Pattern IN_FLIGHT =
      Pattern.compile("^agentyard_worker_in_flight\\{[^}]*\\} ([0-9.E]+)$", Pattern.MULTILINE);

  private static Memory waitForInFlight(
      ChildJvm worker, int port, int inFlight, List<String> jvmOptions) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest scrape =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + Duration.ofSeconds(75).toNanos();
    long steadySince = 0;
    double seen = 0;
    while (System.nanoTime() < deadline) {
      if (!worker.isAlive()) {
        throw new IllegalStateException("the worker exited; see " + worker.log());
      }
      try {
        Matcher m =
            IN_FLIGHT.matcher(http.send(scrape, HttpResponse.BodyHandlers.ofString()).body());
        seen = m.find() ? Double.parseDouble(m.group(1)) : 0;
      } catch (IOException e) {
        seen = 0; // not serving yet
      }
      if (seen >= inFlight) {
        steadySince = steadySince == 0 ? System.nanoTime() : steadySince;
        if (System.nanoTime() - steadySince >= Duration.ofSeconds(5).toNanos()) {
          long[] rss =
              worker
                  .residentMemory()
                  .orElseThrow(() -> new IllegalStateException("no /proc on this machine"));
          return new Memory(rss[0], rss[1], (int) seen, jvmOptions);
        }
      } else {
        steadySince = 0;
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new IllegalStateException(
        "the worker never held "
            + inFlight
            + " tasks in flight (last seen "
            + seen
            + "); see "
            + worker.log());
  }
}
