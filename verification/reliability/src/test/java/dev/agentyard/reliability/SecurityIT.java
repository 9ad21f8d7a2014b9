package dev.agentyard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.JournalStepKind;
import dev.agentyard.avro.RunJournalEntry;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.OwnCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import dev.agentyard.testing.TopicTail;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 8: a model that tries what it must not. On identity documents it calls approve_loan,
 * which is not on the identity route's allowlist; on income documents it proposes approve_loan,
 * which is irreversible. Neither is ever executed: both go to human review. One proposal is then
 * approved through the dead-letter console's HTTP API (which refuses a missing and a wrong token),
 * and exactly that call is executed, once. Every secret is looked for everywhere (the scan of every
 * scenario, and here again after the approval).
 */
@Tag("reliability")
@OwnCluster(perTest = true)
@ExtendWith(KafkaAndRegistryExtension.class)
class SecurityIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String APPROVE =
      "approve_loan:{\"applicationId\":\"A-1\",\"decision\":\"approve\",\"amount\":250000,"
          + "\"rationale\":\"income verified\"}";

  @Test
  @Timeout(value = 7, unit = TimeUnit.MINUTES)
  void noToolOutsideTheAllowlistAndNoIrreversibleToolWithoutASingleUseGrant(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Path dir = ReliabilityReport.scenarioDir("security");
    Map<String, String> model =
        Map.of(
            "sim.script.identity.steps",
            APPROVE,
            "sim.script.income.steps",
            "extract_figures:{\"labels\":[\"wages\"]}," + APPROVE);
    try (Pipeline p = Pipeline.start("security", kafka, registry, dir, model, Map.of());
        ScenarioRun run = ScenarioRun.begin(p, 8)) {
      Service dlq = p.startDlqServer();
      String base = "http://127.0.0.1:" + dlq.port() + "/api/v1/";
      String token = p.secrets().get("dlq bearer token");
      String wrong = "dlqtok-" + "Z".repeat(43);
      p.secrets().put("wrong bearer token", wrong); // a wrong token must not be logged either
      HttpClient http = HttpClient.newHttpClient();
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "reviews")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .as("no token")
          .isEqualTo(401);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "reviews"))
                          .header("Authorization", "Bearer " + wrong)
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .as("wrong token")
          .isEqualTo(401);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "reviews"))
                          .header("Authorization", "Basic " + token)
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .as("right token, wrong scheme")
          .isEqualTo(401);

      run.publish(40);
      run.verify(
              "8 applications at 40 tasks/s",
              "the model calls approve_loan on every identity and income document",
              Duration.ofMinutes(4))
          .assertHeld();
      Map<String, String> end = run.endings();
      assertThat(end.values())
          .contains("review (TOOL_NOT_ALLOWED)", "review (IRREVERSIBLE_ACTION)");
      Service worker = p.workers().get(0);
      assertThat(toolCalls(worker, "identity", "approve_loan"))
          .as("identity: asked, never executed")
          .containsKey("hallucinated")
          .doesNotContainKeys("ok", "approved", "error");
      assertThat(toolCalls(worker, "income", "approve_loan"))
          .as("income: proposed, never executed without a grant")
          .containsKey("irreversible")
          .doesNotContainKeys("ok", "approved", "error");

      assertThat(run.scanSecrets()).as("secrets after the approval").isEmpty();
    }
  }

  /**
   * A reviewer approves an {@code approve_loan} proposal through the HTTP API: the task goes back
   * to its route with a signed, single-use grant, and the worker runs that call once under it and
   * writes one result naming the grant; approving the same item again is refused.
   */
  @Test
  @Timeout(value = 7, unit = TimeUnit.MINUTES)
  void anApprovedProposalRunsExactlyOnceUnderItsGrant(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    try (Pipeline p = approvalPipeline("security-approval", kafka, registry, Map.of());
        ScenarioRun run = ScenarioRun.begin(p, 4)) {
      Reviewer reviewer = Reviewer.of(p);
      Service worker = p.workers().get(0);
      JsonNode first = proposalAfterTheScenario(run, reviewer);
      // a reviewer approves one proposal: exactly that call runs, once
      String reviewId = first.path("id").asText();
      String taskId = first.path("item").path("taskId").asText();
      ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> results = new ConcurrentLinkedQueue<>();
      // the endings, and (to tell why, should there be none) the route's own, delay and dead-letter
      // topics
      List<String> watched =
          new java.util.ArrayList<>(List.of(Topics.RESULTS.name(), Topics.REVIEW.name()));
      Topics.catalogue(List.of("income"), Pipeline.RETRY_DELAYS).stream()
          .map(t -> t.name())
          .filter(n -> n.startsWith(Topics.route("income").name()))
          .forEach(watched::add);
      try (TopicTail tail = TopicTail.start(kafka, watched, results::add)) {
        HttpResponse<String> approved = reviewer.approve(reviewId, "documents verified");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        String grantId = JSON.readTree(approved.body()).path("grantId").asText();
        assertThat(grantId).isNotBlank();
        try {
          await("an ending of the approved task")
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(100))
              .until(
                  () ->
                      results.stream()
                          .anyMatch(
                              r ->
                                  isEnding(r.topic())
                                      && new String(r.key(), StandardCharsets.UTF_8)
                                          .equals(taskId)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          // none in time: the assertion below fails, listing every record of the task instead
        }
        // what came of the approved task: one result (a review item again would say in its detail
        // why the grant was refused)
        assertThat(results)
            .filteredOn(
                r ->
                    isEnding(r.topic())
                        && new String(r.key(), StandardCharsets.UTF_8).equals(taskId))
            .as(
                "after approval %s: %s",
                approved.body(),
                results.stream()
                    .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(taskId))
                    .map(
                        r ->
                            r.topic()
                                + " "
                                + java.util.stream.StreamSupport.stream(
                                        r.headers().spliterator(), false)
                                    .filter(h -> h.key().startsWith("agentyard"))
                                    .map(
                                        h ->
                                            h.key()
                                                + "="
                                                + new String(h.value(), StandardCharsets.UTF_8))
                                    .toList()
                                + " "
                                + new String(r.value(), StandardCharsets.UTF_8)
                                    .replaceAll("[^\\x20-\\x7e]", "."))
                    .collect(Collectors.joining(" | ")))
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.topic()).isEqualTo(Topics.RESULTS.name());
                  AgentResult result = readResult(registry, r);
                  assertThat(result.getApprovalGrantId()).isEqualTo(grantId);
                  assertThat(result.getApprovedBy()).isEqualTo("api:oncall");
                });
      }
      assertThat(toolCalls(worker, "income", "approve_loan"))
          .as("executed once, under the grant")
          .containsEntry("approved", 1.0);
      // approving the same item again is refused: a decision is final and a grant is single-use
      HttpResponse<String> again = reviewer.approve(reviewId, "again");
      assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
      assertThat(JSON.readTree(again.body()).path("outcome").asText()).isEqualTo("REFUSED");
    }
  }

  /**
   * A reviewer approves a proposal and the worker is SIGKILLed right after it ran {@code
   * approve_loan} under the grant (its journal step is durable) and before the run's result is
   * committed; the restarted worker resumes the run from its journal, does not run the tool again,
   * and writes the one result naming the grant.
   */
  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void anApprovalWhoseWorkerIsKilledAfterTheToolRanRunsItOnce(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    // each call takes 1.5 s: the run's last call is still out when the tool's step is seen
    try (Pipeline p =
            approvalPipeline(
                "security-approval-kill",
                kafka,
                registry,
                Map.of("sim.default.latency", "1500ms", "sim.default.jitter", "0ms"));
        ScenarioRun run = ScenarioRun.begin(p, 4)) {
      Reviewer reviewer = Reviewer.of(p);
      Service worker = p.workers().get(0);
      JsonNode proposal = proposalAfterTheScenario(run, reviewer);
      String reviewId = proposal.path("id").asText();
      String taskId = proposal.path("item").path("taskId").asText();
      ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> seen = new ConcurrentLinkedQueue<>();
      String journal = Topics.journal("income").name();
      try (TopicTail tail =
          TopicTail.start(kafka, List.of(journal, Topics.RESULTS.name()), seen::add)) {
        HttpResponse<String> approved = reviewer.approve(reviewId, "documents verified");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        String grantId = JSON.readTree(approved.body()).path("grantId").asText();
        Predicate<ConsumerRecord<byte[], byte[]>> toolRan =
            r -> r.topic().equals(journal) && ranUnder(registry, r, taskId, grantId);
        await("approve_loan's journal step")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> seen.stream().anyMatch(toolRan));
        assertThat(resultsOf(seen, taskId)).as("killed before the result").isEmpty();
        worker.kill();
        worker.start();
        worker.awaitReady(Duration.ofMinutes(1));
        await("the resumed run's result")
            .atMost(Duration.ofMinutes(2))
            .until(() -> !resultsOf(seen, taskId).isEmpty());
        assertThat(resultsOf(seen, taskId))
            .singleElement()
            .satisfies(
                r -> {
                  AgentResult result = readResult(registry, r);
                  assertThat(result.getApprovalGrantId()).isEqualTo(grantId);
                  assertThat(result.getApprovedBy()).isEqualTo("api:oncall");
                });
        assertThat(seen.stream().filter(toolRan)).as("approve_loan run once, journaled").hasSize(1);
      }
      assertThat(toolCalls(worker, "income", "approve_loan"))
          .as("the restarted worker read the tool's result back; it did not run it")
          .doesNotContainKey("approved");
    }
  }

  /** A pipeline whose income route proposes {@code approve_loan} after reading the figures. */
  static Pipeline approvalPipeline(
      String scenario,
      KafkaCluster kafka,
      SchemaRegistryEndpoint registry,
      Map<String, String> simulator)
      throws Exception {
    Path dir = ReliabilityReport.scenarioDir(scenario);
    Map<String, String> model = new java.util.HashMap<>(simulator);
    model.put("sim.script.income.steps", "extract_figures:{\"labels\":[\"wages\"]}," + APPROVE);
    // the sample's outage task (every call answered 503, replayed by the scenario's check) opens
    // the income models' breakers just before the approval; they stay open 2 s here, not 30, so the
    // approved run is not refused by a breaker the outage left open
    Map<String, Map<String, String>> services =
        Map.of("workers", Map.of("worker.resilience.breaker.open-for", "2s"));
    return Pipeline.start(scenario, kafka, registry, dir, model, services);
  }

  /** The dlq-handler's HTTP API as a reviewer (the on-call token) uses it. */
  private record Reviewer(HttpClient http, String base, String token) {
    static Reviewer of(Pipeline p) throws InterruptedException {
      Service dlq = p.startDlqServer();
      return new Reviewer(
          HttpClient.newHttpClient(),
          "http://127.0.0.1:" + dlq.port() + "/api/v1/",
          p.secrets().get("dlq bearer token"));
    }

    HttpResponse<String> get(String path) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Authorization", "Bearer " + token)
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> approve(String reviewId, String why) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create(base + "reviews/" + reviewId + "/approve"))
              .header("Authorization", "Bearer " + token)
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      JSON.createObjectNode().put("why", why).toString()))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  /** Runs the scenario's sample, checks its invariants, and returns the first open proposal. */
  private static JsonNode proposalAfterTheScenario(ScenarioRun run, Reviewer reviewer)
      throws Exception {
    run.publish(40);
    run.verify(
            "4 applications",
            "the model proposes approve_loan on income documents",
            Duration.ofMinutes(4))
        .assertHeld();
    HttpResponse<String> open =
        reviewer.get(
            "reviews?status=open&reason=IRREVERSIBLE_ACTION&tenant=" + run.tenants().get(0));
    assertThat(open.statusCode()).isEqualTo(200);
    return JSON.readTree(open.body()).get(0);
  }

  private static List<ConsumerRecord<byte[], byte[]>> resultsOf(
      java.util.Collection<ConsumerRecord<byte[], byte[]>> seen, String taskId) {
    return seen.stream()
        .filter(r -> r.topic().equals(Topics.RESULTS.name()))
        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(taskId))
        .toList();
  }

  /**
   * Whether a journal record is the step of {@code approve_loan} run for the task under the grant.
   */
  private static boolean ranUnder(
      SchemaRegistryEndpoint registry,
      ConsumerRecord<byte[], byte[]> r,
      String taskId,
      String grantId) {
    if (r.value() == null) {
      return false; // a finished run's tombstone
    }
    Map<String, String> conf = Map.of("schema.registry.url", registry.url());
    try (var client = dev.agentyard.schemas.registry.SchemaRegistryClients.create(conf)) {
      RunJournalEntry e =
          dev.agentyard.schemas.serde.AvroSerde.specific(RunJournalEntry.class, client, conf)
              .deserializer()
              .deserialize(r.topic(), r.headers(), r.value());
      return e.getTaskId().equals(taskId)
          && e.getStep() == JournalStepKind.TOOL_EXECUTED
          && "approve_loan".equals(e.getTool())
          && grantId.equals(e.getGrantId());
    } catch (Exception e) {
      throw new AssertionError("cannot read the journal", e);
    }
  }

  private static AgentResult readResult(
      SchemaRegistryEndpoint registry, ConsumerRecord<byte[], byte[]> r) {
    Map<String, String> conf = Map.of("schema.registry.url", registry.url());
    try (var client = dev.agentyard.schemas.registry.SchemaRegistryClients.create(conf)) {
      return dev.agentyard.schemas.serde.AvroSerde.specific(AgentResult.class, client, conf)
          .deserializer()
          .deserialize(r.topic(), r.headers(), r.value());
    } catch (Exception e) {
      throw new AssertionError("cannot read the result", e);
    }
  }

  private static boolean isEnding(String topic) {
    return topic.equals(Topics.RESULTS.name()) || topic.equals(Topics.REVIEW.name());
  }

  /** The worker's tool-call counter for one route and tool, by outcome. */
  private static Map<String, Double> toolCalls(Service worker, String route, String tool) {
    String metrics = worker.get("/metrics").orElseThrow().body();
    Map<String, Double> out = new TreeMap<>();
    Matcher m =
        Pattern.compile("agentyard_worker_tool_calls_total\\{([^}]*)} (\\S+)").matcher(metrics);
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("agentyard_route=\"" + route + "\"")
          && labels.contains("tool=\"" + tool + "\"")) {
        Matcher o = Pattern.compile("outcome=\"([^\"]+)\"").matcher(labels);
        if (o.find()) {
          out.put(o.group(1), Double.parseDouble(m.group(2)));
        }
      }
    }
    return out;
  }
}
