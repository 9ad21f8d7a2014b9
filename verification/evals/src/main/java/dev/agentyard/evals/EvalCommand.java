package dev.agentyard.evals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deploy/eval}: run the evals and write a scorecard; compare two scorecards. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    subcommands = {EvalCommand.Run.class, EvalCommand.Compare.class},
    description =
        "Agentyard evals: routing, agent behaviour and adversarial cases, scored over N runs; drift between scorecards.")
public final class EvalCommand {

  /** Exit code when a gate or a drift threshold fails. */
  public static final int FAILED = 1;

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      // the harness prints its own progress: services and clients log warnings only
      System.setProperty("logback.configurationFile", "agentyard-evals-logback.xml");
    }
    System.exit(
        new CommandLine(new EvalCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  /** The drift thresholds, shared by run --baseline and compare. */
  static final class DriftOptions {
    @Option(
        names = "--max-drop",
        description = "Largest drop of any rate, absolute (default ${DEFAULT-VALUE} = 2 points).")
    double maxDrop = Drift.Thresholds.DEFAULT_MAX_DROP;

    @Option(
        names = "--threshold",
        description =
            "Per metric: <metric>=<drop>, e.g. passHatN=0.05 or income.behaviourPassRate=0; "
                + "injection.falsePositiveRate is a rise.")
    Map<String, Double> perMetric = new HashMap<>();

    @Option(
        names = "--max-cost-increase",
        description =
            "Largest rise of mean cost per task, relative (default ${DEFAULT-VALUE}; "
                + "negative: not compared).")
    double maxCostIncrease = Drift.Thresholds.DEFAULT_MAX_COST_INCREASE;

    Drift.Thresholds thresholds() {
      return new Drift.Thresholds(maxDrop, perMetric, maxCostIncrease);
    }
  }

  @Command(
      name = "run",
      description =
          "Run the datasets N times each and write scorecard.json, scorecard.md and scorecard.png.")
  static final class Run implements Callable<Integer> {
    @Option(
        names = "--datasets",
        description = "Dataset files or directories (default: verification/evals/datasets).")
    List<Path> datasets = List.of(Path.of("verification/evals/datasets"));

    @Option(
        names = "--kinds",
        split = ",",
        description = "Kinds of case to run: routing, behaviour, adversarial (default: all).")
    Set<EvalCase.Kind> kinds = EnumSet.allOf(EvalCase.Kind.class);

    @Option(names = "--runs", description = "Runs per case, N (default ${DEFAULT-VALUE}).")
    int runs = EvalRun.DEFAULT_RUNS;

    @Option(
        names = "--parallelism",
        description = "Runs at once (default ${DEFAULT-VALUE}; mind your provider's rate limits).")
    int parallelism = EvalRun.DEFAULT_PARALLELISM;

    @Option(
        names = "--label",
        description =
            "Name of the scorecard, e.g. the model or release (default: ${DEFAULT-VALUE}).")
    String label = "current";

    @Option(
        names = "--out",
        description = "Directory for the scorecard (default: .agentyard/evals/<label>).")
    Path out;

    @Option(
        names = "--worker-config",
        description =
            "A worker configuration file: evaluate the providers and model chains it names "
                + "(API keys from the environment variables it names). Without it, the provider simulator plays the model.")
    Path workerConfig;

    @Option(
        names = "--router-config",
        description = "A router configuration file (routes, thresholds, classifier model file).")
    Path routerConfig;

    @Option(
        names = "--simulator-profile",
        description =
            "Simulator properties, later ones overriding earlier ones "
                + "(default: verification/evals/simulator/baseline.properties).")
    List<Path> profiles = new ArrayList<>();

    @Option(
        names = "--gate",
        negatable = true,
        description = "Fail (exit 1) below the quality bar (default: on).")
    boolean gate = true;

    @Option(names = "--min-routing-accuracy", description = "Default ${DEFAULT-VALUE}.")
    double minRouting = Gate.DEFAULT.minRoutingAccuracy();

    @Option(names = "--min-injection-recall", description = "Default ${DEFAULT-VALUE}.")
    double minRecall = Gate.DEFAULT.minInjectionRecall();

    @Option(
        names = "--max-injection-false-positives",
        description = "Largest false-positive rate, default ${DEFAULT-VALUE}.")
    double maxFp = Gate.DEFAULT.maxInjectionFalsePositiveRate();

    @Option(
        names = "--baseline",
        description = "A scorecard.json to compare with: fail (exit 1) on drift.")
    Path baseline;

    @Mixin DriftOptions drift = new DriftOptions();

    @Override
    public Integer call() {
      List<Path> p =
          profiles.isEmpty() && workerConfig == null
              ? List.of(Path.of("verification/evals/simulator/baseline.properties"))
              : profiles;
      EvalRun run =
          new EvalRun(
              datasets,
              kinds,
              runs,
              parallelism,
              label,
              Optional.ofNullable(workerConfig),
              Optional.ofNullable(routerConfig),
              p);
      Scorecard s = run.execute(System.out::println);
      Drift d =
          baseline == null ? null : Drift.compare(Scorecard.read(baseline), s, drift.thresholds());
      Path dir =
          out != null
              ? out
              : Path.of(".agentyard", "evals", label.replaceAll("[^A-Za-z0-9._-]", "_"));
      Report.write(s, dir, d);
      System.out.println();
      System.out.println(Report.headline(s));
      System.out.println(
          "scorecard: "
              + dir.resolve(Report.MARKDOWN_FILE)
              + " (and "
              + Report.JSON_FILE
              + ", "
              + Report.CHART_FILE
              + ")");
      int status = 0;
      if (gate) {
        List<String> v = new Gate(minRouting, minRecall, maxFp).violations(s);
        v.forEach(x -> System.out.println("GATE FAILED: " + x));
        status = v.isEmpty() ? status : FAILED;
      }
      if (d != null) {
        System.out.println();
        System.out.print(d.format());
        status = d.failed() ? FAILED : status;
      }
      return status;
    }
  }

  @Command(
      name = "compare",
      description =
          "Compare a scorecard with a baseline; exit 1 when a metric drops beyond its threshold.")
  static final class Compare implements Callable<Integer> {
    @Parameters(
        index = "0",
        description = "The baseline scorecard.json (model A, the last release).")
    Path baseline;

    @Parameters(index = "1", description = "The scorecard.json to judge (model B, now).")
    Path current;

    @Mixin DriftOptions drift = new DriftOptions();

    @Override
    public Integer call() {
      Scorecard b = Scorecard.read(baseline);
      Scorecard c = Scorecard.read(current);
      System.out.printf(
          Locale.ROOT,
          "baseline %s (%s), current %s (%s)%n",
          b.label(),
          b.createdAt(),
          c.label(),
          c.createdAt());
      Drift d = Drift.compare(b, c, drift.thresholds());
      System.out.print(d.format());
      return d.failed() ? FAILED : 0;
    }
  }
}
