package dev.agentyard.evals;

import dev.agentyard.router.RouterConfig;
import dev.agentyard.runtime.config.ConfigFiles;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.simulator.ProviderSimulator;
import dev.agentyard.simulator.SimulatorConfig;
import dev.agentyard.workers.WorkerConfig;
import dev.agentyard.workers.agent.AgentSpec;
import dev.agentyard.workers.agent.OutputValidator;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One eval: load the datasets, run every case N times against the simulator (started here, playing
 * the model its profile scripts) or the providers of a worker configuration, and score it.
 *
 * @param datasets dataset files or directories
 * @param kinds which kinds of case to run
 * @param runs runs per case (N)
 * @param parallelism runs at once
 * @param label the scorecard's name (a model, a release)
 * @param workerConfig a worker configuration file (providers, keys by environment variable, model
 *     chains, budgets): real providers; empty = the simulator
 * @param routerConfig a router configuration file (routes, thresholds, classifier model); empty =
 *     the defaults
 * @param simulatorProfiles simulator properties, later files overriding earlier ones (the simulator
 *     only)
 */
public record EvalRun(
    List<Path> datasets,
    Set<EvalCase.Kind> kinds,
    int runs,
    int parallelism,
    String label,
    Optional<Path> workerConfig,
    Optional<Path> routerConfig,
    List<Path> simulatorProfiles) {

  public static final int DEFAULT_RUNS = 3;
  public static final int DEFAULT_PARALLELISM = 16;

  /** The key sent to the simulator (it checks that one is present, not its value). */
  static final String SIMULATOR_KEY = "sim-eval-key";

  public EvalRun {
    datasets = List.copyOf(datasets);
    kinds = kinds.isEmpty() ? EnumSet.allOf(EvalCase.Kind.class) : EnumSet.copyOf(kinds);
    simulatorProfiles = List.copyOf(simulatorProfiles);
    if (runs < 1 || parallelism < 1) {
      throw new IllegalArgumentException("runs and parallelism must be at least 1");
    }
    if (workerConfig.isEmpty() && simulatorProfiles.isEmpty()) {
      throw new IllegalArgumentException(
          "without a worker configuration the simulator plays the model: give it a profile");
    }
  }

  /** Runs the eval; {@code progress} gets a line now and then. */
  public Scorecard execute(Consumer<String> progress) {
    List<EvalCase> cases =
        Datasets.load(datasets).stream().filter(c -> kinds.contains(c.kind())).toList();
    if (cases.isEmpty()) {
      throw new IllegalArgumentException("no cases of kinds " + kinds + " in " + datasets);
    }
    // the evals never connect to the cluster or registry the configurations name (no Kafka in the
    // loop)
    RouterConfig router =
        RouterConfig.fromMap(
            routerConfig
                .map(f -> ConfigLoader.load(RouterConfig.defaults(), f, System.getenv()))
                .orElseGet(RouterConfig::defaults));
    ProviderSimulator sim = null;
    try {
      Map<String, String> workerMap;
      String target;
      if (workerConfig.isPresent()) {
        workerMap = ConfigLoader.load(WorkerConfig.defaults(), workerConfig.get(), System.getenv());
        target = "providers of " + workerConfig.get().getFileName();
      } else {
        Map<String, String> simMap = new HashMap<>();
        for (Path p : simulatorProfiles) {
          simMap.putAll(ConfigLoader.load(Map.of(), p, Map.of()));
        }
        simMap.put("sim.port", "0");
        sim = ProviderSimulator.start(SimulatorConfig.withDefaults(simMap));
        workerMap = simulatorWorkers(sim.baseUrl());
        target =
            "provider simulator, profile "
                + simulatorProfiles.stream()
                    .map(p -> p.getFileName().toString())
                    .collect(Collectors.joining(" + "));
      }
      WorkerConfig workers = WorkerConfig.fromMap(workerMap, System.getenv(), ConfigFiles.disk());
      progress.accept(
          String.format("%d cases x %d runs against the %s ...", cases.size(), runs, target));
      try (Harness harness = new Harness(router, workers)) {
        AtomicInteger done = new AtomicInteger();
        int total = cases.size() * runs;
        List<Observation> observations =
            harness.run(
                cases,
                runs,
                parallelism,
                o -> {
                  int n = done.incrementAndGet();
                  if (n % 100 == 0 || n == total) {
                    progress.accept(n + "/" + total + " runs done");
                  }
                });
        Map<String, OutputValidator> schemas =
            workers.specs().values().stream()
                .collect(Collectors.toMap(AgentSpec::route, AgentSpec::output));
        return Scorecard.of(
            label, target, runs, harness.modelChains(), cases, observations, new Scorer(schemas));
      }
    } finally {
      if (sim != null) {
        sim.close();
      }
    }
  }

  /** The workers' effective configuration pointed at the simulator for both wire formats. */
  static Map<String, String> simulatorWorkers(String baseUrl) {
    return WorkerConfig.effective(
        WorkerConfig.providersAt(baseUrl, SIMULATOR_KEY, WorkerConfig.DEFAULT_CALL_TIMEOUT));
  }
}
