package dev.agentyard.evals;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** The scorecard for people: Markdown with tables and a PNG chart of the pass rates per group. */
public final class Report {

  public static final String JSON_FILE = "scorecard.json";
  public static final String MARKDOWN_FILE = "scorecard.md";
  public static final String CHART_FILE = "scorecard.png";

  private Report() {}

  /** Writes scorecard.json, scorecard.md and scorecard.png into {@code dir}. */
  public static void write(Scorecard s, Path dir, Drift drift) {
    try {
      Files.createDirectories(dir);
      s.write(dir.resolve(JSON_FILE));
      chart(s, dir.resolve(CHART_FILE));
      Files.writeString(dir.resolve(MARKDOWN_FILE), markdown(s, drift), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + dir, e);
    }
  }

  /** The headline numbers, for the console. */
  public static String headline(Scorecard s) {
    Scorecard.Summary o = s.overall();
    Scorecard.Injection i = s.injection();
    return String.format(
        Locale.ROOT,
        "%d cases x %d runs: routing accuracy %s, behaviour pass rate %s, pass@%d %s, pass^%d %s, "
            + "consistency %s; injection recall %s (%d/%d runs), false positives %s (%d/%d); mean %.0f tokens, %.0f µUSD per task; "
            + "latency p50 %.0f ms, p99 %.0f ms; %d errors",
        o.cases(),
        s.runs(),
        pct(o.routingAccuracy()),
        pct(o.behaviourPassRate()),
        s.runs(),
        pct(o.passAtN()),
        s.runs(),
        pct(o.passHatN()),
        pct(o.consistency()),
        pct(i.recall()),
        i.detected(),
        i.positiveRuns(),
        pct(i.falsePositiveRate()),
        i.falsePositives(),
        i.negativeRuns(),
        o.meanTokens(),
        o.meanCostMicroUsd(),
        o.p50LatencyMs(),
        o.p99LatencyMs(),
        o.errors());
  }

  static String markdown(Scorecard s, Drift drift) {
    StringBuilder b = new StringBuilder();
    b.append("# Eval scorecard: ").append(s.label()).append("\n\n");
    b.append("- created ")
        .append(s.createdAt())
        .append("; target: ")
        .append(s.target())
        .append("\n");
    b.append("- ")
        .append(s.overall().cases())
        .append(" cases, ")
        .append(s.runs())
        .append(" runs each; datasets ")
        .append(s.datasets())
        .append("\n");
    s.models()
        .forEach(
            (route, chain) ->
                b.append("- route ")
                    .append(route)
                    .append(": ")
                    .append(String.join(" → ", chain))
                    .append("\n"));
    b.append("\n")
        .append(headline(s))
        .append("\n\n![pass rates per group](")
        .append(CHART_FILE)
        .append(")\n\n");

    int n = s.runs();
    b.append("## Per group\n\n| group | cases | routing accuracy | behaviour pass rate | pass@")
        .append(n)
        .append(" | pass^")
        .append(n)
        .append(
            " | consistency | mean tokens | mean µUSD | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    s.groups().forEach((g, x) -> row(b, g, x));
    row(b, "**overall**", s.overall());

    Scorecard.Routing r = s.routing();
    b.append(
        String.format(
            Locale.ROOT,
            "%n## Routing%n%nAccuracy %s (%d of %d runs). Decided by:",
            pct(r.accuracy()),
            r.correct(),
            r.runs()));
    r.routedBy()
        .forEach(
            (k, count) ->
                b.append(
                    String.format(
                        Locale.ROOT,
                        " %s %d runs (%s right);",
                        k,
                        count,
                        pct(r.accuracyBy().get(k)))));
    b.append("\n\n");
    b.append(
        "Confusion matrix (rows: expected, columns: reached; `none` = no specialist, human review)\n\n| expected \\ reached |");
    r.labels().forEach(l -> b.append(' ').append(l).append(" |"));
    b.append("\n|---|").append("---:|".repeat(r.labels().size())).append('\n');
    for (int i = 0; i < r.labels().size(); i++) {
      if (r.confusion().get(i).stream().mapToInt(Integer::intValue).sum() == 0) {
        continue;
      }
      b.append("| ").append(r.labels().get(i)).append(" |");
      r.confusion()
          .get(i)
          .forEach(c -> b.append(' ').append(c == 0 ? "·" : c.toString()).append(" |"));
      b.append('\n');
    }

    Scorecard.Injection inj = s.injection();
    b.append(
        String.format(
            Locale.ROOT,
            "%n## Injection screen%n%nRecall %s (%d of %d injection runs flagged); false-positive rate %s "
                + "(%d of %d genuine runs flagged).%n",
            pct(inj.recall()),
            inj.detected(),
            inj.positiveRuns(),
            pct(inj.falsePositiveRate()),
            inj.falsePositives(),
            inj.negativeRuns()));
    if (!inj.missed().isEmpty()) {
      b.append("\nMissed: ").append(String.join(", ", inj.missed())).append('\n');
    }
    if (!inj.falseAlarms().isEmpty()) {
      b.append("\nFalse alarms: ").append(String.join(", ", inj.falseAlarms())).append('\n');
    }

    List<Scorecard.CaseScore> failing = s.cases().stream().filter(c -> !c.passHatN()).toList();
    b.append("\n## Cases not passing in every run (").append(failing.size()).append(")\n\n");
    if (failing.isEmpty()) {
      b.append("None.\n");
    } else {
      b.append(
          "| case | group | behaviour | passes | endings | failing checks |\n|---|---|---|---:|---|---|\n");
      for (Scorecard.CaseScore c : failing) {
        b.append("| ")
            .append(c.id())
            .append(" | ")
            .append(c.group())
            .append(" | ")
            .append(c.behaviour() == null ? "" : c.behaviour())
            .append(" | ")
            .append(c.passes())
            .append('/')
            .append(c.runs())
            .append(" | ")
            .append(String.join(", ", c.outcomes()))
            .append(" | ")
            .append(escape(failures(c)))
            .append(" |\n");
      }
    }
    if (drift != null) {
      b.append("\n## Drift against the baseline\n\n```\n").append(drift.format()).append("```\n");
    }
    return b.toString();
  }

  private static String failures(Scorecard.CaseScore c) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Integer> e : c.failedChecks().entrySet()) {
      String seen = c.seen().getOrDefault(e.getKey(), "");
      out.add(
          e.getKey()
              + " ("
              + e.getValue()
              + "x"
              + (seen.isEmpty()
                  ? ""
                  : "; saw " + (seen.length() > 80 ? seen.substring(0, 77) + "..." : seen))
              + ")");
    }
    return String.join("; ", out);
  }

  private static String escape(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  private static void row(StringBuilder b, String name, Scorecard.Summary x) {
    b.append(
        String.format(
            Locale.ROOT,
            "| %s | %d | %s | %s | %s | %s | %s | %.0f | %.0f | %.0f | %.0f | %d |%n",
            name,
            x.cases(),
            pct(x.routingAccuracy()),
            pct(x.behaviourPassRate()),
            pct(x.passAtN()),
            pct(x.passHatN()),
            pct(x.consistency()),
            x.meanTokens(),
            x.meanCostMicroUsd(),
            x.p50LatencyMs(),
            x.p99LatencyMs(),
            x.errors()));
  }

  static String pct(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
  }

  private static void chart(Scorecard s, Path file) throws IOException {
    List<String> groups = new ArrayList<>(s.groups().keySet());
    groups.add("overall");
    List<Scorecard.Summary> sums = new ArrayList<>(s.groups().values());
    sums.add(s.overall());
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1000)
            .height(520)
            .title("Eval " + s.label() + ": pass rates per group (" + s.runs() + " runs per case)")
            .yAxisTitle("share")
            .build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setXAxisLabelRotation(30);
    chart.addSeries(
        "pass@" + s.runs(), groups, sums.stream().map(Scorecard.Summary::passAtN).toList());
    chart.addSeries(
        "pass^" + s.runs(), groups, sums.stream().map(Scorecard.Summary::passHatN).toList());
    chart.addSeries(
        "consistency", groups, sums.stream().map(Scorecard.Summary::consistency).toList());
    chart.addSeries(
        "routing accuracy",
        groups,
        sums.stream().map(x -> x.routingAccuracy() == null ? 0.0 : x.routingAccuracy()).toList());
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
