package dev.agentyard.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.avro.AlertLevel;
import dev.agentyard.avro.BudgetAlert;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.CostDimension;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.RouteCostWindow;
import dev.agentyard.runtime.streams.DeadLetterExceptionHandler;
import dev.agentyard.schemas.registry.InMemorySchemaRegistryClient;
import dev.agentyard.schemas.serde.AvroSerde;
import dev.agentyard.schemas.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CostTopologyTest {

  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  /** The default {@code cost.pre-aggregate.interval}. */
  static final Duration PRE_AGGREGATE = Duration.ofMillis(100);

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private TopologyTestDriver driver;
  private TestInputTopic<String, ModelUsage> usage;
  private TestOutputTopic<String, RouteCostWindow> cost1m;
  private TestOutputTopic<String, RouteCostWindow> cost1h;
  private TestOutputTopic<String, BudgetAlert> alerts;
  private TestOutputTopic<String, ControlCommand> control;
  private TestOutputTopic<byte[], byte[]> dlq;

  private <T extends SpecificRecord> Serde<T> serde(Class<T> c) {
    Serde<T> s = AvroSerde.specific(c, registry);
    s.configure(Map.of("schema.registry.url", "http://in-memory"), false);
    return s;
  }

  private void start(Map<String, String> extra) throws IOException {
    Map<String, String> m =
        new HashMap<>(
            Map.of(
                "kafka.bootstrap.servers", "unused:9092",
                "schema.registry.url", "http://in-memory",
                "cost.windows", "1m,1h,1d",
                "cost.grace", "10s",
                "cost.idle-close-after", "30s",
                "cost.punctuate.interval", "1s",
                "cost.routes", "income,banking,identity"));
    m.putAll(extra);
    CostAggregatorConfig config = CostAggregatorConfig.withDefaults(m);
    Serde<ModelUsage> usageSerde = serde(ModelUsage.class);
    var topology =
        CostTopology.build(
            config,
            new CostTopology.Serdes4(
                usageSerde,
                serde(RouteCostWindow.class),
                serde(BudgetAlert.class),
                serde(ControlCommand.class)),
            new CostMetrics(meters));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "cost-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("cost-test").toString());
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterExceptionHandler.class);
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
    p.put(DeadLetterExceptionHandler.SOURCE_TOPIC_CONFIG, Topics.USAGE.name());
    p.put(DeadLetterExceptionHandler.SERVICE_CONFIG, "cost-aggregator");
    driver = new TopologyTestDriver(topology, p, T0);
    usage =
        driver.createInputTopic(
            Topics.USAGE.name(), new StringSerializer(), usageSerde.serializer());
    cost1m =
        driver.createOutputTopic(
            Topics.COST_1M.name(),
            new StringDeserializer(),
            serde(RouteCostWindow.class).deserializer());
    cost1h =
        driver.createOutputTopic(
            Topics.COST_1H.name(),
            new StringDeserializer(),
            serde(RouteCostWindow.class).deserializer());
    alerts =
        driver.createOutputTopic(
            Topics.BUDGET_ALERTS.name(),
            new StringDeserializer(),
            serde(BudgetAlert.class).deserializer());
    control =
        driver.createOutputTopic(
            Topics.CONTROL.name(),
            new StringDeserializer(),
            serde(ControlCommand.class).deserializer());
    dlq =
        driver.createOutputTopic(
            Topics.USAGE.name() + ".dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  static ModelUsage call(
      String attemptId,
      String route,
      String model,
      Instant completedAt,
      long in,
      long out,
      long cacheRead,
      long cacheWrite,
      long cost) {
    return ModelUsage.newBuilder()
        .setAttemptId(attemptId)
        .setTaskId(attemptId.split("/")[0])
        .setTenant("acme")
        .setRoute(route)
        .setProvider("anthropic")
        .setModel(model)
        .setRequestedModel(model)
        .setTurn(Integer.parseInt(attemptId.split("/")[1]))
        .setAttempt(Integer.parseInt(attemptId.split("/")[2]))
        .setFallback(false)
        .setOutcome(CallOutcome.SUCCESS)
        .setInputTokens(in)
        .setOutputTokens(out)
        .setCacheReadTokens(cacheRead)
        .setCacheWriteTokens(cacheWrite)
        .setCostMicroUsd(cost)
        .setPriceTableVersion("2026-11-01")
        .setLatencyMs(100)
        .setStartedAt(completedAt.minusMillis(100))
        .setCompletedAt(completedAt)
        .build();
  }

  static ModelUsage call(String attemptId, String route, Instant at, long cost) {
    return call(attemptId, route, "claude-haiku-4-5", at, 100, 10, 0, 0, cost);
  }

  /** One event, then the wall clock past the pre-aggregation interval, so its sums go on. */
  private void send(ModelUsage u) {
    usage.pipeInput(new TestRecord<>(u.getTaskId(), u, u.getCompletedAt()));
    driver.advanceWallClockTime(PRE_AGGREGATE);
  }

  private static List<RouteCostWindow> of(List<RouteCostWindow> all, CostDimension d) {
    return all.stream().filter(w -> w.getDimension() == d).toList();
  }

  @Test
  void splitsEventsAtWindowBoundariesAndEmitsEachWindowOnceWhenItCloses() throws Exception {
    start(Map.of());
    send(call("t1/1/1", "income", T0.plusMillis(59_999), 100));
    send(call("t2/1/1", "income", T0.plusSeconds(60), 200));
    assertThat(cost1m.isEmpty()).as("nothing final before end + grace").isTrue();

    // stream time passes 10:01:00 + 10 s grace: the first minute closes
    send(call("t3/1/1", "banking", T0.plusSeconds(71), 5));
    List<RouteCostWindow> first = of(cost1m.readValuesToList(), CostDimension.ROUTE);
    assertThat(first)
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.getRoute()).isEqualTo("income");
              assertThat(w.getWindowStart()).isEqualTo(T0);
              assertThat(w.getWindowEnd()).isEqualTo(T0.plusSeconds(60));
              assertThat(w.getCostMicroUsd()).isEqualTo(100);
              assertThat(w.getAttempts()).isEqualTo(1);
            });

    // the second minute closes later, alone, with only its own event
    send(call("t4/1/1", "banking", T0.plusSeconds(131), 5));
    List<RouteCostWindow> second = of(cost1m.readValuesToList(), CostDimension.ROUTE);
    assertThat(second)
        .filteredOn(w -> w.getRoute().equals("income"))
        .singleElement()
        .satisfies(w -> assertThat(w.getCostMicroUsd()).isEqualTo(200));
  }

  @Test
  void countsLateEventsWithinGraceAndKeepsLaterOnesOutOfClosedWindows() throws Exception {
    start(Map.of());
    send(call("t1/1/1", "income", T0.plusSeconds(10), 100));
    send(call("t2/1/1", "income", T0.plusSeconds(65), 1)); // stream time 10:01:05
    send(call("t3/1/1", "income", T0.plusSeconds(50), 20)); // late but within grace: counts
    send(
        call(
            "t4/1/1",
            "income",
            T0.plusSeconds(75),
            1)); // stream time 10:01:15: first minute closes
    send(
        call(
            "t5/1/1",
            "income",
            T0.plusSeconds(55),
            4_000)); // after close: late for 1m, still in the hour

    RouteCostWindow minute = of(cost1m.readValuesToList(), CostDimension.ROUTE).get(0);
    assertThat(minute.getCostMicroUsd()).isEqualTo(120);
    assertThat(meters.counter(CostMetrics.LATE, "dimension", "route", "window", "1m").count())
        .isEqualTo(1);

    send(call("t6/1/1", "income", T0.plusSeconds(3_611), 0)); // closes the hour
    RouteCostWindow hour = of(cost1h.readValuesToList(), CostDimension.ROUTE).get(0);
    assertThat(hour.getCostMicroUsd()).isEqualTo(100 + 1 + 20 + 1 + 4_000);
    assertThat(of(cost1m.readValuesToList(), CostDimension.ROUTE))
        .noneMatch(w -> w.getWindowStart().equals(T0)); // never a second result for a closed window
  }

  @Test
  void countsAnAttemptDeliveredTwiceOnce() throws Exception {
    start(Map.of());
    ModelUsage u = call("t1/1/1", "income", T0.plusSeconds(5), 777);
    send(u);
    send(u);
    send(call("t9/1/1", "income", T0.plusSeconds(80), 0));

    RouteCostWindow w = of(cost1m.readValuesToList(), CostDimension.ROUTE).get(0);
    assertThat(w.getCostMicroUsd()).isEqualTo(777);
    assertThat(w.getAttempts()).isEqualTo(1);
    assertThat(meters.counter(CostMetrics.DUPLICATES).count()).isEqualTo(1);
  }

  @Test
  void keepsUnconfirmedCallsApartFromConfirmedSpendAndLetsTheConfirmedEventOfAnAttemptWin()
      throws Exception {
    start(Map.of());
    send(call("t1/1/1", "income", T0.plusSeconds(5), 700));
    // a call a dead worker sent and never recorded: its worst-case estimate
    ModelUsage lost = call("t2/1/1", "income", T0.plusSeconds(6), 5_000);
    lost.setOutcome(CallOutcome.UNCONFIRMED);
    lost.setInputTokens(0);
    lost.setOutputTokens(0);
    send(lost);
    // recorded, then settled as unconfirmed by a resumed run: the confirmed event came first
    send(call("t3/1/1", "income", T0.plusSeconds(7), 300));
    ModelUsage settledAgain = call("t3/1/1", "income", T0.plusSeconds(8), 9_000);
    settledAgain.setOutcome(CallOutcome.UNCONFIRMED);
    send(settledAgain);
    send(call("t9/1/1", "income", T0.plusSeconds(80), 0));

    RouteCostWindow w = of(cost1m.readValuesToList(), CostDimension.ROUTE).get(0);
    assertThat(w.getCostMicroUsd()).isEqualTo(1_000);
    assertThat(w.getAttempts()).isEqualTo(2);
    assertThat(w.getUnconfirmedCalls()).isEqualTo(1);
    assertThat(w.getUnconfirmedMicroUsd()).isEqualTo(5_000);
  }

  @Test
  void addsCacheTokensByKindAndCostExactlyPerRouteModelAndTenant() throws Exception {
    start(Map.of());
    send(
        call(
            "t1/1/1",
            "income",
            "claude-haiku-4-5",
            T0.plusSeconds(1),
            1_000,
            200,
            8_000,
            0,
            2_040));
    send(
        call(
            "t1/2/1",
            "income",
            "claude-haiku-4-5",
            T0.plusSeconds(2),
            300,
            50,
            8_000,
            1_500,
            3_565));
    send(
        call(
            "t2/1/1",
            "income",
            "claude-sonnet-4-5",
            T0.plusSeconds(3),
            2_000,
            400,
            0,
            2_000,
            19_500));
    send(call("t9/1/1", "banking", T0.plusSeconds(80), 0));

    List<RouteCostWindow> all = cost1m.readValuesToList();
    RouteCostWindow haiku =
        of(all, CostDimension.ROUTE_MODEL).stream()
            .filter(w -> w.getModel().equals("claude-haiku-4-5") && w.getRoute().equals("income"))
            .findFirst()
            .orElseThrow();
    assertThat(haiku.getInputTokens()).isEqualTo(1_300);
    assertThat(haiku.getOutputTokens()).isEqualTo(250);
    assertThat(haiku.getCacheReadTokens()).isEqualTo(16_000);
    assertThat(haiku.getCacheWriteTokens()).isEqualTo(1_500);
    assertThat(haiku.getCostMicroUsd()).isEqualTo(5_605);
    assertThat(haiku.getRequests()).as("one task started (turn 1, attempt 1)").isEqualTo(1);
    RouteCostWindow route =
        of(all, CostDimension.ROUTE).stream()
            .filter(w -> w.getRoute().equals("income"))
            .findFirst()
            .orElseThrow();
    assertThat(route.getCostMicroUsd()).isEqualTo(2_040 + 3_565 + 19_500);
    RouteCostWindow tenant = of(all, CostDimension.TENANT).get(0);
    assertThat(tenant.getTenant()).isEqualTo("acme");
    assertThat(tenant.getCostMicroUsd()).isEqualTo(2_040 + 3_565 + 19_500);
    assertThat(
            meters
                .get(CostMetrics.COST)
                .tags("route", "income", "model", "claude-sonnet-4-5")
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum())
        .isEqualTo(19_500);
  }

  @Test
  void warnsAtTheThresholdAndPausesTheRouteWhenTheDailyBudgetIsSpent() throws Exception {
    start(Map.of("budget.route.income.daily", "1000", "budget.warning.percent", "80"));
    send(call("t1/1/1", "income", T0.plusSeconds(1), 700));
    assertThat(alerts.isEmpty()).isTrue();

    send(call("t2/1/1", "income", T0.plusSeconds(2), 150)); // 850: warning
    BudgetAlert warning = alerts.readValue();
    assertThat(warning.getLevel()).isEqualTo(AlertLevel.WARNING);
    assertThat(warning.getSpentMicroUsd()).isEqualTo(850);
    assertThat(warning.getThresholdPercent()).isEqualTo(80);
    assertThat(control.isEmpty()).isTrue();

    send(call("t3/1/1", "income", T0.plusSeconds(3), 150)); // 1000: exceeded
    BudgetAlert exceeded = alerts.readValue();
    assertThat(exceeded.getLevel()).isEqualTo(AlertLevel.EXCEEDED);
    assertThat(exceeded.getKillSwitchTripped()).isTrue();
    var pause = control.readRecord();
    assertThat(pause.key()).isEqualTo("route:income");
    assertThat(pause.value().getAction()).isEqualTo(ControlAction.PAUSE);
    assertThat(pause.value().getExpiresAt()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));

    send(call("t4/1/1", "income", T0.plusSeconds(4), 500)); // already over: no repeat
    assertThat(alerts.isEmpty()).isTrue();
    assertThat(control.isEmpty()).isTrue();
  }

  @Test
  void deadLettersBadInputAndKeepsGoing() throws Exception {
    start(Map.of());
    TestInputTopic<byte[], byte[]> raw =
        driver.createInputTopic(
            Topics.USAGE.name(), new ByteArraySerializer(), new ByteArraySerializer());
    raw.pipeInput(
        "t-x".getBytes(StandardCharsets.UTF_8),
        new byte[] {9, 9, 9, 9, 9, 9},
        T0); // not our wire format
    raw.pipeInput(
        "t-y".getBytes(StandardCharsets.UTF_8),
        new byte[] {0, 0, 0, 0x7f, 0x7f, 2},
        T0); // unknown schema id
    ModelUsage negative = call("t-n/1/1", "income", T0.plusSeconds(1), 5);
    negative.setInputTokens(-40);
    send(negative);
    send(call("t-r/1/1", "mortgage-fraud", T0.plusSeconds(2), 5)); // unknown route
    send(call("t-ok/1/1", "income", T0.plusSeconds(3), 42));
    send(call("t-z/1/1", "income", T0.plusSeconds(80), 0));

    List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertThat(dead)
        .extracting(
            r ->
                new String(
                    r.headers().lastHeader("agentyard.dlq.reason").value(), StandardCharsets.UTF_8))
        .containsExactly(
            "DESERIALIZATION_FAILED", "UNKNOWN_SCHEMA", "INVALID_CONTENT", "UNKNOWN_ROUTE");
    assertThat(dead.get(0).value()).containsExactly(9, 9, 9, 9, 9, 9);
    assertThat(
            new String(
                dead.get(2).headers().lastHeader("agentyard.dlq.error.message").value(),
                StandardCharsets.UTF_8))
        .contains("inputTokens -40");
    RouteCostWindow w = of(cost1m.readValuesToList(), CostDimension.ROUTE).get(0);
    assertThat(w.getCostMicroUsd()).isEqualTo(42);
  }

  @Test
  void repricesRawUsageIntoItsOwnTopicsAtTheCorrectedCacheTokenPrices() throws Exception {
    Path table = Files.createTempFile("prices", ".properties");
    Files.writeString(
        table,
        """
        version=2026-12-01
        model.claude-sonnet-4-5.input=3000000
        model.claude-sonnet-4-5.output=15000000
        model.claude-sonnet-4-5.cache-read=300000
        model.claude-sonnet-4-5.cache-write=3750000
        """);
    start(Map.of("cost.reprice.table", table.toString(), "budget.route.income.daily", "1"));
    TestOutputTopic<String, RouteCostWindow> repriced =
        driver.createOutputTopic(
            "agent.cost.route.1m.v1.repriced-2026-12-01",
            new StringDeserializer(),
            serde(RouteCostWindow.class).deserializer());
    // recorded at a wrong price: 999999 micro-USD
    send(
        call(
            "t1/1/1",
            "income",
            "claude-sonnet-4-5",
            T0.plusSeconds(1),
            1_000,
            200,
            8_000,
            1_500,
            999_999));
    send(call("t9/1/1", "income", "claude-sonnet-4-5", T0.plusSeconds(80), 0, 0, 0, 0, 5));

    RouteCostWindow w = of(repriced.readValuesToList(), CostDimension.ROUTE).get(0);
    assertThat(w.getCostMicroUsd()).isEqualTo(3_000 + 3_000 + 2_400 + 5_625);
    assertThat(w.getPriceTableVersion()).isEqualTo("2026-12-01");
    assertThat(cost1m.isEmpty()).as("live topics untouched").isTrue();
    assertThat(alerts.isEmpty()).as("history raises no alerts").isTrue();
    assertThat(control.isEmpty()).isTrue();
  }

  @Test
  void repricesOneHourCacheWritesAtTheirOwnRateAndKeepsTheServiceTier() throws Exception {
    Path table = Files.createTempFile("prices", ".properties");
    Files.writeString(
        table,
        """
        version=2026-12-05
        model.claude-sonnet-4-5.input=3000000
        model.claude-sonnet-4-5.output=15000000
        model.claude-sonnet-4-5.cache-read=300000
        model.claude-sonnet-4-5.cache-write=3750000
        model.claude-sonnet-4-5.cache-write-1h=7500000
        tier.batch.percent=50
        """);
    start(Map.of("cost.reprice.table", table.toString()));
    TestOutputTopic<String, RouteCostWindow> repriced =
        driver.createOutputTopic(
            "agent.cost.route.1m.v1.repriced-2026-12-05",
            new StringDeserializer(),
            serde(RouteCostWindow.class).deserializer());
    // 1,500 cache writes of which 1,000 with a 1-hour lifetime, the batch tier
    ModelUsage u =
        ModelUsage.newBuilder(
                call(
                    "t1/1/1",
                    "income",
                    "claude-sonnet-4-5",
                    T0.plusSeconds(1),
                    1_000,
                    200,
                    0,
                    1_500,
                    1))
            .setCacheWrite1hTokens(1_000)
            .setServiceTier("batch")
            .build();
    send(u);
    send(call("t9/1/1", "income", "claude-sonnet-4-5", T0.plusSeconds(80), 0, 0, 0, 0, 5));

    RouteCostWindow w = of(repriced.readValuesToList(), CostDimension.ROUTE).get(0);
    // (3,000 + 3,000 + 500 x 3.75 + 1,000 x 7.5) x 50 % = 7,687.5 -> 7,688
    assertThat(w.getCostMicroUsd()).isEqualTo(7_688);
    assertThat(w.getCacheWriteTokens()).isEqualTo(1_500);
    assertThat(w.getCacheWrite1hTokens()).isEqualTo(1_000);
  }

  @Test
  void closesWindowsOfAnIdlePartitionByTheWallClock() throws Exception {
    start(Map.of());
    send(call("t1/1/1", "income", T0.plusSeconds(5), 9));
    // no more events: stream time is stuck at 10:00:05
    driver.advanceWallClockTime(Duration.ofSeconds(60 + 10 + 30));
    assertThat(of(cost1m.readValuesToList(), CostDimension.ROUTE))
        .singleElement()
        .satisfies(w -> assertThat(w.getCostMicroUsd()).isEqualTo(9));
  }

  /**
   * The combiner before the repartition must not change what is counted: the same 3,000 calls
   * (random routes, models, tenants, costs; duplicates, unconfirmed calls, events a few seconds out
   * of order and events two minutes late) through the topology with every event forwarded on its
   * own, and with sums of 100 ms of events (the default), give the same windows of every size and
   * dimension, the same late counts and the same budget alerts and pauses.
   */
  @Test
  void preAggregatingBeforeTheRepartitionCountsExactlyWhatEventByEventCounts() throws Exception {
    List<ModelUsage> calls = randomCalls(3_000, 42);
    Outcome oneByOne = runAll(calls, "0ms");
    Outcome summed = runAll(calls, "100ms");
    assertThat(oneByOne.windows()).hasSizeGreaterThan(100);
    assertThat(oneByOne.late()).isPositive();
    assertThat(oneByOne.alerts()).isNotEmpty();
    assertThat(summed.windows()).containsExactlyInAnyOrderElementsOf(oneByOne.windows());
    assertThat(summed.late()).isEqualTo(oneByOne.late());
    assertThat(summed.alerts()).containsExactlyInAnyOrderElementsOf(oneByOne.alerts());
    assertThat(summed.controls()).containsExactlyInAnyOrderElementsOf(oneByOne.controls());
  }

  /** A window shorter than a minute, or not a whole number of minutes, gets buckets that nest. */
  @Test
  void sumsNestInWindowsOfAnySize() throws Exception {
    assertThat(PartialSums.bucket(List.of(Duration.ofMinutes(1), Duration.ofHours(1))))
        .isEqualTo(60_000);
    assertThat(PartialSums.bucket(List.of(Duration.ofSeconds(30), Duration.ofMinutes(1))))
        .isEqualTo(30_000);
    assertThat(PartialSums.bucket(List.of(Duration.ofSeconds(90)))).isEqualTo(90_000);
    assertThat(PartialSums.bucket(List.of(Duration.ofMinutes(7)))).isEqualTo(60_000);
    List<ModelUsage> calls = randomCalls(1_500, 5);
    Map<String, String> windows = Map.of("cost.windows", "30s,1m,1h");
    Outcome oneByOne = runAll(calls, "0ms", windows);
    Outcome summed = runAll(calls, "100ms", windows);
    assertThat(summed.windows()).containsExactlyInAnyOrderElementsOf(oneByOne.windows());
    assertThat(summed.late()).isEqualTo(oneByOne.late());
  }

  private record Outcome(
      List<String> windows, double late, List<String> alerts, List<String> controls) {}

  private Outcome runAll(List<ModelUsage> calls, String interval) throws IOException {
    return runAll(calls, interval, Map.of());
  }

  private Outcome runAll(List<ModelUsage> calls, String interval, Map<String, String> extra)
      throws IOException {
    close();
    meters.clear();
    Map<String, String> settings =
        new HashMap<>(
            Map.of(
                "cost.pre-aggregate.interval", interval,
                "budget.route.income.daily", "1000000",
                "budget.tenant.bank-2.daily", "1000000"));
    settings.putAll(extra);
    start(settings);
    TestOutputTopic<String, RouteCostWindow> cost1d =
        driver.createOutputTopic(
            Topics.COST_1D.name(),
            new StringDeserializer(),
            serde(RouteCostWindow.class).deserializer());
    for (ModelUsage u : calls) {
      usage.pipeInput(new TestRecord<>(u.getTaskId(), u, u.getCompletedAt()));
      driver.advanceWallClockTime(Duration.ofMillis(20)); // five events per 100 ms
    }
    driver.advanceWallClockTime(Duration.ofDays(2)); // idle: every window closes
    List<String> windows = new java.util.ArrayList<>();
    TestOutputTopic<String, RouteCostWindow> cost30s =
        driver.createOutputTopic(
            Topics.costWindows(Duration.ofSeconds(30), Duration.ZERO).name(),
            new StringDeserializer(),
            serde(RouteCostWindow.class).deserializer());
    for (var topic : List.of(cost30s, cost1m, cost1h, cost1d)) {
      for (RouteCostWindow w : topic.readValuesToList()) {
        windows.add(RouteCostWindow.newBuilder(w).setEmittedAt(Instant.EPOCH).build().toString());
      }
    }
    double late =
        meters.find(CostMetrics.LATE).counters().stream().mapToDouble(c -> c.count()).sum();
    List<String> alertIds =
        alerts.readValuesToList().stream()
            .map(a -> a.getAlertId() + " " + a.getLevel() + " " + a.getKillSwitchTripped())
            .toList();
    List<String> controls =
        control.readRecordsToList().stream()
            .map(r -> r.key() + " " + r.value().getCommandId() + " " + r.value().getAction())
            .toList();
    return new Outcome(windows, late, alertIds, controls);
  }

  /** Calls about 100 ms of event time apart, some resent, some out of order, some late. */
  static List<ModelUsage> randomCalls(int n, long seed) {
    java.util.Random random = new java.util.Random(seed);
    String[] routes = {"income", "banking", "identity"};
    String[] models = {"claude-haiku-4-5", "claude-sonnet-4-5", "gpt-5-mini"};
    List<ModelUsage> out = new java.util.ArrayList<>();
    Instant now = T0.plusSeconds(30);
    for (int i = 0; i < n; i++) {
      now = now.plusMillis(50 + random.nextInt(100));
      if (i > 0 && random.nextInt(20) == 0) {
        out.add(out.get(random.nextInt(out.size()))); // delivered again
        continue;
      }
      int shape = random.nextInt(50);
      Instant at =
          shape == 0 && i > 50
              ? now.minusSeconds(120 + random.nextInt(60)) // its minute closed long ago: late
              : shape < 5 ? now.minusSeconds(1 + random.nextInt(4)) : now; // within grace
      ModelUsage.Builder b =
          ModelUsage.newBuilder(
                  call(
                      "t" + i + "/" + (1 + random.nextInt(2)) + "/" + (1 + random.nextInt(2)),
                      routes[random.nextInt(routes.length)],
                      models[random.nextInt(models.length)],
                      at,
                      random.nextInt(5_000),
                      random.nextInt(800),
                      random.nextInt(3) == 0 ? random.nextInt(2_000) : 0,
                      0,
                      1 + random.nextInt(3_000)))
              .setTenant("bank-" + random.nextInt(4))
              .setFallback(random.nextInt(10) == 0);
      if (random.nextInt(25) == 0) {
        b.setOutcome(CallOutcome.UNCONFIRMED);
      } else if (random.nextInt(15) == 0) {
        b.setOutcome(CallOutcome.TIMEOUT);
      }
      out.add(b.build());
    }
    return out;
  }
}
