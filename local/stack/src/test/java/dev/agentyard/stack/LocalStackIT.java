package dev.agentyard.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.dlq.DlqCli;
import dev.agentyard.local.Ports;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The main job end to end, on the tests' broker and registry: the same stack the README command
 * starts, the same sample workload, the same report — asserted instead of printed.
 */
@ExtendWith(KafkaAndRegistryExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStackIT {

  LocalStack stack;
  SampleWorkload workload;
  StackRun.Report report;

  @BeforeAll
  void runTheSample(KafkaCluster kafka, SchemaRegistryEndpoint registry, @TempDir Path data)
      throws Exception {
    StackConfig.Ports ports =
        new StackConfig.Ports(
            0,
            0,
            0,
            Ports.pick(),
            Ports.pick(),
            Ports.pick(),
            Ports.pick(),
            Ports.pick(),
            Ports.pick());
    StackConfig config =
        new StackConfig(
            data,
            Optional.of(kafka.bootstrapServers()),
            Optional.of(registry.url()),
            (short) 1,
            ports,
            false,
            8,
            StackConfig.DEFAULT_RETRY_DELAYS,
            Duration.ofMinutes(3));
    stack = LocalStack.start(config, line -> {});
    workload = SampleWorkload.build("it-" + System.nanoTime(), 8, data.resolve("documents"));
    report = StackRun.run(stack, workload, config.timeout(), line -> {});
    System.out.println(Summary.render(report, stack.endpoints()));
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyPublishedTaskIsAccountedForExactlyOnceAsTheSampleMeant() {
    assertThat(report.published()).isEqualTo(workload.submissions().size()).isGreaterThan(8 * 3);
    assertThat(report.accounted()).isEqualTo(report.published());
    assertThat(report.duplicates()).isZero();
    assertThat(report.unexpected()).isEmpty();
    assertThat(report.byOutcome()).containsOnlyKeys("completed", "review", "dead letter");
    assertThat(report.resultsByRoute())
        .containsKeys("income", "banking", "identity", "property", "fraud");
  }

  /** The trace id the run's summary gives for a kind of task. */
  private String traceOf(String kind) {
    return report.traces().entrySet().stream()
        .filter(e -> e.getKey().startsWith(kind))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " trace: " + report.traces()));
  }

  /** A trace's spans as Zipkin's API returns them, once {@code complete} holds (or 45 s). */
  private static JsonNode zipkinTrace(String zipkin, String traceId, Predicate<JsonNode> complete) {
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    return await()
        .atMost(Duration.ofSeconds(45))
        .until(
            () -> {
              HttpResponse<String> r =
                  http.send(
                      HttpRequest.newBuilder(URI.create(zipkin + "/api/v2/trace/" + traceId))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              return r.statusCode() == 200 ? json.readTree(r.body()) : json.createArrayNode();
            },
            complete::test);
  }

  @Test
  void theDeadLetterTheSummarySaysToReplayHasItsFailedDecisionInZipkin() {
    String zipkin = stack.endpoints().zipkin().orElseThrow();
    String traceId = traceOf("dead letter, to replay");
    JsonNode spans =
        zipkinTrace(
            zipkin,
            traceId,
            a -> {
              for (JsonNode x : a) {
                if (x.path("name").asText().equals("process agent.tasks.v1")
                    && x.path("tags").has("error.type")) {
                  return true;
                }
              }
              return false;
            });
    assertThat(spans).isNotEmpty();
    assertThat(spans.findValuesAsText("error.type"))
        .anySatisfy(t -> assertThat(t).contains("DocumentException"));
  }

  @Test
  void aTaskThroughTriageToASpecialistIsOneTraceInZipkinWithoutOrphansOrDocumentText()
      throws Exception {
    String zipkin = stack.endpoints().zipkin().orElseThrow();
    String traceId = traceOf("triage, then a specialist");
    // spans are exported in batches (every 5 s): wait until both services' spans are there
    JsonNode spans =
        zipkinTrace(
            zipkin,
            traceId,
            a -> {
              Set<String> names = new TreeSet<>();
              a.forEach(x -> names.add(x.path("name").asText()));
              return names.contains("invoke_agent triage")
                  && names.stream().anyMatch(n -> n.startsWith("chat "))
                  && names.contains("process agent.results.v1")
                  && names.stream()
                      .anyMatch(
                          n ->
                              n.startsWith("invoke_agent ")
                                  && !n.equals("invoke_agent triage")
                                  && !n.equals("invoke_agent fraud"));
            });
    Set<String> ids = new TreeSet<>();
    spans.forEach(x -> ids.add(x.path("id").asText()));
    long roots = 0;
    Set<String> services = new TreeSet<>();
    for (JsonNode x : spans) {
      services.add(x.path("localEndpoint").path("serviceName").asText());
      if (x.hasNonNull("parentId")) {
        assertThat(ids)
            .as("parent of %s", x.path("name").asText())
            .contains(x.get("parentId").asText());
      } else {
        roots++;
      }
      x.path("tags")
          .fields()
          .forEachRemaining(
              t ->
                  assertThat(t.getValue().asText())
                      .as("tag %s of %s", t.getKey(), x.path("name").asText())
                      .hasSizeLessThan(200)
                      .doesNotContain("Applicant"));
    }
    assertThat(roots).as("one root: the router's first decision").isEqualTo(1);
    assertThat(services).contains("router-service", "agent-workers");
    // and a task routed straight to its specialist, with its tool calls
    JsonNode toolTrace =
        zipkinTrace(
            zipkin,
            traceOf("routed, two tool calls"),
            a -> {
              long toolSpans = 0;
              for (JsonNode x : a) {
                if (x.path("name").asText().startsWith("execute_tool ")) {
                  toolSpans++;
                }
              }
              return toolSpans >= 2;
            });
    boolean chatWithTokens = false;
    for (JsonNode x : toolTrace) {
      if (x.path("name").asText().startsWith("chat ")) {
        chatWithTokens |=
            x.path("tags").has("gen_ai.usage.input_tokens")
                && x.path("tags").has("gen_ai.provider.name")
                && x.path("tags").has("agentyard.cost.micro_usd");
      }
    }
    assertThat(chatWithTokens).as("chat spans carry tokens, provider and cost").isTrue();
    System.out.println(
        "trace "
            + stack.endpoints().traceLink(traceId).orElseThrow()
            + ": "
            + spans.size()
            + " spans");
  }

  @Test
  void theExpectedDeadLettersAndReviewItemsArePresent() {
    Map<String, Long> deadLetters = new TreeMap<>(report.deadLettersByReason());
    // The outage document is an income document; income fans out to fraud for 20 % of applications,
    // chosen by a hash of the correlation id, which holds this run's random id. When its
    // application
    // is chosen, its fraud copy meets the same outage and is dead-lettered too (that it ended so,
    // and
    // exactly once, is checked per task by
    // everyPublishedTaskIsAccountedForExactlyOnceAsTheSampleMeant).
    Long fraudCopy = deadLetters.remove("RETRIES_EXHAUSTED (agent.route.fraud.v1.dlq)");
    assertThat(fraudCopy).isIn(null, 1L);
    assertThat(deadLetters)
        .containsOnlyKeys(
            "DESERIALIZATION_FAILED (agent.tasks.v1.dlq)", "UNKNOWN_SCHEMA (agent.tasks.v1.dlq)",
            "DOCUMENT_UNAVAILABLE (agent.tasks.v1.dlq)",
                "RETRIES_EXHAUSTED (agent.route.income.v1.dlq)");
    assertThat(report.reviewsByReason())
        .containsKeys(
            "INJECTION_SUSPECTED (router)",
            "LOW_CONFIDENCE (router)",
            "CONTENT_POLICY_REFUSAL (worker)");
    assertThat(report.fallbacks()).isPositive();
    assertThat(report.retries()).isPositive();
  }

  @Test
  void costPerRouteEqualsTheSimulatorLedgerAndTheCostAggregator() {
    assertThat(report.usageCostMicroUsd()).isPositive();
    assertThat(report.ledgerCostMicroUsd()).contains(report.usageCostMicroUsd());
    assertThat(report.ledgerCalls()).contains(report.modelCalls());
    assertThat(report.aggregatorCostMicroUsd()).contains(report.usageCostMicroUsd());
    assertThat(report.cost())
        .extracting(StackRun.CostLine::route)
        .contains("income", "banking", "identity", "property", "fraud");
  }

  @Test
  void everyMetricTheAlertRulesAndDashboardsUseIsOneTheServicesExpose() throws Exception {
    LocalStack.Endpoints ep = stack.endpoints();
    Set<String> exposed = new TreeSet<>();
    var http = HttpClient.newHttpClient();
    for (String base : List.of(ep.router(), ep.workers(), ep.cost(), ep.dlq())) {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      body.lines()
          .filter(l -> !l.startsWith("#") && !l.isBlank())
          .forEach(l -> exposed.add(l.split("[{ ]", 2)[0]));
    }
    // a counter with labels is registered at its first event: one the sample never causes (a budget
    // alert) must at
    // least be registered by the code under exactly that name
    String sources = mainSources();
    List<String> missing =
        DeployFiles.referencedMetrics().stream()
            .filter(m -> !exposed.contains(m))
            .filter(
                m -> {
                  String base = m.replaceAll("_(total|bucket|count|sum|max)$", "");
                  return !sources.contains("\"" + base + "\"")
                      && !sources.contains("\"" + base.replace('_', '.') + "\"");
                })
            .toList();
    assertThat(missing)
        .as("metrics used by deploy/prometheus and deploy/grafana that no service exposes")
        .isEmpty();
    assertThat(DeployFiles.referencedMetrics().stream().filter(exposed::contains).count())
        .as("most are seen live after the sample run")
        .isGreaterThanOrEqualTo(DeployFiles.referencedMetrics().size() - 2);
  }

  private static String mainSources() throws IOException {
    StringBuilder all = new StringBuilder();
    for (String module :
        List.of(
            "router-service",
            "agent-workers",
            "cost-aggregator",
            "dlq-handler",
            "service-runtime")) {
      try (var files = Files.walk(DeployFiles.ROOT.resolve(module).resolve("src/main/java"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          all.append(Files.readString(f));
        }
      }
    }
    return all.toString();
  }

  @Test
  void aDeadLetterReplayedWithTheDlqToolComesOutAsAResult() throws Exception {
    List<String> restored = workload.restoreMissingDocuments();
    assertThat(restored).hasSize(1);
    String taskId = restored.get(0);
    LocalStack.Endpoints ep = stack.endpoints();
    try (Scoreboard board =
        Scoreboard.start(ep.bootstrapServers(), ep.registryUrl(), stack.topics(), Set.of(taskId))) {
      StringWriter out = new StringWriter();
      int code =
          new CommandLine(new DlqCli())
              .setOut(new PrintWriter(out))
              .setErr(new PrintWriter(out))
              .execute(
                  "-D",
                  "kafka.bootstrap.servers=" + ep.bootstrapServers(),
                  "-D",
                  "schema.registry.url=" + ep.registryUrl(),
                  "--operator",
                  "it",
                  "replay",
                  "--task",
                  taskId,
                  "--execute",
                  "--why",
                  "document restored");
      assertThat(code).as(out::toString).isZero();
      assertThat(out.toString())
          .contains("1 selected, 1 accepted, 0 refused")
          .contains("replayed 1/1");
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                Scoreboard.TaskTrace t = board.snapshot().get(taskId);
                // on failure, say how the replayed task ended (one run in nine dead-lettered it
                // again)
                assertThat(t.outcome())
                    .as(
                        "replayed %s: legs %s, dead letters %s, results %d, reviews %d",
                        taskId, t.legs(), t.deadLetters(), t.results().size(), t.reviews().size())
                    .contains("completed");
              });
      Map<String, Scoreboard.TaskTrace> snap = board.snapshot();
      assertThat(snap.get(taskId).results())
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.getTaskId()).isEqualTo(taskId));
      assertThat(snap.get(taskId).duplicates()).isZero();
    }
  }
}
