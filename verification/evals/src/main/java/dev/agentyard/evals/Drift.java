package dev.agentyard.evals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares a scorecard with a baseline (model A vs model B, last release vs now): every rate that
 * drops by more than its threshold (the false-positive rate: rises), and mean cost per task that
 * rises by more than its share, is a regression, named with the cases that changed in its group.
 *
 * @param regressions metrics beyond their threshold: the comparison fails when there is one
 * @param changed cases whose result changed: regressed (passed in every run, or in some run, and no
 *     longer does), improved, or ended differently with the same pass/fail
 * @param added case ids only in the current scorecard
 * @param removed case ids only in the baseline
 * @param notes what makes the comparison less than like for like
 */
public record Drift(
    List<Regression> regressions,
    List<CaseChange> changed,
    List<String> added,
    List<String> removed,
    List<String> notes) {

  /** Rates compared in every scope (overall and each group), higher is better. */
  static final List<String> RATES =
      List.of(
          "routingAccuracy", "behaviourPassRate", "passRate", "passAtN", "passHatN", "consistency");

  /**
   * How far a metric may move before it counts as drift.
   *
   * @param maxDrop default largest drop of a rate, absolute (0.02 = two percentage points)
   * @param perMetric overrides, by full name ({@code income.passHatN}) or by metric ({@code
   *     passHatN})
   * @param maxCostIncrease largest rise of mean cost per task, relative (0.25 = +25 %); negative:
   *     not compared
   */
  public record Thresholds(double maxDrop, Map<String, Double> perMetric, double maxCostIncrease) {
    public static final double DEFAULT_MAX_DROP = 0.02;
    public static final double DEFAULT_MAX_COST_INCREASE = 0.25;
    public static final Thresholds DEFAULT =
        new Thresholds(DEFAULT_MAX_DROP, Map.of(), DEFAULT_MAX_COST_INCREASE);

    public Thresholds {
      perMetric = Map.copyOf(perMetric);
    }

    double of(String scope, String metric) {
      Double t = perMetric.get(scope + "." + metric);
      if (t == null) {
        t = perMetric.get(metric);
      }
      return t == null ? metric.equals("meanCostMicroUsd") ? maxCostIncrease : maxDrop : t;
    }
  }

  /** A metric beyond its threshold; {@code cases}: the changed cases of its scope. */
  public record Regression(
      String metric, double baseline, double current, double threshold, List<CaseChange> cases) {}

  /** A case whose result changed between the two scorecards. */
  public record CaseChange(
      String id,
      String kind,
      String group,
      String behaviour,
      String change,
      String baseline,
      String current,
      Map<String, Integer> failedChecks,
      Map<String, String> seen) {
    boolean regressed() {
      return change.equals("regressed");
    }
  }

  public boolean failed() {
    return !regressions.isEmpty();
  }

  public static Drift compare(Scorecard base, Scorecard cur, Thresholds t) {
    List<String> notes = new ArrayList<>();
    if (!Objects.equals(base.datasets(), cur.datasets())) {
      notes.add(
          "the datasets differ ("
              + base.datasets()
              + " vs "
              + cur.datasets()
              + "): cases are compared where both have them, "
              + "rates over all of each");
    }
    if (base.runs() != cur.runs()) {
      notes.add(
          "runs per case differ ("
              + base.runs()
              + " vs "
              + cur.runs()
              + "): pass@N and pass^N are not like for like");
    }
    Map<String, Scorecard.CaseScore> before =
        base.cases().stream()
            .collect(Collectors.toMap(Scorecard.CaseScore::id, Function.identity()));
    Map<String, Scorecard.CaseScore> after =
        cur.cases().stream()
            .collect(
                Collectors.toMap(
                    Scorecard.CaseScore::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    List<CaseChange> changed = new ArrayList<>();
    after.forEach(
        (id, c) -> {
          Scorecard.CaseScore b = before.get(id);
          if (b == null) {
            return;
          }
          String change =
              (b.passHatN() && !c.passHatN()) || (b.passAtN() && !c.passAtN())
                  ? "regressed"
                  : (!b.passHatN() && c.passHatN()) || (!b.passAtN() && c.passAtN())
                      ? "improved"
                      : !Set.copyOf(b.outcomes()).equals(Set.copyOf(c.outcomes()))
                          ? "changed"
                          : null;
          if (change != null) {
            changed.add(
                new CaseChange(
                    id,
                    c.kind(),
                    c.group(),
                    c.behaviour(),
                    change,
                    b.passes() + "/" + b.runs() + " " + b.outcomes(),
                    c.passes() + "/" + c.runs() + " " + c.outcomes(),
                    c.failedChecks(),
                    c.seen()));
          }
        });
    List<Regression> regressions = new ArrayList<>();
    scope("overall", base.overall(), cur.overall(), t, changed, regressions);
    cur.groups()
        .forEach(
            (g, s) -> {
              Scorecard.Summary b = base.groups().get(g);
              if (b != null) {
                scope(
                    g,
                    b,
                    s,
                    t,
                    changed.stream().filter(c -> c.group().equals(g)).toList(),
                    regressions);
              }
            });
    List<CaseChange> screened =
        changed.stream()
            .filter(
                c ->
                    base.injection().missed().contains(c.id())
                            != cur.injection().missed().contains(c.id())
                        || base.injection().falseAlarms().contains(c.id())
                            != cur.injection().falseAlarms().contains(c.id()))
            .toList();
    higher(
        "injection.recall",
        base.injection().recall(),
        cur.injection().recall(),
        t.of("injection", "recall"),
        screened,
        regressions,
        base.injection().positiveRuns() > 0);
    double fpThreshold = t.of("injection", "falsePositiveRate");
    if (base.injection().negativeRuns() > 0
        && cur.injection().falsePositiveRate() - base.injection().falsePositiveRate()
            > fpThreshold + 1e-9) {
      regressions.add(
          new Regression(
              "injection.falsePositiveRate",
              base.injection().falsePositiveRate(),
              cur.injection().falsePositiveRate(),
              fpThreshold,
              screened));
    }
    return new Drift(
        regressions,
        changed,
        after.keySet().stream().filter(id -> !before.containsKey(id)).toList(),
        before.keySet().stream().filter(id -> !after.containsKey(id)).sorted().toList(),
        notes);
  }

  private static void scope(
      String scope,
      Scorecard.Summary b,
      Scorecard.Summary c,
      Thresholds t,
      List<CaseChange> cases,
      List<Regression> out) {
    // each rate names the cases it counts: routing accuracy the routed ones, the behaviour pass
    // rate the behaviour ones
    List<CaseChange> routed = cases.stream().filter(x -> !x.kind().equals("behaviour")).toList();
    List<CaseChange> behaviour = cases.stream().filter(x -> x.kind().equals("behaviour")).toList();
    higher(
        scope + ".routingAccuracy",
        b.routingAccuracy(),
        c.routingAccuracy(),
        t.of(scope, "routingAccuracy"),
        routed,
        out,
        true);
    higher(
        scope + ".behaviourPassRate",
        b.behaviourPassRate(),
        c.behaviourPassRate(),
        t.of(scope, "behaviourPassRate"),
        behaviour,
        out,
        true);
    higher(
        scope + ".passRate", b.passRate(), c.passRate(), t.of(scope, "passRate"), cases, out, true);
    higher(scope + ".passAtN", b.passAtN(), c.passAtN(), t.of(scope, "passAtN"), cases, out, true);
    higher(
        scope + ".passHatN", b.passHatN(), c.passHatN(), t.of(scope, "passHatN"), cases, out, true);
    higher(
        scope + ".consistency",
        b.consistency(),
        c.consistency(),
        t.of(scope, "consistency"),
        cases,
        out,
        true);
    double costShare = t.of(scope, "meanCostMicroUsd");
    if (costShare >= 0
        && b.meanCostMicroUsd() > 0
        && c.meanCostMicroUsd() > b.meanCostMicroUsd() * (1 + costShare) + 1e-9) {
      out.add(
          new Regression(
              scope + ".meanCostMicroUsd",
              b.meanCostMicroUsd(),
              c.meanCostMicroUsd(),
              costShare,
              cases));
    }
  }

  private static void higher(
      String metric,
      Double b,
      Double c,
      double threshold,
      List<CaseChange> cases,
      List<Regression> out,
      boolean compared) {
    if (compared && b != null && c != null && b - c > threshold + 1e-9) {
      out.add(
          new Regression(
              metric, b, c, threshold, cases.stream().filter(CaseChange::regressed).toList()));
    }
  }

  /** The comparison in words: regressions with their cases first, then every changed case. */
  public String format() {
    StringBuilder s = new StringBuilder();
    notes.forEach(n -> s.append("note: ").append(n).append('\n'));
    if (regressions.isEmpty()) {
      s.append("no metric moved beyond its threshold\n");
    }
    for (Regression r : regressions) {
      boolean cost = r.metric().endsWith("meanCostMicroUsd");
      s.append(
          String.format(
              Locale.ROOT,
              "DRIFT %s: %s -> %s (%s, threshold %s)%s%n",
              r.metric(),
              num(r.baseline(), cost),
              num(r.current(), cost),
              delta(r, cost),
              cost ? pct(r.threshold()) : pp(r.threshold()),
              r.cases().isEmpty()
                  ? ""
                  : "; cases: "
                      + r.cases().stream().map(CaseChange::id).collect(Collectors.joining(", "))));
    }
    if (!changed.isEmpty()) {
      s.append("\ncases that changed (").append(changed.size()).append("):\n");
      changed.forEach(c -> s.append("  ").append(describe(c)).append('\n'));
    }
    if (!added.isEmpty()) {
      s.append("new cases: ").append(added).append('\n');
    }
    if (!removed.isEmpty()) {
      s.append("cases no longer in the datasets: ").append(removed).append('\n');
    }
    return s.toString();
  }

  static String describe(CaseChange c) {
    String checks =
        c.failedChecks().isEmpty()
            ? ""
            : "; failing: "
                + c.failedChecks().entrySet().stream()
                    .map(
                        e ->
                            e.getKey()
                                + " ("
                                + e.getValue()
                                + "x"
                                + (c.seen().getOrDefault(e.getKey(), "").isEmpty()
                                    ? ""
                                    : ", saw " + abbreviate(c.seen().get(e.getKey())))
                                + ")")
                    .collect(Collectors.joining(", "));
    return String.format(
        Locale.ROOT,
        "%-9s %s [%s]%s: %s -> %s%s",
        c.change(),
        c.id(),
        c.group(),
        c.behaviour() == null ? "" : " \"" + c.behaviour() + "\"",
        c.baseline(),
        c.current(),
        checks);
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  private static String num(double v, boolean cost) {
    return cost
        ? String.format(Locale.ROOT, "%.0f µUSD", v)
        : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String delta(Regression r, boolean cost) {
    return cost
        ? String.format(Locale.ROOT, "%+.1f %%", 100 * (r.current() / r.baseline() - 1))
        : String.format(Locale.ROOT, "%+.1f pp", 100 * (r.current() - r.baseline()));
  }

  private static String pp(double v) {
    return String.format(Locale.ROOT, "%.1f pp", 100 * v);
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "+%.0f %%", 100 * v);
  }
}
