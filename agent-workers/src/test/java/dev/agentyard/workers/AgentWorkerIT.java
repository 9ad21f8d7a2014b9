package dev.agentyard.workers;

import static dev.agentyard.workers.WorkerTestKit.task;
import static dev.agentyard.workers.WorkerTestKit.w2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.avro.JournalStepKind;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.ResultStatus;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.ReviewReason;
import dev.agentyard.avro.RunJournalEntry;
import dev.agentyard.avro.StopReason;
import dev.agentyard.runtime.deadletter.DeadLetterHeaders;
import dev.agentyard.simulator.Ledger;
import dev.agentyard.simulator.ProviderSimulator;
import dev.agentyard.simulator.SimulatorConfig;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.OwnCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker on a real broker and registry against the provider simulator. Each test serves its own
 * route (or its own task ids), so tests sharing the cluster do not see each other's work. The class
 * has a cluster of its own: other classes provision the route topics with other partition counts,
 * and a route's topics and journal must agree.
 */
@OwnCluster
@ExtendWith(KafkaAndRegistryExtension.class)
class AgentWorkerIT {

  static final String INCOME_ANSWER =
      "{\"documentType\":\"w2\",\"applicantName\":\"Jane Doe\",\"employer\":null,\"taxYear\":2025,"
          + "\"annualIncome\":84200,\"monthlyDebtPayments\":2450,\"dti\":0.3492,\"confidence\":0.93,\"issues\":[]}";

  static ProviderSimulator simulator(Map<String, String> extra) {
    Map<String, String> c =
        new HashMap<>(
            Map.of(
                "sim.port",
                "0",
                "sim.default.latency",
                "30ms",
                "sim.default.jitter",
                "10ms",
                "sim.default.timeout-delay",
                "3s",
                "sim.cache.min-tokens",
                "200",
                "sim.seed",
                "7"));
    c.putAll(extra);
    return ProviderSimulator.start(SimulatorConfig.withDefaults(c));
  }

  static <T> Map<String, List<T>> byTask(List<T> items, Function<T, String> id, Set<String> ours) {
    synchronized (items) {
      return items.stream()
          .filter(i -> ours.contains(id.apply(i)))
          .collect(Collectors.groupingBy(id));
    }
  }

  @Test
  void aFaultyBatchEndsWithEveryTaskAccountedForAndOurCostsEqualTheProvidersLedger(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Map<String, String> sim = new HashMap<>();
    sim.put("sim.model.claude-haiku-4-5.fault.429", "0.08");
    sim.put("sim.model.claude-haiku-4-5.fault.503", "0.05");
    sim.put("sim.model.claude-haiku-4-5.fault.malformed", "0.03");
    sim.put("sim.model.claude-haiku-4-5.fault.reset", "0.03");
    sim.put("sim.model.claude-haiku-4-5.fault.timeout", "0.02");
    sim.put("sim.model.gpt-4o-mini.fault.500", "0.05");
    sim.put("sim.script.income.match", "Route: income");
    sim.put(
        "sim.script.income.steps",
        "extract_figures:{\"labels\":[\"wages\"]},compute_dti:{\"monthlyDebtPayments\":2450,\"annualGrossIncome\":84200}");
    sim.put("sim.script.income.final", INCOME_ANSWER);
    try (ProviderSimulator provider = simulator(sim);
        WorkerTestKit kit = new WorkerTestKit(kafka, registry, List.of("income"), 4);
        AgentWorkerApp worker =
            AgentWorkerApp.start(WorkerConfig.effective(incomeConfig(kit, provider)), Map.of())) {
      Set<String> normal = new HashSet<>();
      Set<String> toReview = new HashSet<>();
      Set<String> toDeadLetter = new HashSet<>();
      for (int i = 0; i < 50; i++) {
        normal.add("inc-ok-" + i);
      }
      for (int i = 0; i < 3; i++) {
        toReview.add("inc-refused-" + i);
      }
      for (int i = 0; i < 2; i++) {
        toDeadLetter.add("inc-down-" + i);
      }
      for (int i = 0; i < 2; i++) {
        toReview.add("inc-huge-" + i);
      }
      dev.agentyard.runtime.tracing.TraceParent trace =
          dev.agentyard.runtime.tracing.TraceParent.newRoot();
      for (String id : normal) {
        kit.publish(task(id, "income", w2(id, "")), id.equals("inc-ok-0") ? trace : null);
      }
      for (String id : toReview) {
        kit.publish(
            task(
                id,
                "income",
                w2(id, id.contains("refused") ? "[[sim:refusal]]" : "[[sim:context]]")));
      }
      for (String id : toDeadLetter) {
        kit.publish(
            task(id, "income", w2(id, "[[sim:503]]"))); // every model fails on every attempt
      }
      kit.publishRaw("income", "inc-poison", "not avro at all".getBytes(StandardCharsets.UTF_8));
      Set<String> all = new HashSet<>(normal);
      all.addAll(toReview);
      all.addAll(toDeadLetter);
      all.add("inc-poison");

      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                Set<String> ended =
                    new HashSet<>(byTask(kit.results, AgentResult::getTaskId, all).keySet());
                ended.addAll(byTask(kit.reviews, ReviewItem::getTaskId, all).keySet());
                kit.deadLetters.forEach(r -> ended.add(WorkerTestKit.key(r)));
                ended.retainAll(all);
                assertThat(ended).hasSize(all.size());
              });

      // every task ended exactly once, where it should
      Map<String, List<AgentResult>> results = byTask(kit.results, AgentResult::getTaskId, all);
      Map<String, List<ReviewItem>> reviews = byTask(kit.reviews, ReviewItem::getTaskId, all);
      List<String> dead =
          kit.deadLetters.stream().map(WorkerTestKit::key).filter(all::contains).toList();
      assertThat(results.keySet())
          .as(
              () ->
                  "normal tasks that did not complete: "
                      + normal.stream()
                          .filter(id -> !results.containsKey(id))
                          .map(
                              id ->
                                  id
                                      + "="
                                      + (reviews.containsKey(id)
                                          ? reviews.get(id).get(0).getReason()
                                              + ":"
                                              + reviews.get(id).get(0).getDetail()
                                          : "dead letter"))
                          .toList())
          .isEqualTo(normal);
      assertThat(results.values()).allSatisfy(r -> assertThat(r).hasSize(1));
      assertThat(reviews.keySet()).isEqualTo(toReview);
      assertThat(reviews.values()).allSatisfy(r -> assertThat(r).hasSize(1));
      assertThat(dead)
          .containsExactlyInAnyOrderElementsOf(union(toDeadLetter, Set.of("inc-poison")));
      assertThat(reviews.get("inc-refused-0").get(0).getReason())
          .isEqualTo(ReviewReason.CONTENT_POLICY_REFUSAL);
      assertThat(reviews.get("inc-huge-0").get(0).getStopReason())
          .isEqualTo(StopReason.CONTEXT_LENGTH);
      kit.deadLetters.stream()
          .filter(r -> WorkerTestKit.key(r).startsWith("inc-down"))
          .forEach(
              r ->
                  assertThat(
                          new String(
                              r.headers().lastHeader(DeadLetterHeaders.REASON).value(),
                              StandardCharsets.UTF_8))
                      .isEqualTo("RETRIES_EXHAUSTED"));
      kit.deadLetters.stream()
          .filter(r -> WorkerTestKit.key(r).equals("inc-poison"))
          .forEach(
              r ->
                  assertThat(
                          new String(
                              r.headers().lastHeader(DeadLetterHeaders.REASON).value(),
                              StandardCharsets.UTF_8))
                      .isEqualTo("DESERIALIZATION_FAILED"));
      AgentResult sample = results.get("inc-ok-0").get(0);
      assertThat(sample.getStopReason()).isEqualTo(StopReason.DONE);
      assertThat(sample.getToolCalls()).isEqualTo(2);
      assertThat(sample.getTurns()).isEqualTo(3);

      // the task's trace continues on its result and on every usage event
      assertThat(kit.traceIds.get("agent.results.v1|inc-ok-0")).isEqualTo(trace.traceId());
      assertThat(kit.traceIds.get("agent.usage.v1|inc-ok-0")).isEqualTo(trace.traceId());

      // one usage event per call the provider saw, and our costs equal its books to the micro-USD
      Ledger.Totals ledger = provider.ledger().totals();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(ours(kit.usage, all)).hasSize((int) ledger.calls()));
      List<ModelUsage> usage = ours(kit.usage, all);
      assertThat(usage.stream().mapToLong(ModelUsage::getCostMicroUsd).sum())
          .isEqualTo(ledger.costMicroUsd());
      assertThat(usage.stream().mapToLong(ModelUsage::getInputTokens).sum())
          .isEqualTo(ledger.inputTokens());
      assertThat(usage.stream().mapToLong(ModelUsage::getCacheReadTokens).sum())
          .isEqualTo(ledger.cacheReadTokens())
          .isPositive();
      assertThat(usage.stream().mapToLong(ModelUsage::getCacheWriteTokens).sum())
          .isEqualTo(ledger.cacheWriteTokens());
      assertThat(usage.stream().map(ModelUsage::getAttemptId).distinct().count())
          .isEqualTo(usage.size());
      assertThat(usage)
          .extracting(ModelUsage::getOutcome)
          .contains(CallOutcome.SUCCESS, CallOutcome.SERVER_ERROR, CallOutcome.RATE_LIMITED);
      // and each result's cost is the sum of its task's usage
      Map<String, Long> costByTask =
          usage.stream()
              .collect(
                  Collectors.groupingBy(
                      ModelUsage::getTaskId, Collectors.summingLong(ModelUsage::getCostMicroUsd)));
      results.forEach(
          (id, r) -> assertThat(r.get(0).getCostMicroUsd()).as(id).isEqualTo(costByTask.get(id)));
    }
  }

  /**
   * The doomed tasks fail on every model (a prompt marker), which no real outage does: a breaker
   * judging on many calls keeps them from tripping the healthy models' breakers for everyone.
   */
  static Map<String, String> incomeConfig(WorkerTestKit kit, ProviderSimulator provider) {
    Map<String, String> config = kit.workerConfig(provider.baseUrl(), "income");
    config.put("worker.resilience.breaker.window", "100");
    config.put("worker.resilience.breaker.minimum-calls", "50");
    return config;
  }

  @Test
  void theBreakerOpensAndTheFallbackModelServes(KafkaCluster kafka, SchemaRegistryEndpoint registry)
      throws Exception {
    Map<String, String> sim =
        Map.of(
            "sim.model.claude-haiku-4-5.fault.503",
            "1.0",
            "sim.script.banking.match",
            "Route: banking",
            "sim.script.banking.final",
            "{\"accountHolder\":\"Jane Doe\",\"endingBalance\":5120.44,\"confidence\":0.9,\"issues\":[]}");
    try (ProviderSimulator provider = simulator(sim);
        WorkerTestKit kit = new WorkerTestKit(kafka, registry, List.of("banking"), 2)) {
      Map<String, String> config = kit.workerConfig(provider.baseUrl(), "banking");
      config.put("worker.resilience.attempts-per-model", "1");
      config.put("worker.resilience.breaker.window", "4");
      config.put("worker.resilience.breaker.minimum-calls", "4");
      config.put("worker.resilience.breaker.open-for", "5m");
      try (AgentWorkerApp worker = AgentWorkerApp.start(WorkerConfig.effective(config), Map.of())) {
        Set<String> first = ids("bank-a-", 8);
        for (String id : first) {
          kit.publish(task(id, "banking", "Statement " + id + "\nEnding balance $5,120.44"));
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> byTask(kit.results, AgentResult::getTaskId, first).size() == first.size());
        assertThat(
                worker
                    .meterRegistry()
                    .get("resilience4j.circuitbreaker.state")
                    .tags("name", "anthropic:claude-haiku-4-5", "state", "open")
                    .gauge()
                    .value())
            .isEqualTo(1.0);

        Set<String> second = ids("bank-b-", 8);
        for (String id : second) {
          kit.publish(task(id, "banking", "Statement " + id + "\nEnding balance $5,120.44"));
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> byTask(kit.results, AgentResult::getTaskId, second).size() == second.size());

        Set<String> all = union(first, second);
        assertThat(byTask(kit.results, AgentResult::getTaskId, all).values())
            .allSatisfy(
                rs -> {
                  assertThat(rs).hasSize(1);
                  assertThat(rs.get(0).getStatus()).isEqualTo(ResultStatus.COMPLETED_WITH_FALLBACK);
                  assertThat(rs.get(0).getModel()).isEqualTo("gpt-4o-mini");
                });
        // the open breaker kept the second batch away from the failing model entirely
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> ours(kit.usage, all).size() == provider.ledger().totals().calls());
        assertThat(ours(kit.usage, second))
            .extracting(ModelUsage::getModel)
            .containsOnly("gpt-4o-mini");
        assertThat(ours(kit.usage, second)).allSatisfy(u -> assertThat(u.getFallback()).isTrue());
      }
    }
  }

  @Test
  void aRunawayToolLoopStopsAtItsTurnBudget(KafkaCluster kafka, SchemaRegistryEndpoint registry)
      throws Exception {
    Map<String, String> sim =
        Map.of(
            "sim.script.property.match",
            "Route: property",
            "sim.script.property.steps",
            "extract_figures:{}",
            "sim.script.property.loop",
            "true");
    try (ProviderSimulator provider = simulator(sim);
        WorkerTestKit kit = new WorkerTestKit(kafka, registry, List.of("property"), 2)) {
      Map<String, String> config = kit.workerConfig(provider.baseUrl(), "property");
      config.put("worker.route.property.max-turns", "4");
      try (AgentWorkerApp worker = AgentWorkerApp.start(WorkerConfig.effective(config), Map.of())) {
        Set<String> ids = ids("prop-", 5);
        for (String id : ids) {
          kit.publish(
              task(id, "property", "Appraisal report " + id + "\nAppraised value: $412,000.00"));
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> byTask(kit.reviews, ReviewItem::getTaskId, ids).size() == ids.size());
        assertThat(byTask(kit.reviews, ReviewItem::getTaskId, ids).values())
            .allSatisfy(
                rs -> {
                  assertThat(rs).hasSize(1);
                  assertThat(rs.get(0).getReason()).isEqualTo(ReviewReason.BUDGET_EXHAUSTED);
                  assertThat(rs.get(0).getStopReason()).isEqualTo(StopReason.MAX_TURNS);
                  assertThat(rs.get(0).getCostSoFarMicroUsd()).isPositive();
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> ours(kit.usage, ids).size() == 20);
        assertThat(byTask(kit.usage, ModelUsage::getTaskId, ids).values())
            .allSatisfy(u -> assertThat(u).hasSize(4));
        assertThat(byTask(kit.results, AgentResult::getTaskId, ids)).isEmpty();
      }
    }
  }

  @Test
  void aPausedRouteTakesNothingAndResumesWithoutLoss(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Map<String, String> sim =
        Map.of(
            "sim.script.identity.match",
            "Route: identity",
            "sim.script.identity.final",
            "{\"documentType\":\"passport\",\"fullName\":\"Jane Doe\",\"valid\":true,\"confidence\":0.9,\"issues\":[]}");
    try (ProviderSimulator provider = simulator(sim);
        WorkerTestKit kit = new WorkerTestKit(kafka, registry, List.of("identity"), 2)) {
      kit.control(ControlScope.ROUTE, "identity", ControlAction.PAUSE);
      try (AgentWorkerApp worker =
          AgentWorkerApp.start(
              WorkerConfig.effective(kit.workerConfig(provider.baseUrl(), "identity")), Map.of())) {
        Set<String> ids = ids("id-", 15);
        for (String id : ids) {
          kit.publish(task(id, "identity", "Passport " + id));
        }
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    byTask(kit.results, AgentResult::getTaskId, ids).isEmpty()
                        && provider.ledger().totals().calls() == 0);

        kit.control(ControlScope.ROUTE, "identity", ControlAction.RESUME);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> byTask(kit.results, AgentResult::getTaskId, ids).size() == ids.size());
        assertThat(byTask(kit.results, AgentResult::getTaskId, ids).values())
            .allSatisfy(rs -> assertThat(rs).hasSize(1));
      }
    }
  }

  @Test
  void aWorkerKilledMidBatchIsReplacedWithoutADuplicateResult(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Map<String, String> sim =
        slowScript(
            "fraud",
            Map.of(
                "sim.script.fraud.final",
                "{\"riskLevel\":\"low\",\"signals\":[],\"recommendation\":\"proceed\"}"));
    try (ProviderSimulator provider = simulator(sim);
        WorkerTestKit kit = new WorkerTestKit(kafka, registry, List.of("fraud"), 4)) {
      Map<String, String> config = kit.workerConfig(provider.baseUrl(), "fraud");
      config.put("worker.instance-id", "fraud-worker-1");
      Set<String> ids = ids("fraud-", 24);
      for (String id : ids) {
        kit.publish(task(id, "fraud", "Bank statement " + id));
      }
      Map<String, String> crashing = new HashMap<>(config);
      crashing.put("worker.max-in-flight", "4");
      AgentWorkerApp first = AgentWorkerApp.start(WorkerConfig.effective(crashing), Map.of());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> byTask(kit.results, AgentResult::getTaskId, ids).size() >= 8);
      first.abort();
      int doneBeforeCrash = byTask(kit.results, AgentResult::getTaskId, ids).size();
      assertThat(doneBeforeCrash).isLessThan(ids.size());

      // the same instance restarted: its transactional id fences whatever the first left open
      try (AgentWorkerApp second = AgentWorkerApp.start(WorkerConfig.effective(config), Map.of())) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> byTask(kit.results, AgentResult::getTaskId, ids).size() == ids.size());
        // and stays so while any late copy (a retry the crash left behind is 1-2 s away) is
        // consumed
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    byTask(kit.results, AgentResult::getTaskId, ids).values().stream()
                        .allMatch(rs -> rs.size() == 1));
        // every call the provider answered has a usage event: confirmed, or unconfirmed with its
        // estimate when the first worker died before recording it
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertEveryLedgerCallHasAUsageEvent(provider, kit, ids));
      }
    }
  }

  /**
   * The simulator answering in exactly 300 ms (so a kill catches calls in flight), scripted for one
   * route.
   */
  static Map<String, String> slowScript(String route, Map<String, String> script) {
    Map<String, String> c = new HashMap<>(script);
    c.put("sim.default.latency", "300ms");
    c.put("sim.default.jitter", "0ms");
    c.put("sim.script." + route + ".match", "Route: " + route);
    return c;
  }

  static void assertEveryLedgerCallHasAUsageEvent(
      ProviderSimulator provider, WorkerTestKit kit, Set<String> ids) {
    Map<String, ModelUsage> byAttempt = new HashMap<>();
    ours(kit.usage, ids).forEach(u -> byAttempt.putIfAbsent(u.getAttemptId(), u));
    for (var e : provider.ledger().entries()) {
      ModelUsage u = byAttempt.get(e.requestId());
      if (u == null) {
        continue; // another test's call on the shared simulator? never: each test has its own
      }
      if (u.getOutcome() != CallOutcome.UNCONFIRMED) {
        assertThat(u.getCostMicroUsd()).as("cost of %s", e.requestId()).isEqualTo(e.costMicroUsd());
      } else {
        assertThat(u.getCostMicroUsd())
            .as("estimate of %s", e.requestId())
            .isGreaterThanOrEqualTo(e.costMicroUsd());
      }
    }
    assertThat(provider.ledger().entries())
        .allSatisfy(e -> assertThat(byAttempt).as("usage events").containsKey(e.requestId()));
  }

  @Test
  void aWorkerAbortedInTheMiddleOfAFourTurnToolLoopIsResumedWithExactlyTheRemainingCalls(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Map<String, String> sim =
        slowScript(
            "income",
            Map.of(
                "sim.script.income.steps",
                "extract_figures:{\"labels\":[\"wages\"]},extract_figures:{\"labels\":[\"federal\"]},"
                    + "extract_figures:{\"labels\":[\"social\"]}",
                "sim.script.income.final",
                INCOME_ANSWER));
    try (ProviderSimulator provider = simulator(sim);
        WorkerTestKit kit = new WorkerTestKit(kafka, registry, List.of("income"), 4)) {
      Map<String, String> config = kit.workerConfig(provider.baseUrl(), "income");
      config.put("worker.instance-id", "income-worker-1");
      Set<String> ids = ids("loop-", 6);
      for (String id : ids) {
        kit.publish(task(id, "income", w2(id, "resume")));
      }
      AgentWorkerApp first = AgentWorkerApp.start(WorkerConfig.effective(config), Map.of());
      // mid-loop: about two of each task's four calls made
      await().atMost(Duration.ofSeconds(30)).until(() -> provider.ledger().entries().size() >= 11);
      first.abort();
      assertThat(byTask(kit.results, AgentResult::getTaskId, ids)).isEmpty();
      int callsBefore = provider.ledger().entries().size();

      try (AgentWorkerApp second = AgentWorkerApp.start(WorkerConfig.effective(config), Map.of())) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> byTask(kit.results, AgentResult::getTaskId, ids).size() == ids.size());
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertEveryLedgerCallHasAUsageEvent(provider, kit, ids));

        List<ModelUsage> usage = ours(kit.usage, ids);
        long unconfirmed =
            usage.stream().filter(u -> u.getOutcome() == CallOutcome.UNCONFIRMED).count();
        // four answered turns per task, plus a re-send of each call the abort left unrecorded:
        // nothing that had been answered and recorded was asked again
        assertThat(provider.ledger().entries()).hasSize(4 * ids.size() + (int) unconfirmed);
        assertThat(provider.ledger().entries().size() - callsBefore)
            .isLessThan(4 * ids.size()); // the replacement did not start the loops over
        assertThat(byTask(kit.results, AgentResult::getTaskId, ids).values())
            .allSatisfy(
                rs -> {
                  assertThat(rs).hasSize(1);
                  assertThat(rs.get(0).getTurns()).isEqualTo(4);
                  assertThat(rs.get(0).getToolCalls()).isEqualTo(3);
                });
        assertThat(
                second.meterRegistry().find(WorkerMetrics.RESUMED_RUNS).counters().stream()
                    .mapToDouble(c -> c.count())
                    .sum())
            .isEqualTo(ids.size());
        // the journal (its records are still there before compaction) holds one answer per turn
        // and one execution per tool call of every task: no step was done twice
        Map<String, Integer> answers = new HashMap<>();
        Map<String, Integer> tools = new HashMap<>();
        for (RunJournalEntry e : kit.journal("income")) {
          if (!ids.contains(e.getTaskId())) {
            continue; // another test's tasks on the same route
          }
          if (e.getStep() == JournalStepKind.CALL_ENDED && e.getResponse() != null) {
            answers.merge(e.getTaskId() + "@" + e.getTurn(), 1, Integer::sum);
          }
          if (e.getStep() == JournalStepKind.TOOL_EXECUTED) {
            tools.merge(e.getTaskId() + "@" + e.getToolUseId(), 1, Integer::sum);
          }
        }
        assertThat(answers).hasSize(4 * ids.size()).allSatisfy((k, n) -> assertThat(n).isOne());
        assertThat(tools).hasSize(3 * ids.size()).allSatisfy((k, n) -> assertThat(n).isOne());
      }
    }
  }

  static List<ModelUsage> ours(List<ModelUsage> usage, Set<String> ids) {
    synchronized (usage) {
      return usage.stream().filter(u -> ids.contains(u.getTaskId())).toList();
    }
  }

  static Set<String> ids(String prefix, int n) {
    Set<String> s = new HashSet<>();
    for (int i = 0; i < n; i++) {
      s.add(prefix + i);
    }
    return s;
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new HashSet<>(a);
    s.addAll(b);
    return s;
  }
}
