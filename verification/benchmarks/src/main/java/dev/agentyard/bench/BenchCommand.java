package dev.agentyard.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.agentyard.avro.BudgetMode;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.local.ZipkinServer;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.simulator.ProviderSimulator;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the benchmarks: every figure in one run, on one broker, with the same records for a service
 * and its yardstick, then prints the table and writes results.json and results.png.
 */
@Command(
    name = "deploy/bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures every Agentyard service against Kafka's own limit on this machine and against the naive design.",
      "Starts a KRaft broker and Apicurio Registry in child JVMs; prints a table, writes results.json and results.png."
    })
public final class BenchCommand implements Callable<Integer> {

  /** The figures of the benchmark, in the order they run. */
  enum Figure {
    THROUGHPUT,
    OVERHEAD,
    MEMORY,
    TRACING,
    BUDGET,
    CLUSTER,
    MICRO
  }

  @Option(
      names = "--out",
      description =
          "Directory for results.json, results.png, logs and profiles (default: ${DEFAULT-VALUE}).")
  Path out = Path.of(".agentyard", "bench");

  @Option(
      names = "--quick",
      description =
          "Fewer records, shorter runs, only 4 partitions / 1 instance: a check that it works, not a measurement.")
  boolean quick;

  @Option(
      names = "--only",
      split = ",",
      description =
          "Figures to run: ${COMPLETION-CANDIDATES} (default: all). "
              + "THROUGHPUT = passthrough, router, cost aggregator, workers, scaling (1-4, 7); "
              + "CLUSTER = the headline cell on 3 brokers (11).")
  Set<Figure> only = EnumSet.allOf(Figure.class);

  @Option(
      names = "--tracing-rounds",
      description =
          "Figure 9: rounds of (off, on, on, off) runs of the router and the workers (default: ${DEFAULT-VALUE}).")
  int tracingRounds = 2;

  @Option(
      names = "--profile",
      description =
          "Record a JFR profile of each in-process figure (out/profiles): hottest methods summarised.")
  boolean profile;

  @Option(
      names = "--wall-profile",
      description =
          "Record a wall-clock profile (async-profiler, every thread every 10 ms whatever its state) of each "
              + "in-process figure (out/profiles/<figure>.wall.*): where a service waits, not only where it computes.")
  boolean wallProfile;

  @Option(
      names = "--tasks",
      description = "Tasks for the passthrough and router runs (default: 20000; quick: 4000).")
  Integer tasks;

  @Option(
      names = "--usage-events",
      description =
          "Usage events for the passthrough and cost runs (default: 200000; quick: 40000).")
  Integer usageEvents;

  @Option(
      names = "--worker-tasks",
      description = "Tasks for the worker runs (default: 8000; quick: 2000).")
  Integer workerTasks;

  @Option(
      names = "--rates",
      split = ",",
      description =
          "Offered loads of the overhead figure, tasks/s (default: 1000,250: "
              + "the issue's load, and one this 2-core machine sustains with every service on it).")
  List<Double> rates = List.of(1000.0, 250.0);

  @Option(
      names = "--replot",
      description = "Only draw results.png again from this results.json; measures nothing.")
  Path replot;

  private final List<Row> rows = new ArrayList<>();
  private final Map<String, double[]> latencies = new LinkedHashMap<>();
  private final Map<String, Object> cpu = new LinkedHashMap<>();

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new BenchCommand())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (replot != null) {
      say("Plot: %s", Report.replot(replot));
      return 0;
    }
    int nTasks = tasks != null ? tasks : quick ? 4000 : 20000;
    int nUsage = usageEvents != null ? usageEvents : quick ? 40000 : 200000;
    int nWorker = workerTasks != null ? workerTasks : quick ? 2000 : 8000;
    Path dir = out.toAbsolutePath();
    Files.createDirectories(dir);
    Path clusterDir = Files.createTempDirectory(dir, "run-");
    Map<String, Object> machine = machine();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("quick", quick);
    settings.put("figures", only);
    settings.put("tasks", nTasks);
    settings.put("usageEvents", nUsage);
    settings.put("workerTasks", nWorker);
    settings.put("overheadRates", rates);
    settings.put("startedAt", Instant.now().toString());
    say(
        "Machine: %s cores, %s, JDK %s",
        machine.get("cores"), machine.get("os"), machine.get("jdk"));

    try (BenchCluster cluster = BenchCluster.start(clusterDir)) {
      say(
          "Broker (child JVM pid %d) at %s; registry at %s",
          cluster.brokerPid(), cluster.bootstrap(), cluster.registryUrl());
      if (only.contains(Figure.THROUGHPUT)) {
        Cell main = new Cell(4, 1);
        throughput(
            cluster,
            nTasks,
            nUsage,
            nWorker,
            quick ? List.of(main) : List.of(new Cell(1, 1), main, new Cell(4, 2)));
      }
      if (only.contains(Figure.OVERHEAD)) {
        overhead(cluster);
      }
      if (only.contains(Figure.MEMORY)) {
        memory(cluster);
      }
      if (only.contains(Figure.TRACING)) {
        // three times the workers' usual count: at ~1,300 tasks/s the usual 8,000 make windows of
        // 5-8 s, where a young collection's pause (200-400 ms here) or start-up moves one run by
        // ±15 %; 24,000 make windows of 15-19 s
        tracing(cluster, nTasks, 3 * nWorker);
      }
      if (only.contains(Figure.BUDGET)) {
        budgets(cluster);
      }
    }
    if (only.contains(Figure.CLUSTER)) {
      say("Figure 11: the headline cell again on 3 brokers (replication 3, min ISR 2) ...");
      try (BenchCluster three = BenchCluster.start(clusterDir.resolve("three-brokers"), 3)) {
        throughput(three, nTasks, nUsage, nWorker, List.of(new Cell(4, 1, 3)));
      }
    }
    if (only.contains(Figure.MICRO)) {
      say("Figure 8: JMH micro-benchmarks (a fork each) ...");
      rows.addAll(MicroRun.run(quick));
    }
    settings.put("finishedAt", Instant.now().toString());
    settings.put("cpuDuringRuns", cpu);
    String table = Report.table(rows);
    System.out.println();
    System.out.println(table);
    Files.writeString(dir.resolve("results.txt"), table);
    Path json = Report.json(dir, machine, settings, rows, latencies);
    Path png = Report.png(dir, rows, latencies);
    say("Results: %s, %s, %s", dir.resolve("results.txt"), json, png);
    long missed = rows.stream().filter(r -> Boolean.FALSE.equals(r.met())).count();
    say(
        "%d targets, %d met, %d missed",
        rows.stream().filter(r -> r.met() != null).count(),
        rows.stream().filter(r -> Boolean.TRUE.equals(r.met())).count(),
        missed);
    return 0;
  }

  private record Cell(int partitions, int instances, int brokers) {
    Cell(int partitions, int instances) {
      this(partitions, instances, 1);
    }

    String label() {
      return partitions + "p-" + instances + "i" + (brokers > 1 ? "-" + brokers + "b" : "");
    }

    String setup() {
      return partitions
          + (partitions == 1 ? " partition, " : " partitions, ")
          + instances
          + (instances == 1 ? " instance" : " instances")
          + (brokers > 1 ? ", " + brokers + " brokers (RF 3, min ISR 2)" : "");
    }

    /** The cell whose rows carry the targets, and the extra yardsticks, on its cluster. */
    boolean headline() {
      return partitions == 4 && instances == 1;
    }
  }

  /**
   * Figures 1-4 and 7: each cell of the scaling grid; the 4-partition, 1-instance cell is the
   * headline.
   */
  private void throughput(
      BenchCluster cluster, int nTasks, int nUsage, int nWorker, List<Cell> cells)
      throws Exception {
    Cell main = new Cell(4, 1);
    say("Serializing %d tasks and %d usage events ...", nTasks, nUsage);
    List<Records.Bytes> taskBytes =
        Records.serialize(
            cluster.registryUrl(),
            Topics.TASKS.name(),
            Workload.tasks(nTasks, 1),
            TaskSubmitted::getTaskId);
    List<Records.Bytes> usageBytes =
        Records.serialize(
            cluster.registryUrl(),
            Topics.USAGE.name(),
            Workload.usage(nUsage, 2),
            ModelUsage::getTaskId);
    String taskSize = String.format(Locale.ROOT, "%.0f B", Records.meanSize(taskBytes));
    String usageSize = String.format(Locale.ROOT, "%.0f B", Records.meanSize(usageBytes));
    Duration latency = Duration.ofMillis(200);
    int inFlight = 256;
    try (ProviderSimulator sim = WorkerRuns.simulator(latency)) {
      for (Cell cell : cells) {
        boolean headline = cell.headline();
        // the 3-broker cell is figure 11, its ratios without targets (the targets are the 1-broker
        // cell's)
        java.util.function.UnaryOperator<String> fig =
            headlineFigure -> cell.brokers() > 1 ? "11" : headline ? headlineFigure : "7";
        boolean targets = headline && cell.brokers() == 1;
        cluster.resetTopics(cell.partitions());
        Records.produce(cluster.bootstrap(), Topics.TASKS.name(), taskBytes);
        Records.produce(cluster.bootstrap(), PassthroughRun.TASKS, repeat(taskBytes, TASK_COPIES));
        String setup = cell.setup() + ", " + taskSize;
        GroupProgress.Rate pt =
            passthrough(cluster, cell, PassthroughRun.TASKS, nTasks * TASK_COPIES, "tasks");
        rows.add(
            Row.plain(
                fig.apply("1"),
                "passthrough, tasks (bytes, at-least-once)",
                setup,
                pt.perSecond(),
                "records/s"));
        if (headline) {
          GroupProgress.Rate eos =
              PassthroughRun.run(
                  cluster,
                  PassthroughRun.TASKS,
                  cell.partitions(),
                  cell.instances(),
                  true,
                  "pt-tasks-eos");
          rows.add(
              Row.ratio(
                  fig.apply("1"),
                  "passthrough, tasks (bytes, exactly-once)",
                  setup,
                  eos.perSecond(),
                  "records/s",
                  pt.perSecond(),
                  "passthrough at-least-once"));
        }
        say("[%s] router over %d tasks ...", cell.label(), nTasks);
        GroupProgress.Rate router =
            measured(
                "router-" + cell.label(),
                cluster,
                () -> StreamsRuns.router(cluster, cell.label(), cell.instances(), Map.of()));
        Row r =
            Row.ratio(
                fig.apply("2"),
                "router (classifier, screen, EOS)",
                setup,
                router.perSecond(),
                "records/s",
                pt.perSecond(),
                "passthrough, tasks");
        rows.add(targets ? r.ratioAtLeast(0.15) : r);
        if (headline) {
          int cores = Runtime.getRuntime().availableProcessors();
          say(
              "[%s] work limit: the router's work on %d plain consumer threads ...",
              cell.label(), cores);
          GroupProgress.Rate limit =
              measured(
                  "work-limit-" + cell.label(),
                  cluster,
                  () -> WorkLimitRun.run(cluster, cores, "bench-work-limit-" + cell.label()));
          rows.add(
              Row.plain(
                  fig.apply("2"),
                  "work limit: load, screen, classify, encode on "
                      + cores
                      + " threads (no Kafka Streams, no EOS)",
                  setup,
                  limit.perSecond(),
                  "records/s"));
          Row vsLimit =
              Row.ratio(
                  fig.apply("2"),
                  "router vs its work limit",
                  setup,
                  router.perSecond(),
                  "records/s",
                  limit.perSecond(),
                  "work limit");
          rows.add(targets ? vsLimit.ratioAtLeast(0.8) : vsLimit);
        }

        Records.produce(cluster.bootstrap(), Topics.USAGE.name(), usageBytes);
        Records.produce(
            cluster.bootstrap(), PassthroughRun.USAGE, repeat(usageBytes, USAGE_COPIES));
        String usetup = cell.setup() + ", " + usageSize;
        GroupProgress.Rate ptu =
            passthrough(cluster, cell, PassthroughRun.USAGE, nUsage * USAGE_COPIES, "usage");
        rows.add(
            Row.plain(
                fig.apply("1"),
                "passthrough, usage (bytes, at-least-once)",
                usetup,
                ptu.perSecond(),
                "records/s"));
        GroupProgress.Rate usageEos = null;
        if (headline) {
          GroupProgress.Rate eos =
              PassthroughRun.run(
                  cluster,
                  PassthroughRun.USAGE,
                  cell.partitions(),
                  cell.instances(),
                  true,
                  "pt-usage-eos");
          rows.add(
              Row.ratio(
                  fig.apply("1"),
                  "passthrough, usage (bytes, exactly-once)",
                  usetup,
                  eos.perSecond(),
                  "records/s",
                  ptu.perSecond(),
                  "passthrough at-least-once"));
          usageEos = eos;
        }
        say("[%s] cost aggregator over %d usage events ...", cell.label(), nUsage);
        GroupProgress.Rate cost =
            measured(
                "cost-" + cell.label(),
                cluster,
                () -> StreamsRuns.cost(cluster, cell.label(), cell.instances()));
        Row c =
            Row.ratio(
                fig.apply("3"),
                "cost aggregator (dedup, 3 windows, EOS)",
                usetup,
                cost.perSecond(),
                "records/s",
                ptu.perSecond(),
                "passthrough, usage");
        rows.add(c);
        if (usageEos != null) {
          Row vsEos =
              Row.ratio(
                  fig.apply("3"),
                  "cost aggregator vs exactly-once passthrough",
                  usetup,
                  cost.perSecond(),
                  "records/s",
                  usageEos.perSecond(),
                  "passthrough, usage, exactly-once");
          rows.add(targets ? vsEos.ratioAtLeast(0.5) : vsEos);
        }

        say(
            "[%s] workers, %d tasks, model latency %d ms, %d in flight per instance ...",
            cell.label(), nWorker, latency.toMillis(), inFlight);
        GroupProgress.Rate w =
            measured(
                "workers-" + cell.label(),
                cluster,
                () -> WorkerRuns.ours(cluster, sim.baseUrl(), nWorker, cell.instances(), inFlight));
        double bound = cell.instances() * inFlight / (latency.toMillis() / 1000.0);
        String wsetup =
            cell.setup() + ", " + latency.toMillis() + " ms/call, " + inFlight + " in flight";
        Row wr =
            Row.ratio(
                fig.apply("4"),
                "agent workers",
                wsetup,
                w.perSecond(),
                "tasks/s",
                bound,
                String.format(Locale.ROOT, "Little's law bound %.0f/s", bound));
        rows.add(targets ? wr.ratioAtLeast(0.9) : wr);
        // the bound with the call latency the worker actually saw (HTTP stacks of both sides
        // included):
        // tells the worker's own limit apart from the simulator's
        double[] call = WorkerRuns.meanCallMillis(cluster, "w-");
        double seenBound = cell.instances() * inFlight / (call[0] / 1000.0);
        rows.add(
            Row.ratio(
                fig.apply("4"),
                "agent workers vs bound at observed call time",
                cell.setup() + String.format(Locale.ROOT, ", calls took %.0f ms", call[0]),
                w.perSecond(),
                "tasks/s",
                seenBound,
                String.format(Locale.ROOT, "bound at observed %.0f/s", seenBound)));
        if (targets) {
          // the run journal's cost: the same run with it turned off (ADR 0016)
          say("[%s] workers without the run journal, %d tasks ...", cell.label(), nWorker);
          // fresh topics and groups: progress is read from the group's committed offsets
          cluster.resetTopics(cell.partitions());
          GroupProgress.Rate bare =
              measured(
                  "workers-no-journal-" + cell.label(),
                  cluster,
                  () ->
                      WorkerRuns.ours(
                          cluster, sim.baseUrl(), nWorker, cell.instances(), inFlight, false));
          rows.add(
              Row.ratio(
                      fig.apply("4"),
                      "agent workers with the run journal vs without",
                      wsetup,
                      w.perSecond(),
                      "tasks/s",
                      bare.perSecond(),
                      String.format(Locale.ROOT, "without the journal %.0f/s", bare.perSecond()))
                  .ratioAtLeast(0.9));
        }
      }
      if (!cells.contains(main)) {
        return; // the naive design is compared on the 1-broker cluster only
      }
      cluster.resetTopics(main.partitions());
      Duration d = Duration.ofSeconds(quick ? 5 : 12);
      say("Synchronous one-at-a-time consumer for %d s ...", d.toSeconds());
      double sync = WorkerRuns.synchronous(cluster, sim.baseUrl(), d);
      Row ours = rows.stream().filter(x -> x.figure().equals("4")).findFirst().orElseThrow();
      rows.add(
          Row.plain(
              "4",
              "synchronous consumer (same processor)",
              main.setup() + ", " + latency.toMillis() + " ms/call",
              sync,
              "tasks/s"));
      rows.add(
          new Row(
              "4",
              "agent workers vs synchronous",
              main.setup(),
              ours.value(),
              "tasks/s",
              ours.value() / sync,
              "synchronous consumer",
              "ratio >= 100",
              ours.value() / sync >= 100));
    }
  }

  /** Figure 5: task published to result committed, beyond the model, at fixed offered loads. */
  private void overhead(BenchCluster cluster) throws Exception {
    Duration latency = Duration.ofMillis(20);
    Duration measured = Duration.ofSeconds(quick ? 5 : 15);
    for (double rate : rates) {
      for (var variant :
          List.of(
              Map.entry("defaults", Map.<String, String>of()),
              Map.entry(
                  "router and worker commit 20 ms",
                  Map.of(
                      "kafka.streams.commit.interval.ms",
                      "20",
                      "worker.commit-interval",
                      "20ms")))) {
        cluster.resetTopics(4);
        String label = String.format(Locale.ROOT, "%.0f/s, %s", rate, variant.getKey());
        say("Figure 5: overhead at %s, %d s measured ...", label, measured.toSeconds());
        String run = "o" + latencies.size();
        CpuUse.Snapshot before =
            CpuUse.snapshot(ProcessHandle.current().pid(), cluster.brokerPid());
        OverheadRun.Outcome o =
            profiled(
                "overhead-" + latencies.size(),
                () -> OverheadRun.run(cluster, run, rate, measured, latency, variant.getValue()));
        double[] cores =
            CpuUse.cores(
                before, CpuUse.snapshot(ProcessHandle.current().pid(), cluster.brokerPid()));
        say(
            "  %d results of %d tasks; p50 %.1f ms, p99 %.1f ms; CPU: %.2f cores here, %.2f in the broker",
            o.results(),
            o.published(),
            Stats.percentile(o.overheadMs(), 50),
            Stats.percentile(o.overheadMs(), 99),
            cores[0],
            cores[1]);
        latencies.put(label, o.overheadMs());
        String setup = String.format(Locale.ROOT, "%s, %d results", label, o.results());
        rows.add(Row.plain("5", "overhead p50", setup, Stats.percentile(o.overheadMs(), 50), "ms"));
        rows.add(
            Row.plain("5", "overhead p99", setup, Stats.percentile(o.overheadMs(), 99), "ms")
                .valueAtMost(25));
        rows.add(
            Row.plain("5", "overhead p99.9", setup, Stats.percentile(o.overheadMs(), 99.9), "ms"));
        rows.add(
            Row.plain(
                "5",
                "model call as the worker timed it (mean)",
                String.format(
                    Locale.ROOT,
                    "%s, simulator %d ms, %d calls",
                    label,
                    latency.toMillis(),
                    o.calls()),
                o.meanCallMs(),
                "ms"));
      }
    }
  }

  /**
   * Figure 10: what a budget reservation adds to a call (issue 26). The overhead run of figure 5 at
   * 100 tasks/s with the cost aggregator and its budget ledger running, three ways: no budget
   * defined (the baseline), a hard budget on every route (a ledger round trip per call), a lease
   * budget on every route; limits far above the run's spend, so no call is refused. Reported: each
   * way's overhead p50/p99, and from the workers' own timers how long a call waited for its
   * reservation and one ledger round trip took (p50/p99, warm-up included).
   */
  private void budgets(BenchCluster cluster) throws Exception {
    Duration latency = Duration.ofMillis(20);
    Duration measured = Duration.ofSeconds(quick ? 5 : 15);
    // 100 tasks/s: at 250 the whole pipeline with the cost aggregator, its ledger and the registry
    // on 2 cores falls behind (p50 overhead in seconds, in every variant), and a comparison of
    // saturated runs says nothing about what a reservation adds
    double rate = 100;
    // a first run warms the JIT and the broker for all three (not reported: its overhead was
    // 30 times the others')
    say("Figure 10: budgets, warm-up run (not reported) ...");
    cluster.resetTopics(4);
    OverheadRun.run(
        cluster,
        "bw",
        rate,
        Duration.ofSeconds(5),
        latency,
        Map.of(),
        new OverheadRun.Ledger(BudgetMode.HARD));
    for (BudgetMode mode : new BudgetMode[] {null, BudgetMode.HARD, BudgetMode.LEASE}) {
      cluster.resetTopics(4);
      String label =
          String.format(
              Locale.ROOT,
              "%.0f/s, %s",
              rate,
              mode == null
                  ? "ledger running, no budget"
                  : mode.name().toLowerCase(Locale.ROOT) + " budget on every route");
      say("Figure 10: budgets, %s, %d s measured ...", label, measured.toSeconds());
      String run = "b" + latencies.size();
      CpuUse.Snapshot before = CpuUse.snapshot(ProcessHandle.current().pid(), cluster.brokerPid());
      OverheadRun.Outcome o =
          OverheadRun.run(
              cluster, run, rate, measured, latency, Map.of(), new OverheadRun.Ledger(mode));
      double[] cores =
          CpuUse.cores(before, CpuUse.snapshot(ProcessHandle.current().pid(), cluster.brokerPid()));
      latencies.put(label, o.overheadMs());
      String setup =
          String.format(
              Locale.ROOT,
              "%s, %d results, %.2f cores here + %.2f broker",
              label,
              o.results(),
              cores[0],
              cores[1]);
      rows.add(Row.plain("10", "overhead p50", setup, Stats.percentile(o.overheadMs(), 50), "ms"));
      rows.add(Row.plain("10", "overhead p99", setup, Stats.percentile(o.overheadMs(), 99), "ms"));
      OverheadRun.Budgets b = o.budgets();
      if (b != null) {
        String what = mode.name().toLowerCase(Locale.ROOT);
        rows.add(
            Row.plain(
                "10",
                what + " reservation wait p50",
                setup + ", " + b.reservations() + " reservations",
                b.reserveP50(),
                "ms"));
        rows.add(Row.plain("10", what + " reservation wait p99", setup, b.reserveP99(), "ms"));
        rows.add(
            Row.plain(
                "10",
                what + " ledger round trip p50",
                setup + ", " + b.roundTrips() + " round trips",
                b.roundTripP50(),
                "ms"));
        rows.add(Row.plain("10", what + " ledger round trip p99", setup, b.roundTripP99(), "ms"));
        say(
            "  %s: overhead p50 %.1f ms, p99 %.1f ms; reservation wait p50 %.2f ms, p99 %.2f ms (%d); ledger round trip p50 %.1f ms, p99 %.1f ms (%d); CPU %.2f cores here, %.2f broker",
            what,
            Stats.percentile(o.overheadMs(), 50),
            Stats.percentile(o.overheadMs(), 99),
            b.reserveP50(),
            b.reserveP99(),
            b.reservations(),
            b.roundTripP50(),
            b.roundTripP99(),
            b.roundTrips(),
            cores[0],
            cores[1]);
      } else {
        say(
            "  no budget: overhead p50 %.1f ms, p99 %.1f ms; CPU %.2f cores here, %.2f broker",
            Stats.percentile(o.overheadMs(), 50),
            Stats.percentile(o.overheadMs(), 99),
            cores[0],
            cores[1]);
      }
    }
  }

  /** Figure 6: a worker in its own JVM holding 5,000 model calls in flight. */
  private void memory(BenchCluster cluster) throws Exception {
    cluster.resetTopics(4);
    int inFlight = 5000;
    List<String> jvm = List.of("-Xmx384m", "-XX:+UseG1GC", "-XX:MaxMetaspaceSize=128m");
    say("Figure 6: worker RSS with %d calls in flight (%s) ...", inFlight, String.join(" ", jvm));
    WorkerRuns.Memory m = WorkerRuns.memory(cluster, inFlight, jvm);
    String setup = m.inFlight() + " in flight, " + String.join(" ", jvm);
    rows.add(Row.plain("6", "worker RSS", setup, m.rssBytes() / 1048576.0, "MiB").valueAtMost(512));
    rows.add(Row.plain("6", "worker peak RSS (VmHWM)", setup, m.peakRssBytes() / 1048576.0, "MiB"));
  }

  /**
   * Figure 9: what tracing costs. The router and the workers, each with every span exported to a
   * real Zipkin server (a child JVM on this machine) and with tracing off (no exporter: the SDK
   * samples nothing), in rounds of off, on, on, off so drift of this noisy machine falls on both
   * sides; the ratio is of the means. The workers run with a short model latency, so they are bound
   * by CPU (where spans cost something) and not by the calls' wait. Spans Zipkin received are
   * counted from its own metrics.
   */
  private void tracing(BenchCluster cluster, int nTasks, int nWorker) throws Exception {
    Cell cell = new Cell(4, 1);
    Duration latency = Duration.ofMillis(20);
    int inFlight = 256;
    List<Records.Bytes> taskBytes =
        Records.serialize(
            cluster.registryUrl(),
            Topics.TASKS.name(),
            Workload.tasks("tr", nTasks, 1, false),
            TaskSubmitted::getTaskId);
    try (ZipkinServer zipkin =
            ZipkinServer.start(0, cluster.dir().resolve("zipkin.log").toAbsolutePath());
        ProviderSimulator sim = WorkerRuns.simulator(latency)) {
      say("Figure 9: tracing on (Zipkin at %s, pid %d) and off ...", zipkin.url(), zipkin.pid());
      double[] router = new double[2];
      double[] workers = new double[2];
      long[] spans = new long[2];
      long expected = 0;
      long expectedWorker = 0;
      // a round untimed first: JIT, connections and the broker's page cache warm for both sides
      say("[tracing] warm-up round (not counted) ...");
      cluster.resetTopics(cell.partitions());
      Records.produce(cluster.bootstrap(), Topics.TASKS.name(), taskBytes);
      StreamsRuns.router(cluster, "tracing-warm-up", 1, Map.of());
      cluster.resetTopics(cell.partitions());
      WorkerRuns.ours(cluster, sim.baseUrl(), nWorker, 1, inFlight, true, "wt-warm");
      int run = 0;
      List<Boolean> order = new ArrayList<>();
      for (int i = 0; i < tracingRounds; i++) {
        order.addAll(List.of(false, true, true, false));
      }
      for (boolean on : order) {
        String label = (on ? "on-" : "off-") + run;
        String ids = "wt" + run;
        long spansBefore = zipkinSpans(zipkin);
        CpuUse.Snapshot before =
            CpuUse.snapshot(ProcessHandle.current().pid(), cluster.brokerPid(), zipkin.pid());
        if (on) {
          System.setProperty("otel.exporter.zipkin.endpoint", zipkin.spansEndpoint());
        }
        try {
          // fresh topics for each service: the router's outputs must not reach the workers' input
          cluster.resetTopics(cell.partitions());
          Records.produce(cluster.bootstrap(), Topics.TASKS.name(), taskBytes);
          say("[tracing %s] router over %d tasks ...", on ? "on" : "off", nTasks);
          GroupProgress.Rate r =
              measured(
                  "router-tracing-" + label,
                  cluster,
                  () -> StreamsRuns.router(cluster, "tracing-" + label, 1, Map.of()));
          router[on ? 1 : 0] += r.perSecond();
          long routerSpans = zipkinSpans(zipkin) - spansBefore;
          spans[0] += on ? routerSpans : 0;
          if (on) {
            // one process span per task, one send span per output
            List<String> outputs = new ArrayList<>(List.of(Topics.REVIEW.name()));
            Topics.DEFAULT_ROUTES.forEach(x -> outputs.add(Topics.route(x).name()));
            expected += nTasks + Records.committed(cluster.bootstrap(), outputs);
          }
          say("[tracing %s] workers, %d tasks ...", on ? "on" : "off", nWorker);
          cluster.resetTopics(cell.partitions());
          GroupProgress.Rate w =
              measured(
                  "workers-tracing-" + label,
                  cluster,
                  () -> WorkerRuns.ours(cluster, sim.baseUrl(), nWorker, 1, inFlight, true, ids));
          workers[on ? 1 : 0] += w.perSecond();
          spans[1] += on ? zipkinSpans(zipkin) - spansBefore - routerSpans : 0;
          if (on) {
            // per task a process, an invoke_agent and a send span, and a chat span per model call
            // (one usage event each); tool calls would add execute_tool spans
            expectedWorker +=
                3L * nWorker + Records.committed(cluster.bootstrap(), List.of(Topics.USAGE.name()));
          }
        } finally {
          System.clearProperty("otel.exporter.zipkin.endpoint");
        }
        double[] cores =
            CpuUse.cores(
                before,
                CpuUse.snapshot(ProcessHandle.current().pid(), cluster.brokerPid(), zipkin.pid()));
        say(
            "  tracing %s: CPU %.2f cores here, %.2f in the broker, %.2f in Zipkin",
            on ? "on" : "off", cores[0], cores[1], cores[2]);
        cpu.put("tracing-" + label + "-zipkinCores", cores[2]);
        run++;
      }
      String rsetup =
          String.format(
              Locale.ROOT,
              "%s; %d runs each way; %d of %d spans reached Zipkin",
              cell.setup(),
              2 * tracingRounds,
              spans[0],
              expected);
      rows.add(tracingRow("router", rsetup, "records/s", router));
      String wsetup =
          String.format(
              Locale.ROOT,
              "%s, %d ms/call, %d in flight; %d runs each way; %d of at least %d spans reached"
                  + " Zipkin",
              cell.setup(),
              latency.toMillis(),
              inFlight,
              2 * tracingRounds,
              spans[1],
              expectedWorker);
      rows.add(tracingRow("agent workers", wsetup, "tasks/s", workers));
    }
  }

  /** A figure-9 row: the mean rate with tracing on ({@code sums[1]}) against off ({@code [0]}). */
  private Row tracingRow(String service, String setup, String unit, double[] sums) {
    double on = sums[1] / (2 * tracingRounds);
    double off = sums[0] / (2 * tracingRounds);
    return Row.ratio(
            "9",
            service + " with every span exported vs tracing off",
            setup,
            on,
            unit,
            off,
            String.format(Locale.ROOT, "tracing off %.0f/s", off))
        .ratioAtLeast(0.9);
  }

  /** Spans the Zipkin server has accepted so far (its {@code zipkin_collector_spans} counter). */
  private static long zipkinSpans(ZipkinServer zipkin) throws Exception {
    // Zipkin (Armeria) may drop a connection while it is busy ingesting: ask again, a few times
    for (int attempt = 1; ; attempt++) {
      try {
        return zipkinSpansOnce(zipkin);
      } catch (java.io.IOException e) {
        if (attempt == 5) {
          throw e;
        }
        Thread.sleep(500L * attempt);
      }
    }
  }

  private static long zipkinSpansOnce(ZipkinServer zipkin) throws Exception {
    String body =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(zipkin.url() + "/prometheus"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    double total = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith("zipkin_collector_spans_total")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (long) total;
  }

  /**
   * How many times the passthrough's input holds the services' records (see PassthroughRun.TASKS).
   */
  private static final int TASK_COPIES = 10;

  private static final int USAGE_COPIES = 3;

  private static List<Records.Bytes> repeat(List<Records.Bytes> records, int times) {
    List<Records.Bytes> out = new ArrayList<>(records.size() * times);
    for (int i = 0; i < times; i++) {
      out.addAll(records);
    }
    return out;
  }

  /**
   * The yardstick: one unmeasured pass to warm this JVM (JIT, connections), then the measured one.
   */
  private GroupProgress.Rate passthrough(
      BenchCluster cluster, Cell cell, String topic, int records, String what) throws Exception {
    say(
        "[%s] passthrough over %d %s records (warm-up pass, then measured) ...",
        cell.label(), records, what);
    PassthroughRun.run(
        cluster,
        topic,
        cell.partitions(),
        cell.instances(),
        false,
        "pt-warm-" + what + "-" + cell.label());
    return measured(
        "passthrough-" + what + "-" + cell.label(),
        cluster,
        () ->
            PassthroughRun.run(
                cluster,
                topic,
                cell.partitions(),
                cell.instances(),
                false,
                "pt-" + what + "-" + cell.label()));
  }

  /**
   * Runs {@code work}, profiled if asked, and says how many cores this JVM and the broker used
   * meanwhile.
   */
  private GroupProgress.Rate measured(
      String name, BenchCluster cluster, Callable<GroupProgress.Rate> work) throws Exception {
    CpuUse.Snapshot before = CpuUse.snapshot(ProcessHandle.current().pid(), cluster.brokerPid());
    GroupProgress.Rate rate = profiled(name, work);
    CpuUse.Snapshot after = CpuUse.snapshot(ProcessHandle.current().pid(), cluster.brokerPid());
    double[] cores = CpuUse.cores(before, after);
    say(
        "  %s: %,.0f records/s over %.1f s (%,d records; %.1f s with start-up); CPU: %.2f cores here, %.2f in the broker",
        name,
        rate.perSecond(),
        rate.windowSeconds(),
        rate.records(),
        rate.totalSeconds(),
        cores[0],
        cores[1]);
    cpu.put(
        name,
        Map.of(
            "harnessCores",
            cores[0],
            "brokerCores",
            cores[1],
            "windowSeconds",
            rate.windowSeconds()));
    return rate;
  }

  private <T> T profiled(String name, Callable<T> work) throws Exception {
    Path dir = out.toAbsolutePath().resolve("profiles");
    if (wallProfile) {
      WallProfile w = WallProfile.start(dir, name);
      try {
        return cpuProfiled(name, dir, work);
      } finally {
        String summary = w.finish();
        w.close();
        say(
            "Wall-clock profile of %s (%s):%n%s",
            name, dir.resolve(name + ".wall.collapsed"), summary);
      }
    }
    return cpuProfiled(name, dir, work);
  }

  private <T> T cpuProfiled(String name, Path dir, Callable<T> work) throws Exception {
    if (!profile) {
      return work.call();
    }
    Profile p = Profile.start(dir, name);
    try {
      return work.call();
    } finally {
      String summary = p.finish();
      say("Profile of %s (%s):%n%s", name, dir.resolve(name + ".jfr"), summary);
    }
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    var os = ManagementFactory.getOperatingSystemMXBean();
    m.put("os", os.getName() + " " + os.getVersion() + " " + os.getArch());
    if (os instanceof OperatingSystemMXBean sun) {
      m.put("memoryGiB", Math.round(sun.getTotalMemorySize() / 1073741824.0 * 10) / 10.0);
    }
    m.put("jdk", Runtime.version().toString());
    m.put("harnessMaxHeapMiB", Runtime.getRuntime().maxMemory() / 1048576);
    return m;
  }

  static void say(String format, Object... args) {
    System.out.printf(
        Locale.ROOT, "%s  " + format + "%n", prepend(LocalTime.now().withNano(0), args));
    System.out.flush();
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
