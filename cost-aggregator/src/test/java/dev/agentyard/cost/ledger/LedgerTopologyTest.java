package dev.agentyard.cost.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetLedgerState;
import dev.agentyard.avro.BudgetMode;
import dev.agentyard.avro.BudgetOp;
import dev.agentyard.avro.BudgetReply;
import dev.agentyard.avro.BudgetRequest;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.schemas.registry.InMemorySchemaRegistryClient;
import dev.agentyard.schemas.serde.AvroSerde;
import dev.agentyard.schemas.topics.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger's topology end to end: definitions, reservations, usage charged once per budget. */
class LedgerTopologyTest {

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private TopologyTestDriver driver;
  private TopologyTestDriver chargesDriver;
  private TestInputTopic<String, BudgetDefinition> definitions;
  private TestInputTopic<String, BudgetDefinition> chargeDefinitions;
  private TestOutputTopic<String, BudgetRequest> charges;
  private TestInputTopic<String, BudgetRequest> requests;
  private TestInputTopic<String, ModelUsage> usage;
  private TestOutputTopic<String, BudgetReply> replies;

  private <T extends SpecificRecord> Serde<T> serde(Class<T> c) {
    Serde<T> s = AvroSerde.specific(c, registry);
    s.configure(Map.of("schema.registry.url", "http://in-memory"), false);
    return s;
  }

  @BeforeEach
  void start() {
    LedgerTopology.Serdes5 serdes =
        new LedgerTopology.Serdes5(
            serde(BudgetDefinition.class),
            serde(BudgetRequest.class),
            serde(BudgetReply.class),
            serde(BudgetLedgerState.class),
            serde(ModelUsage.class));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "ledger-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver =
        new TopologyTestDriver(
            LedgerTopology.ledger(serdes, Duration.ofSeconds(1), new LedgerGauges(meters)), p);
    Properties c = new Properties();
    c.putAll(p);
    c.put(StreamsConfig.APPLICATION_ID_CONFIG, "ledger-charges-test");
    chargesDriver =
        new TopologyTestDriver(
            LedgerTopology.charges(
                serdes, Duration.ofHours(1), Counter.builder("dup").register(meters)),
            c);
    definitions =
        driver.createInputTopic(
            Topics.BUDGET_DEFINITIONS.name(),
            Serdes.String().serializer(),
            serde(BudgetDefinition.class).serializer());
    chargeDefinitions =
        chargesDriver.createInputTopic(
            Topics.BUDGET_DEFINITIONS.name(),
            Serdes.String().serializer(),
            serde(BudgetDefinition.class).serializer());
    requests =
        driver.createInputTopic(
            Topics.BUDGET_REQUESTS.name(),
            Serdes.String().serializer(),
            serde(BudgetRequest.class).serializer());
    usage =
        chargesDriver.createInputTopic(
            Topics.USAGE.name(),
            Serdes.String().serializer(),
            serde(ModelUsage.class).serializer());
    charges =
        chargesDriver.createOutputTopic(
            Topics.BUDGET_REQUESTS.name(),
            Serdes.String().deserializer(),
            serde(BudgetRequest.class).deserializer());
    replies =
        driver.createOutputTopic(
            Topics.BUDGET_REPLIES.name(),
            Serdes.String().deserializer(),
            serde(BudgetReply.class).deserializer());
  }

  /** The budget to both applications, as both read the compacted topic. */
  private void define(String id, BudgetDefinition d) {
    definitions.pipeInput(id, d);
    chargeDefinitions.pipeInput(id, d);
  }

  /** What the charges application wrote, on to the ledger. */
  private void forwardCharges() {
    charges.readKeyValuesToList().forEach(kv -> requests.pipeInput(kv.key, kv.value));
  }

  @AfterEach
  void stop() {
    driver.close();
    chargesDriver.close();
  }

  @Test
  void reservationsAreAnsweredToTheirInstanceAndUsageIsChargedOnceToEveryBudgetItFallsUnder() {
    BudgetDefinition tenant = BudgetBookTest.budget(10_000, BudgetMode.HARD);
    define(tenant.getBudgetId(), tenant);
    BudgetDefinition route =
        BudgetDefinition.newBuilder(tenant)
            .setBudgetId("route:income|day")
            .setTenant(null)
            .setRoute("income")
            .setLimitMicroUsd(1_000_000)
            .build();
    define(route.getBudgetId(), route);

    requests.pipeInput(
        BudgetBookTest.ID, BudgetBookTest.req(BudgetOp.RESERVE, "t1/1/1", 8_000, 0, List.of()));
    requests.pipeInput(
        BudgetBookTest.ID, BudgetBookTest.req(BudgetOp.RESERVE, "t2/1/1", 8_000, 0, List.of()));
    var answers = replies.readKeyValuesToList();
    assertThat(answers).hasSize(2);
    assertThat(answers.get(0).key).isEqualTo("w1");
    assertThat(answers.get(0).value.getGranted()).isTrue();
    assertThat(answers.get(1).value.getGranted()).isFalse();

    ModelUsage u = usage("t1/1/1", "acme", "income", 3_000);
    usage.pipeInput("t1", u);
    usage.pipeInput("t1", u); // delivered twice: charged once
    usage.pipeInput("t9", usage("t9/1/1", "globex", "banking", 5_000)); // under no budget
    // one charge per budget the event falls under (tenant and route), once
    assertThat(charges.getQueueSize()).isEqualTo(2);
    forwardCharges();

    KeyValueStore<String, BudgetLedgerState> store = driver.getKeyValueStore(LedgerTopology.LEDGER);
    assertThat(store.get(BudgetBookTest.ID).getSpentMicroUsd()).isEqualTo(3_000);
    assertThat(store.get(BudgetBookTest.ID).getHolds()).isEmpty();
    assertThat(store.get("route:income|day").getSpentMicroUsd()).isEqualTo(3_000);
    assertThat(
            meters
                .get("agentyard.budget.remaining.micro.usd")
                .tag("budget", BudgetBookTest.ID)
                .gauge()
                .value())
        .isEqualTo(7_000);

    // the freed budget is reservable again
    requests.pipeInput(
        BudgetBookTest.ID, BudgetBookTest.req(BudgetOp.RESERVE, "t2/1/2", 7_000, 0, List.of()));
    assertThat(replies.readValue().getGranted()).isTrue();
  }

  @Test
  void aDeletedBudgetLimitsNothing() {
    BudgetDefinition tenant = BudgetBookTest.budget(1_000, BudgetMode.HARD);
    define(tenant.getBudgetId(), tenant);
    define(tenant.getBudgetId(), null);
    requests.pipeInput(
        BudgetBookTest.ID, BudgetBookTest.req(BudgetOp.RESERVE, "t1/1/1", 8_000, 0, List.of()));
    BudgetReply r = replies.readValue();
    assertThat(r.getGranted()).isTrue();
    assertThat(r.getDetail()).contains("no such budget");
  }

  static ModelUsage usage(String attemptId, String tenant, String route, long cost) {
    Instant at = BudgetBookTest.T0;
    return ModelUsage.newBuilder()
        .setAttemptId(attemptId)
        .setTaskId(attemptId.split("/")[0])
        .setTenant(tenant)
        .setRoute(route)
        .setProvider("anthropic")
        .setModel("claude-haiku-4-5")
        .setRequestedModel("claude-haiku-4-5")
        .setTurn(1)
        .setAttempt(1)
        .setOutcome(CallOutcome.SUCCESS)
        .setInputTokens(100)
        .setOutputTokens(10)
        .setCostMicroUsd(cost)
        .setPriceTableVersion("test")
        .setLatencyMs(100)
        .setStartedAt(at.minusMillis(100))
        .setCompletedAt(at)
        .build();
  }
}
