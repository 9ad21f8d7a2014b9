package dev.agentyard.evals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scorecards built from scripted observations: pass@N, pass^N, consistency, and what drift reports
 * between two of them.
 */
class DriftTest {

  static final List<EvalCase> CASES =
      List.of(
          Datasets.parse(
              "{\"id\":\"r1\",\"kind\":\"routing\",\"document\":{\"text\":\"x\"},\"expect\":{\"route\":\"income\"}}",
              "t:1",
              null),
          Datasets.parse(
              "{\"id\":\"r2\",\"kind\":\"routing\",\"document\":{\"text\":\"x\"},\"expect\":{\"route\":\"banking\"}}",
              "t:2",
              null),
          Datasets.parse(
              "{\"id\":\"i1\",\"kind\":\"adversarial\",\"document\":{\"text\":\"x\"},\"expect\":{\"injection\":true}}",
              "t:3",
              null),
          Datasets.parse(
              "{\"id\":\"b1\",\"kind\":\"behaviour\",\"route\":\"income\",\"behaviour\":\"flags it\",\"document\":{\"text\":\"x\"},"
                  + "\"expect\":{\"outcome\":\"completed\"}}",
              "t:4",
              null));
  static final Scorer SCORER = new Scorer(Map.of());

  /**
   * Three runs of every case; {@code r2Routes}: where r2 went in each run; {@code b1}: the
   * behaviour's outcomes; {@code cost} per call.
   */
  static Scorecard card(
      List<String> r2Routes, boolean injectionFlagged, List<String> b1, long cost) {
    List<Observation> obs = new ArrayList<>();
    for (int run = 1; run <= 3; run++) {
      obs.add(routed("r1", run, "income", false, cost));
      obs.add(routed("r2", run, r2Routes.get(run - 1), false, cost));
      obs.add(
          routed(
              "i1",
              run,
              injectionFlagged ? "review:INJECTION_SUSPECTED" : "income",
              injectionFlagged,
              cost));
      obs.add(
          new Observation(
              "b1",
              run,
              null,
              "",
              List.of(),
              b1.get(run - 1),
              "DONE",
              "{}",
              Harness.json("{}"),
              List.of(),
              List.of(),
              0,
              10,
              cost,
              1,
              "m",
              5,
              null));
    }
    return Scorecard.of("t", "test", 3, Map.of(), CASES, obs, SCORER);
  }

  static Observation routed(String id, int run, String route, boolean flagged, long cost) {
    return new Observation(
        id,
        run,
        route,
        "classifier",
        flagged ? List.of("IGNORE_INSTRUCTIONS") : List.of(),
        null,
        null,
        null,
        null,
        List.of(),
        List.of(),
        0,
        10,
        cost,
        1,
        "",
        run,
        null);
  }

  static final List<String> GOOD_R2 = List.of("banking", "banking", "banking");
  static final List<String> DONE = List.of("completed", "completed", "completed");

  @Test
  void passAtNPassHatNAndConsistencyPerCase() {
    Scorecard s =
        card(
            List.of("banking", "none", "banking"),
            true,
            List.of("completed", "review:OUTPUT_INVALID", "review:OUTPUT_INVALID"),
            100);
    Scorecard.CaseScore r2 = s.caseScore("r2").orElseThrow();
    assertThat(r2.passes()).isEqualTo(2);
    assertThat(r2.passAtN()).isTrue();
    assertThat(r2.passHatN()).isFalse();
    assertThat(r2.consistent()).isFalse();
    assertThat(r2.failedChecks()).containsExactly(Map.entry("route = banking", 1));
    assertThat(s.overall().passAtN()).isEqualTo(1.0);
    assertThat(s.overall().passHatN()).isEqualTo(0.5);
    assertThat(s.routing().accuracy())
        .as("r1 and r2 have routes; i1 only an injection verdict")
        .isEqualTo(5.0 / 6);
    assertThat(s.groups().get("income").behaviourPassRate()).isEqualTo(1.0 / 3);
    assertThat(s.injection().recall()).isEqualTo(1.0);
    assertThat(s.injection().negativeRuns()).as("routing cases are genuine documents").isEqualTo(6);
    // confusion row banking: 2 right, 1 to none
    int banking = s.routing().labels().indexOf("banking");
    assertThat(s.routing().confusion().get(banking).get(s.routing().labels().indexOf("none")))
        .isEqualTo(1);
  }

  @Test
  void theSameScorecardHasNoDrift() {
    Scorecard a = card(GOOD_R2, true, DONE, 100);
    Drift d = Drift.compare(a, card(GOOD_R2, true, DONE, 100), Drift.Thresholds.DEFAULT);
    assertThat(d.failed()).isFalse();
    assertThat(d.changed()).isEmpty();
    assertThat(d.format()).contains("no metric moved beyond its threshold");
  }

  @Test
  void aDropBeyondTheThresholdFailsNamingItsCases() {
    Scorecard base = card(GOOD_R2, true, DONE, 100);
    Scorecard cur =
        card(GOOD_R2, false, List.of("completed", "review:OUTPUT_INVALID", "completed"), 100);
    Drift d = Drift.compare(base, cur, Drift.Thresholds.DEFAULT);
    assertThat(d.failed()).isTrue();
    assertThat(d.regressions())
        .extracting(Drift.Regression::metric)
        .contains(
            "injection.recall",
            "income.behaviourPassRate",
            "income.passHatN",
            "adversarial.passAtN");
    assertThat(d.regressions())
        .filteredOn(r -> r.metric().equals("injection.recall"))
        .singleElement()
        .satisfies(
            r -> assertThat(r.cases()).extracting(Drift.CaseChange::id).containsExactly("i1"));
    assertThat(d.changed())
        .extracting(Drift.CaseChange::id, Drift.CaseChange::change)
        .containsExactly(Assertions.tuple("i1", "regressed"), Assertions.tuple("b1", "regressed"));
    assertThat(d.format())
        .contains(
            "DRIFT injection.recall: 1.000 -> 0.000 (-100.0 pp, threshold 2.0 pp); cases: i1",
            "regressed b1 [income] \"flags it\": 3/3");
    // the other way round the same cases improved, and nothing fails
    Drift back = Drift.compare(cur, base, Drift.Thresholds.DEFAULT);
    assertThat(back.failed()).isFalse();
    assertThat(back.changed()).extracting(Drift.CaseChange::change).containsOnly("improved");
  }

  @Test
  void thresholdsPerMetricAndForCost() {
    Scorecard base = card(GOOD_R2, true, DONE, 100);
    Scorecard oneMiss = card(List.of("banking", "banking", "none"), true, DONE, 100);
    // r2 fails 1 of 3 runs: routing accuracy 1 -> 5/6, banking's pass^N 1 -> 0
    assertThat(Drift.compare(base, oneMiss, Drift.Thresholds.DEFAULT).failed()).isTrue();
    Drift.Thresholds lenient = new Drift.Thresholds(1.0, Map.of(), 0.25);
    assertThat(Drift.compare(base, oneMiss, lenient).failed()).isFalse();
    Drift.Thresholds strictOnRouting =
        new Drift.Thresholds(1.0, Map.of("routingAccuracy", 0.05), 0.25);
    assertThat(Drift.compare(base, oneMiss, strictOnRouting).regressions())
        .extracting(Drift.Regression::metric)
        .containsExactlyInAnyOrder("overall.routingAccuracy", "banking.routingAccuracy");
    // cost: +20 % is within the default 25 %, +30 % is not; a negative share turns the comparison
    // off
    assertThat(
            Drift.compare(base, card(GOOD_R2, true, DONE, 120), Drift.Thresholds.DEFAULT).failed())
        .isFalse();
    Drift costly = Drift.compare(base, card(GOOD_R2, true, DONE, 130), Drift.Thresholds.DEFAULT);
    assertThat(costly.regressions())
        .extracting(Drift.Regression::metric)
        .contains("overall.meanCostMicroUsd");
    assertThat(costly.format())
        .contains(
            "DRIFT overall.meanCostMicroUsd: 100 µUSD -> 130 µUSD (+30.0 %, threshold +25 %)");
    assertThat(
            Drift.compare(
                    base, card(GOOD_R2, true, DONE, 130), new Drift.Thresholds(0.02, Map.of(), -1))
                .failed())
        .isFalse();
  }

  @Test
  void aScorecardSurvivesItsJsonFile(@TempDir Path dir) {
    Scorecard s = card(List.of("banking", "none", "banking"), true, DONE, 100);
    s.write(dir.resolve("s.json"));
    Scorecard back = Scorecard.read(dir.resolve("s.json"));
    assertThat(back).isEqualTo(s);
    assertThat(Drift.compare(s, back, Drift.Thresholds.DEFAULT).changed()).isEmpty();
  }
}
