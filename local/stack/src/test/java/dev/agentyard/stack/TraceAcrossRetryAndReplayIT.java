package dev.agentyard.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentyard.avro.RoutedTask;
import dev.agentyard.dlq.DlqConfig;
import dev.agentyard.dlq.DlqConsole;
import dev.agentyard.dlq.inspect.DeadLetterFilter;
import dev.agentyard.dlq.replay.Pacer;
import dev.agentyard.dlq.replay.Redrive;
import dev.agentyard.local.Ports;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.runtime.tracing.TraceParent;
import dev.agentyard.runtime.tracing.Tracing;
import dev.agentyard.schemas.serde.AvroSerializer;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.simulator.ProviderSimulator;
import dev.agentyard.simulator.SimulatorConfig;
import dev.agentyard.testing.InMemoryTracing;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.OwnCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import dev.agentyard.workers.AgentWorkerApp;
import dev.agentyard.workers.WorkerConfig;
import dev.agentyard.workers.WorkerModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One task's whole life as one trace: every provider down, so the run is retried through both delay
 * topics and dead-lettered; the provider comes back, an operator replays the dead letter, the run
 * completes. The spans (exported to memory by the workers and the console) form one tree under the
 * publisher's span: each retry under the run before it, the replay under the last failed run, the
 * completing run under the replay; no span's parent is missing.
 */
@OwnCluster
@ExtendWith(KafkaAndRegistryExtension.class)
class TraceAcrossRetryAndReplayIT {

  @Test
  void aTaskRetriedDeadLetteredReplayedAndCompletedIsOneTree(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    List<Duration> delays = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));
    try (Admin admin = kafka.admin()) {
      LocalStack.provision(admin, (short) 1, registry.url(), delays, line -> {});
    }
    int port = Ports.pick();
    Map<String, String> down = new HashMap<>(SampleWorkload.simulatorConfig(port));
    down.keySet().removeIf(k -> k.contains(".fault."));
    for (String m : List.of("claude-haiku-4-5", "gpt-4o-mini", "claude-sonnet-4-5")) {
      down.put("sim.model." + m + ".fault.503", "1.0");
    }
    Map<String, String> w = new HashMap<>();
    w.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    w.put("schema.registry.url", registry.url());
    w.put("kafka.replication.factor", "1");
    w.put("http.port", "0");
    w.put("http.host", "127.0.0.1");
    w.put("worker.routes", "income");
    w.put("worker.retry.delays", "1s,2s");
    w.put("worker.commit-interval", "200ms");
    w.put("worker.resilience.initial-backoff", "20ms");
    w.putAll(
        WorkerConfig.providersAt(
            "http://127.0.0.1:" + port, LocalStack.SIMULATOR_KEY, Duration.ofSeconds(5)));
    LabelledDocument w2 =
        Corpus.bundled().stream()
            .filter(d -> d.template().equals("w2") && !d.pdf())
            .findFirst()
            .orElseThrow();
    String taskId = "traced-" + System.nanoTime();
    TraceParent published = TraceParent.newRoot();

    try (InMemoryTracing tracing = new InMemoryTracing()) {
      WorkerConfig config = WorkerConfig.withDefaults(w, Map.of());
      WorkerModule module =
          new WorkerModule(config, new DefaultKafkaClients(config.kafka()), Clock.systemUTC());
      module.useOpenTelemetry(tracing.otel());
      DlqConfig dlqConfig =
          DlqConfig.withDefaults(
              Map.of(
                  "kafka.bootstrap.servers",
                  kafka.bootstrapServers(),
                  "schema.registry.url",
                  registry.url(),
                  "http.port",
                  "0"),
              Map.of());
      ProviderSimulator outage = ProviderSimulator.start(SimulatorConfig.withDefaults(down));
      try (AgentWorkerApp worker = AgentWorkerApp.start(module);
          DlqConsole console =
              DlqConsole.connect(
                  dlqConfig,
                  new DefaultKafkaClients(dlqConfig.kafka()),
                  new SimpleMeterRegistry(),
                  Clock.systemUTC(),
                  Pacer.Sleeper.REAL,
                  new Tracing(tracing.otel()))) {
        publish(
            kafka,
            registry,
            RoutedTasks.text(
                taskId, "acme-bank", "income", new String(w2.bytes(), StandardCharsets.UTF_8)),
            published);
        DeadLetterFilter mine =
            DeadLetterFilter.builder()
                .topics(List.of(Topics.deadLetter(Topics.route("income")).name()))
                .taskId(taskId)
                .status("pending")
                .build();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> console.browser().page(mine, 10, java.util.Optional.empty()).total() == 1);
        outage.close();
        try (ProviderSimulator back =
            ProviderSimulator.start(
                SimulatorConfig.withDefaults(SampleWorkload.simulatorConfig(port)))) {
          Redrive.Report replayed =
              console
                  .redrive()
                  .replay(
                      Redrive.Request.of(mine, "provider back"),
                      "it:on-call",
                      Redrive.Progress.NONE);
          assertThat(replayed.accepted()).hasSize(1);
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      tracing.spans().stream()
                          .anyMatch(
                              s ->
                                  s.getName().equals("invoke_agent income")
                                      && "completed"
                                          .equals(
                                              s.getAttributes().asMap().entrySet().stream()
                                                  .filter(
                                                      e ->
                                                          e.getKey()
                                                              .getKey()
                                                              .equals("agentyard.run.outcome"))
                                                  .map(e -> String.valueOf(e.getValue()))
                                                  .findFirst()
                                                  .orElse(""))));
        }
      }

      List<SpanData> spans = tracing.spans();
      assertThat(spans).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(published.traceId()));
      Set<String> ids = spans.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
      assertThat(spans)
          .as("no orphan: every parent is a span of the trace, or the publisher's")
          .allSatisfy(
              s ->
                  assertThat(
                          s.getParentSpanId().equals(published.spanId())
                              || ids.contains(s.getParentSpanId()))
                      .as("parent of %s", s.getName())
                      .isTrue());
      assertThat(spans.stream().filter(s -> s.getParentSpanId().equals(published.spanId())))
          .as("one span under the publisher's: the first delivery")
          .hasSize(1);
      Map<String, SpanData> byId =
          spans.stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s));
      List<SpanData> processes =
          spans.stream().filter(s -> s.getName().startsWith("process ")).toList();
      assertThat(processes)
          .extracting(SpanData::getName)
          .contains(
              "process agent.route.income.v1",
              "process agent.route.income.v1.retry.1s",
              "process agent.route.income.v1.retry.2s");
      SpanData replay =
          spans.stream()
              .filter(s -> s.getName().equals("replay agent.route.income.v1"))
              .findFirst()
              .orElseThrow();
      SpanData deadLetter = byId.get(replay.getParentSpanId());
      assertThat(deadLetter.getName())
          .as("the replay sits under the dead letter's send")
          .startsWith("send agent.route.income.v1")
          .endsWith(".dlq");
      assertThat(byId.get(deadLetter.getParentSpanId()).getName())
          .as("which the run that failed last sent")
          .isEqualTo("invoke_agent income");
      SpanData lastProcess =
          processes.stream()
              .filter(p -> p.getParentSpanId().equals(replay.getSpanId()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no run under the replay: " + processes));
      assertThat(lastProcess.getName()).isEqualTo("process agent.route.income.v1");
      SpanData retry1 =
          processes.stream()
              .filter(p -> p.getName().endsWith("retry.1s"))
              .findFirst()
              .orElseThrow();
      SpanData retrySend = byId.get(retry1.getParentSpanId());
      assertThat(retrySend.getName())
          .as("the first retry sits under the send of its delay-topic copy")
          .isEqualTo("send agent.route.income.v1.retry.1s");
      assertThat(byId.get(retrySend.getParentSpanId()).getName())
          .as("which the first run sent")
          .isEqualTo("invoke_agent income");
      assertThat(spans.stream().filter(s -> s.getName().startsWith("chat ")))
          .anySatisfy(
              c ->
                  assertThat(c.getAttributes().asMap().toString())
                      .contains("error.type=server_error"));
      System.out.println(
          "one trace of "
              + spans.size()
              + " spans: "
              + spans.stream().map(SpanData::getName).distinct().sorted().toList());
    }
  }

  private static void publish(
      KafkaCluster kafka, SchemaRegistryEndpoint registry, RoutedTask task, TraceParent trace)
      throws Exception {
    AvroSerializer<Object> serializer = new AvroSerializer<>();
    serializer.configure(
        Map.of("schema.registry.url", registry.url(), "auto.register.schemas", true), false);
    Map<String, Object> p = new HashMap<>(kafka.clientProperties());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      String topic = Topics.route("income").name();
      ProducerRecord<byte[], byte[]> r =
          new ProducerRecord<>(
              topic,
              task.getTaskId().getBytes(StandardCharsets.UTF_8),
              serializer.serialize(topic, task));
      trace.writeTo(r.headers());
      producer.send(r).get();
    }
  }
}
