package dev.agentyard.workers;

import static dev.agentyard.workers.WorkerTestKit.task;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.simulator.ProviderSimulator;
import dev.agentyard.simulator.SimulatorConfig;
import dev.agentyard.testing.ApicurioRegistry;
import dev.agentyard.testing.EmbeddedKafkaCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: measures, in one run on one machine, the agent worker's throughput against a
 * synchronous one-record-at-a-time consumer running the very same task processing (same
 * processor, same model client, same outputs), with every model call taking 200 ms, one instance,
 * 4 partitions. Prints both rates and their ratio.
 *
 * <pre>./mvnw -pl agent-workers -am install -DskipTests &amp;&amp; ./mvnw -pl agent-workers exec:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=dev.agentyard.workers.ThroughputBenchmark [-Dexec.args="2000 30"]</pre>
 */
public final class ThroughputBenchmark {

  public static void main(String[] args) throws Exception {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int baselineSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Map<String, String> sim = Map.of("sim.port", "0", "sim.default.latency", "200ms", "sim.default.jitter", "0ms",
        "sim.script.fraud.match", "Route: (fraud|triage)",
        "sim.script.fraud.final", "{\"riskLevel\":\"low\",\"signals\":[],\"recommendation\":\"proceed\",\"route\":\"none\","
            + "\"confidence\":0.9,\"reason\":\"benchmark\"}");
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1);
        ApicurioRegistry registry = ApicurioRegistry.start();
        ProviderSimulator provider = ProviderSimulator.start(SimulatorConfig.fromMap(sim));
        WorkerTestKit kit = new WorkerTestKit(kafka, registry, List.of("fraud", "triage"), 4)) {
      Map<String, String> config = kit.workerConfig(provider.baseUrl(), "fraud");
      config.put("worker.max-in-flight", "256");

      // warm up schemas and connections, so neither side pays for them
      kit.publish(task("warm-0", "fraud", "warm up"));
      try (AgentWorkerApp warm = AgentWorkerApp.start(config, Map.of())) {
        await(() -> kit.results.size() >= 1, Duration.ofSeconds(60));
      }

      // the synchronous baseline: the same processing, one record at a time, commit after each
      for (int i = 0; i < baselineSeconds * 6; i++) {
        kit.publish(task("sync-" + i, "triage", "Document sync-" + i));
      }
      double syncRate = synchronousRate(kit, provider, config, Duration.ofSeconds(baselineSeconds));

      // the worker: all tasks published first, then one instance drains them
      for (int i = 0; i < tasks; i++) {
        kit.publish(task("async-" + i, "fraud", "Document async-" + i));
      }
      int before = count(kit, "async-");
      long t0 = System.nanoTime();
      try (AgentWorkerApp worker = AgentWorkerApp.start(config, Map.of())) {
        await(() -> count(kit, "async-") >= tasks, Duration.ofMinutes(10));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double asyncRate = (count(kit, "async-") - before) / seconds;
      System.out.printf("%nmodel latency 200 ms, 4 partitions, 1 instance, max in flight 256%n");
      System.out.printf("synchronous one-at-a-time consumer: %.2f tasks/s (over %d s)%n", syncRate, baselineSeconds);
      System.out.printf("agent worker:                       %.2f tasks/s (%d tasks in %.1f s, incl. start-up)%n", asyncRate, tasks, seconds);
      System.out.printf("ratio:                              %.1fx%n", asyncRate / syncRate);
      System.out.printf("upper bound at 256 in flight:       %.0f tasks/s%n", 256 / 0.2);
    }
  }

  /**
   * The baseline: a plain consumer that polls, processes one record at a time with the worker's
   * own TaskProcessor (same model client, same outputs, waited for), and commits after each
   * record. The worker serving the triage route is paused, so only the baseline consumes it.
   * Runs for a fixed time; returns tasks per second.
   */
  private static double synchronousRate(WorkerTestKit kit, ProviderSimulator provider, Map<String, String> config, Duration duration)
      throws Exception {
    Map<String, String> c = new java.util.HashMap<>(config);
    c.put("worker.routes", "triage");
    kit.control(dev.agentyard.avro.ControlScope.ROUTE, "triage", dev.agentyard.avro.ControlAction.PAUSE);
    Map<String, Object> cc = new java.util.HashMap<>();
    cc.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kit.kafka.bootstrapServers());
    cc.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, "bench-synchronous");
    cc.put(org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cc.put(org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (AgentWorkerApp app = AgentWorkerApp.start(c, Map.of());
        var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(cc,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      TaskProcessor processor = app.processor("triage");
      consumer.subscribe(List.of("agent.route.triage.v1"));
      int processed = 0;
      long t0 = System.nanoTime();
      while (System.nanoTime() - t0 < duration.toNanos()) {
        for (var r : consumer.poll(Duration.ofMillis(100))) {
          processor.handle(r).toCompletableFuture().get(30, TimeUnit.SECONDS);
          consumer.commitSync(Map.of(new org.apache.kafka.common.TopicPartition(r.topic(), r.partition()),
              new org.apache.kafka.clients.consumer.OffsetAndMetadata(r.offset() + 1)));
          processed++;
          if (System.nanoTime() - t0 >= duration.toNanos()) {
            break;
          }
        }
      }
      return processed / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static int count(WorkerTestKit kit, String prefix) {
    synchronized (kit.results) {
      return (int) kit.results.stream().map(AgentResult::getTaskId).filter(id -> id.startsWith(prefix)).distinct().count();
    }
  }

  private static void await(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
