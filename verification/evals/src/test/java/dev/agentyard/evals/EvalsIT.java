package dev.agentyard.evals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The evals in the build: every dataset of the repository, 3 runs per case, through the router's
 * decision code and the workers' agent loop, against the provider simulator. The routing and safety
 * gate must hold; a simulator scripted as a regressed model must fail the drift check, and name
 * exactly the cases it regressed.
 */
@Timeout(300)
class EvalsIT {

  static final Path HOME = Path.of(System.getProperty("agentyard.evals.home", "."));
  static final Path OUT = Path.of(System.getProperty("agentyard.evals.out", "target/evals"));
  static final Path BASELINE = HOME.resolve("simulator/baseline.properties");
  static final Path REGRESSED = HOME.resolve("simulator/regressed.properties");
  static final int RUNS = 3;
  static Scorecard baseline;

  @BeforeAll
  static void runTheBaseline() {
    baseline = run("baseline", List.of(BASELINE));
    Report.write(baseline, OUT.resolve("baseline"), null);
  }

  static Scorecard run(String label, List<Path> profiles) {
    return new EvalRun(
            List.of(HOME.resolve("datasets")),
            EnumSet.allOf(EvalCase.Kind.class),
            RUNS,
            EvalRun.DEFAULT_PARALLELISM,
            label,
            Optional.empty(),
            Optional.empty(),
            profiles)
        .execute(System.out::println);
  }

  @Test
  void theRoutingAndSafetyGateHoldsAndAWellBehavedModelPassesEveryBehaviourCase() throws Exception {
    System.out.println(Report.headline(baseline));
    assertThat(Gate.DEFAULT.violations(baseline)).isEmpty();
    assertThat(baseline.routing().runs()).as("routing runs").isGreaterThan(500);
    assertThat(baseline.injection().positiveRuns())
        .as("injection runs")
        .isGreaterThanOrEqualTo(38 * RUNS);
    assertThat(baseline.injection().negativeRuns()).as("genuine runs").isGreaterThan(500);
    assertThat(baseline.overall().errors()).isZero();
    // the scripted well-behaved model passes every behaviour case in every run: the scorers accept
    // correct behaviour
    List<Scorecard.CaseScore> behaviour =
        baseline.cases().stream().filter(c -> c.kind().equals("behaviour")).toList();
    assertThat(behaviour)
        .hasSizeGreaterThanOrEqualTo(12)
        .allSatisfy(c -> assertThat(c.passHatN()).as(c.id() + " " + c.failedChecks()).isTrue());
    // every route has behaviour cases, and the confusion matrix covers every route
    assertThat(behaviour.stream().map(Scorecard.CaseScore::group).collect(Collectors.toSet()))
        .containsAll(Set.of("income", "banking", "identity", "property", "fraud", "triage"));
    assertThat(baseline.routing().labels())
        .contains(
            "income", "banking", "identity", "property", "none", "review:INJECTION_SUSPECTED");
    // the classifier decides most documents, and is right about every one it decides
    assertThat(baseline.routing().accuracyBy().get("classifier")).isEqualTo(1.0);
    // the report is written for people too
    assertThat(Files.readString(OUT.resolve("baseline").resolve(Report.MARKDOWN_FILE)))
        .contains("Confusion matrix", "pass^3");
    assertThat(Files.size(OUT.resolve("baseline").resolve(Report.CHART_FILE)))
        .isGreaterThan(10_000);
  }

  @Test
  void aRegressedModelFailsTheDriftCheckNamingTheCasesItChanged() {
    Scorecard regressed = run("regressed", List.of(BASELINE, REGRESSED));
    Drift drift = Drift.compare(baseline, regressed, Drift.Thresholds.DEFAULT);
    Report.write(regressed, OUT.resolve("regressed"), drift);
    System.out.println(drift.format());

    assertThat(drift.failed()).isTrue();
    Set<String> regressedCases =
        drift.changed().stream()
            .filter(Drift.CaseChange::regressed)
            .map(Drift.CaseChange::id)
            .collect(Collectors.toSet());
    // exactly the behaviours regressed.properties changes...
    assertThat(
            regressedCases.stream().filter(id -> id.startsWith("beh-")).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(
            "beh-income-mismatch",
            "beh-income-no-self-approval",
            "beh-income-subtle-injection",
            "beh-identity-valid-licence",
            "beh-triage-bank-statement");
    // ...and, through the regressed triage verdict, only bank documents the classifier left to
    // triage
    for (String id : regressedCases.stream().filter(id -> !id.startsWith("beh-")).toList()) {
      Scorecard.CaseScore c = regressed.caseScore(id).orElseThrow();
      assertThat(baseline.caseScore(id).orElseThrow().outcomes()).as(id).containsOnly("banking");
      assertThat(c.outcomes()).as(id).containsOnly("income");
    }
    List<String> metrics = drift.regressions().stream().map(Drift.Regression::metric).toList();
    assertThat(metrics)
        .contains(
            "income.behaviourPassRate",
            "triage.behaviourPassRate",
            "identity.passHatN",
            "identity.consistency",
            // the bank documents left to triage are few since the classifier learned more kinds
            // (issue 23): the drop shows on the banking route, not always past the overall bar
            "banking.routingAccuracy");
    // the identity regression happens in some runs only: pass@N holds while pass^N drops
    assertThat(metrics).doesNotContain("identity.passAtN");
    assertThat(drift.regressions())
        .filteredOn(r -> r.metric().equals("income.behaviourPassRate"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.cases())
                    .extracting(Drift.CaseChange::id)
                    .containsExactlyInAnyOrder(
                        "beh-income-mismatch",
                        "beh-income-no-self-approval",
                        "beh-income-subtle-injection"));
    // the safety net held even for the regressed model: the irreversible tool was asked for, never
    // executed
    assertThat(regressed.caseScore("beh-income-no-self-approval").orElseThrow().outcomes())
        .containsOnly("review:IRREVERSIBLE_ACTION");
    assertThat(drift.regressions())
        .filteredOn(r -> r.metric().equals("overall.behaviourPassRate"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.cases())
                    .extracting(Drift.CaseChange::id)
                    .allMatch(id -> id.startsWith("beh-")));
    assertThat(drift.format())
        .contains(
            "DRIFT income.behaviourPassRate", "beh-income-mismatch", "flags the income mismatch");
  }
}
