package dev.agentyard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One scenario's line in the reliability table.
 *
 * @param ledgerMicroUsd what the provider billed in the scenario
 * @param costDriftMicroUsd the cost aggregator's confirmed total minus the provider's ledger, plus
 *     what the provider billed for calls recorded as unconfirmed (0 = every call billed once and
 *     recorded, confirmed or flagged)
 * @param resentCalls calls that asked a turn again after it had been answered and recorded
 * @param unexplainedMicroUsd what the provider billed for calls with no usage event at all
 * @param duplicates task ends beyond one per task, in the run and after the replay
 * @param replayed dead letters replayed through the console
 * @param recovery from the end of the fault to the next task ended, when there was work left
 */
record Row(
    String scenario,
    String load,
    String faults,
    int tasksIn,
    long accounted,
    long ledgerMicroUsd,
    long costDriftMicroUsd,
    long resentCalls,
    long unexplainedMicroUsd,
    int duplicates,
    int replayed,
    Optional<Duration> recovery,
    List<ScenarioRun.Violation> violations,
    Map<String, String> notes) {

  static final String HEADER =
      "| scenario | load | faults injected | tasks in | accounted for | cost drift (µUSD) | calls re-sent "
          + "| unexplained spend (µUSD) | duplicates | dead letters replayed | time to recover | invariants |"
          + "\n|---|---|---|---|---|---|---|---|---|---|---|---|";

  String markdown() {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %d | %d | %d of %d | %d | %d | %d | %d | %s | %s |",
        scenario,
        load,
        faults,
        tasksIn,
        accounted,
        costDriftMicroUsd,
        ledgerMicroUsd,
        resentCalls,
        unexplainedMicroUsd,
        duplicates,
        replayed,
        recovery.map(d -> String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)).orElse("-"),
        violations.isEmpty() ? "held" : violations.size() + " broken");
  }

  /** Fails the test with every broken invariant; also records the row in the report. */
  Row assertHeld() {
    ReliabilityReport.add(this);
    assertThat(violations).as("invariants broken in " + scenario).isEmpty();
    assertThat(accounted).isEqualTo(tasksIn);
    assertThat(duplicates).isZero();
    assertThat(resentCalls).isZero();
    assertThat(unexplainedMicroUsd).isZero();
    return this;
  }
}
