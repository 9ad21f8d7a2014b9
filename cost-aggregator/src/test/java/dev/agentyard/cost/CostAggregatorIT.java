package dev.agentyard.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.CostDimension;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.RouteCostWindow;
import dev.agentyard.runtime.lifecycle.ServiceRunner;
import dev.agentyard.schemas.serde.AvroDeserializer;
import dev.agentyard.schemas.serde.AvroSerializer;
import dev.agentyard.schemas.topics.TopicProvisioner;
import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Usage with duplicates and late arrivals through the real service on a real broker and registry,
 * restarted mid-stream from empty local state (everything restored from changelogs): the final
 * windows add up to exactly the unique events, and so does the HTTP API.
 */
@ExtendWith(KafkaAndRegistryExtension.class)
class CostAggregatorIT {

  private static final Duration WINDOW = Duration.ofSeconds(10);
  private static final String[] ROUTES = {"income", "banking", "identity"};

  @Test
  void totalsAreExactAcrossDuplicatesLateEventsAndARestart(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    try (Admin admin = kafka.admin()) {
      List<TopicSpec> topics =
          new ArrayList<>(
              List.of(
                  Topics.USAGE.withPartitions(3),
                  Topics.deadLetter(Topics.USAGE.withPartitions(3)),
                  Topics.costWindows(WINDOW, Duration.ofDays(1)),
                  Topics.COST_1D,
                  Topics.BUDGET_ALERTS,
                  Topics.CONTROL));
      new TopicProvisioner(admin, (short) 1).apply(topics, false);
    }
    int port = freePort();
    Map<String, String> config =
        new HashMap<>(
            Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "schema.registry.url", registry.url(),
                "kafka.replication.factor", "1",
                "kafka.streams.commit.interval.ms", "200",
                "cost.windows", "10s,1d",
                "cost.grace", "3s",
                "cost.idle-close-after", "3s",
                "cost.punctuate.interval", "500ms",
                "http.port", Integer.toString(port)));

    // Events carry the time they are sent, so the 10 s windows close during the test.
    List<ModelUsage> unique = new ArrayList<>();
    ServiceRunner first =
        CostAggregatorApp.start(CostAggregatorConfig.effective(withStateDir(config)));
    try (KafkaProducer<String, ModelUsage> producer = producer(kafka, registry)) {
      // first half, all processed, then a restart from empty local state (everything restored from
      // changelogs)
      List<ModelUsage> firstHalf = events(0, 120, Duration.ZERO);
      sendAll(producer, firstHalf);
      unique.addAll(firstHalf);
      long firstTotal = firstHalf.stream().mapToLong(ModelUsage::getCostMicroUsd).sum();
      awaitDayTotal(port, firstTotal);
      first.close();

      ServiceRunner second =
          CostAggregatorApp.start(CostAggregatorConfig.effective(withStateDir(config)));
      try {
        // second half; every first-half event delivered again; then 20 events 2 s late (grace is 3
        // s)
        List<ModelUsage> secondHalf = events(120, 220, Duration.ZERO);
        sendAll(producer, secondHalf);
        sendAll(producer, firstHalf);
        List<ModelUsage> late = events(220, 240, Duration.ofSeconds(2));
        sendAll(producer, late);
        unique.addAll(secondHalf);
        unique.addAll(late);
        long expected = unique.stream().mapToLong(ModelUsage::getCostMicroUsd).sum();
        Instant base = firstHalf.get(0).getCompletedAt();

        // then the windows emitted (read_committed) add up to exactly the unique events
        List<RouteCostWindow> windows = readWindows(kafka, registry, expected);
        List<RouteCostWindow> route =
            windows.stream().filter(w -> w.getDimension() == CostDimension.ROUTE).toList();
        assertThat(route.stream().mapToLong(RouteCostWindow::getCostMicroUsd).sum())
            .isEqualTo(expected);
        Set<String> seen = new HashSet<>();
        route.forEach(
            w ->
                assertThat(seen.add(w.getRoute() + "@" + w.getWindowStart()))
                    .as("one result per window")
                    .isTrue());
        assertThat(
                windows.stream()
                    .filter(w -> w.getDimension() == CostDimension.TENANT)
                    .mapToLong(RouteCostWindow::getCostMicroUsd)
                    .sum())
            .isEqualTo(expected);
        assertThat(
                windows.stream()
                    .filter(w -> w.getDimension() == CostDimension.ROUTE_MODEL)
                    .mapToLong(RouteCostWindow::getAttempts)
                    .sum())
            .isEqualTo(unique.size());

        // and the HTTP API answers the same day total
        JsonNode day = get(port, "/cost/totals?dimension=route&period=day&at=" + base);
        assertThat(day.get("totalCostMicroUsd").asLong()).isEqualTo(expected);
        JsonNode top = get(port, "/cost/top?period=day&n=1&at=" + base);
        assertThat(top.get("items")).hasSize(1);
        JsonNode tenants = get(port, "/cost/totals?dimension=tenant&period=month&at=" + base);
        assertThat(tenants.get("totalCostMicroUsd").asLong()).isEqualTo(expected);
        assertThat(get(port, "/cost/open?dimension=route-model&window=10s").get("items").isArray())
            .isTrue();
      } finally {
        second.close();
      }
    }
  }

  private static List<ModelUsage> events(int from, int to, Duration lateBy)
      throws InterruptedException {
    List<ModelUsage> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String task = "task-" + (i / 2);
      out.add(
          usage(
              task + "/1/" + (i % 2 + 1),
              task,
              ROUTES[i % 3],
              i % 5 == 0 ? "beta" : "acme",
              Instant.now().minus(lateBy),
              1_000 + i,
              100 + i % 7,
              i % 4 == 0 ? 5_000 : 0,
              1_234 + i * 3L));
    }
    return out;
  }

  private static ModelUsage usage(
      String attemptId,
      String task,
      String route,
      String tenant,
      Instant at,
      long in,
      long out,
      long cacheRead,
      long cost) {
    return ModelUsage.newBuilder()
        .setAttemptId(attemptId)
        .setTaskId(task)
        .setTenant(tenant)
        .setRoute(route)
        .setProvider("anthropic")
        .setModel(attemptId.endsWith("/2") ? "claude-sonnet-4-5" : "claude-haiku-4-5")
        .setRequestedModel("claude-haiku-4-5")
        .setTurn(1)
        .setAttempt(Integer.parseInt(attemptId.substring(attemptId.lastIndexOf('/') + 1)))
        .setFallback(attemptId.endsWith("/2"))
        .setOutcome(CallOutcome.SUCCESS)
        .setInputTokens(in)
        .setOutputTokens(out)
        .setCacheReadTokens(cacheRead)
        .setCacheWriteTokens(0)
        .setCostMicroUsd(cost)
        .setPriceTableVersion("2026-11-01")
        .setLatencyMs(200)
        .setStartedAt(at.minusMillis(200))
        .setCompletedAt(at)
        .build();
  }

  private static Map<String, String> withStateDir(Map<String, String> config) throws Exception {
    Map<String, String> c = new HashMap<>(config);
    c.put("kafka.streams.state.dir", Files.createTempDirectory("cost-it").toString());
    return c;
  }

  private static KafkaProducer<String, ModelUsage> producer(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    AvroSerializer<ModelUsage> ser = new AvroSerializer<>();
    ser.configure(Map.of("schema.registry.url", registry.url()), false);
    return new KafkaProducer<>(props, new StringSerializer(), ser);
  }

  private static void sendAll(KafkaProducer<String, ModelUsage> p, List<ModelUsage> events)
      throws Exception {
    for (ModelUsage u : events) {
      // record timestamp = produce time, as a real worker's; event time comes from completedAt
      p.send(new ProducerRecord<>(Topics.USAGE.name(), u.getTaskId(), u));
    }
    p.flush();
  }

  private static void awaitDayTotal(int port, long total) {
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                get(port, "/cost/totals?dimension=route&period=day")
                        .get("totalCostMicroUsd")
                        .asLong()
                    == total);
  }

  private static List<RouteCostWindow> readWindows(
      KafkaCluster kafka, SchemaRegistryEndpoint registry, long expected) {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "cost-it-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    AvroDeserializer<RouteCostWindow> de = new AvroDeserializer<>();
    de.configure(
        Map.of("schema.registry.url", registry.url(), "specific.avro.reader", true), false);
    List<RouteCostWindow> all = new ArrayList<>();
    try (KafkaConsumer<String, RouteCostWindow> c =
        new KafkaConsumer<>(props, new StringDeserializer(), de)) {
      c.subscribe(List.of(Topics.costWindows(WINDOW, Duration.ZERO).name()));
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                c.poll(Duration.ofMillis(500)).forEach(r -> all.add(r.value()));
                return all.stream()
                            .filter(w -> w.getDimension() == CostDimension.ROUTE)
                            .mapToLong(RouteCostWindow::getCostMicroUsd)
                            .sum()
                        >= expected
                    && all.stream()
                            .filter(w -> w.getDimension() == CostDimension.TENANT)
                            .mapToLong(RouteCostWindow::getCostMicroUsd)
                            .sum()
                        >= expected
                    && all.stream()
                            .filter(w -> w.getDimension() == CostDimension.ROUTE_MODEL)
                            .mapToLong(RouteCostWindow::getCostMicroUsd)
                            .sum()
                        >= expected;
              });
      // a little longer: anything extra (a double count) would show up now
      long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < until) {
        c.poll(Duration.ofMillis(300)).forEach(r -> all.add(r.value()));
      }
    }
    return all;
  }

  private static JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
