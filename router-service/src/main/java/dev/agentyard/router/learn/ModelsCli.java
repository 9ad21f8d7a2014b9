package dev.agentyard.router.learn;

import dev.agentyard.avro.ClassifierModel;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.router.RouterModule;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code router-models}: the router's classifier registry from the command line — retrain from the
 * labelled examples (the job a schedule runs), list the models and their gate decisions, roll back.
 * See docs/runbooks/router-classifier.md.
 */
@Command(
    name = "router-models",
    mixinStandardHelpOptions = true,
    description =
        "Retrain the router's classifier from triage verdicts and reviewers' route decisions,"
            + " list the registry, roll back. Routers follow the registry's current model.",
    subcommands = {
      ModelsCli.Retrain.class,
      ModelsCli.ListCmd.class,
      ModelsCli.Rollback.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  router-models retrain --corpus /opt/agentyard/corpus",
      "  router-models retrain --corpus /opt/agentyard/corpus --dry-run",
      "  router-models list",
      "  router-models rollback --why 'HOA statements misrouted since the last promotion'"
    })
public final class ModelsCli implements Callable<Integer> {

  @Option(
      names = "-D",
      description = "Override one config key, e.g. -D kafka.bootstrap.servers=host:9092",
      mapFallbackValue = "")
  Map<String, String> overrides = new HashMap<>();

  @Option(
      names = "--operator",
      description = "Your name for the registry's record (default: the OS user).")
  String operator;

  @Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ModelsCli()).execute(args));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  private RouterModule module() {
    Map<String, String> raw =
        new HashMap<>(ConfigLoader.load(RouterConfig.defaults(), System.getenv()));
    raw.putAll(overrides);
    RouterConfig config = RouterConfig.fromMap(raw);
    return new RouterModule(config, new DefaultKafkaClients(config.kafka()), Clock.systemUTC());
  }

  private static ClassifierModels models(RouterModule m) {
    return ClassifierModels.of(m);
  }

  private String actor(String fallback) {
    return operator != null && !operator.isBlank()
        ? "cli:" + operator
        : "cli:" + System.getProperty("user.name", fallback);
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Command(
      name = "retrain",
      description =
          "Train a candidate on the corpus and every labelled example, compare it with the model in"
              + " force on the golden set, record it, and promote it only if it is at least as precise.")
  static final class Retrain implements Callable<Integer> {
    @ParentCommand ModelsCli root;

    @Option(
        names = "--corpus",
        description = "Labelled corpus directory (default: the corpus on the classpath).")
    Path corpus;

    @Option(
        names = "--golden",
        description = "Golden set directory (default: the corpus's test split).")
    Path golden;

    @Option(
        names = "--max-share-drop",
        description =
            "How much less (fraction) the candidate may decide locally (default ${DEFAULT-VALUE}).")
    double maxShareDrop = 0.02;

    @Option(names = "--dry-run", description = "Train and judge, write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
      List<LabelledDocument> docs = corpus == null ? Corpus.bundled() : Corpus.load(corpus);
      List<LabelledDocument> goldenSet =
          golden == null
              ? docs.stream().filter(d -> d.split().equals(LabelledDocument.TEST)).toList()
              : Corpus.load(golden);
      try (RouterModule m = root.module()) {
        ClassifierModels.Round r =
            models(m).retrain(docs, goldenSet, root.actor("retrain"), maxShareDrop, dryRun);
        ClassifierModel c = r.candidate();
        PrintWriter out = root.out();
        out.printf(
            "candidate %s: %d labelled examples beside %d corpus documents%n",
            c.getVersion(), r.labels(), docs.size());
        out.printf("  candidate: %s%n", Retraining.describe(c.getEvaluation()));
        out.printf(
            "  in force:  %s (%s)%n", Retraining.describe(c.getBaseline()), c.getBaselineVersion());
        out.printf(
            "%s: %s%n",
            dryRun ? "dry run, nothing written" : r.promoted() ? "PROMOTED" : "not promoted",
            c.getReason());
        return r.promoted() || dryRun ? 0 : 3;
      }
    }
  }

  @Command(name = "list", description = "The models in the registry and the gate's decisions.")
  static final class ListCmd implements Callable<Integer> {
    @ParentCommand ModelsCli root;

    @Override
    public Integer call() {
      try (RouterModule m = root.module()) {
        ClassifierModels models = models(m);
        Optional<ClassifierModel> current =
            Optional.ofNullable(models.entries().get(ClassifierRegistry.CURRENT));
        PrintWriter out = root.out();
        for (ClassifierModel c : models.history()) {
          boolean inForce = current.map(x -> x.getVersion().equals(c.getVersion())).orElse(false);
          out.printf(
              "%s %-32s %-11s %s  labels=%d  %s  by %s%n",
              inForce ? "*" : " ",
              c.getVersion(),
              c.getAction(),
              c.getDecidedAt(),
              c.getLabelledExamples(),
              Retraining.describe(c.getEvaluation()),
              c.getActor());
        }
        out.println(
            current
                .map(
                    c ->
                        "in force: "
                            + c.getVersion()
                            + " ("
                            + c.getAction()
                            + " by "
                            + c.getActor()
                            + ": "
                            + c.getReason()
                            + ")")
                .orElse("in force: the model built with the router (nothing promoted yet)"));
        return 0;
      }
    }
  }

  @Command(
      name = "rollback",
      description =
          "Put an earlier model back in force (default: the one the current model replaced).")
  static final class Rollback implements Callable<Integer> {
    @ParentCommand ModelsCli root;

    @Option(names = "--to", description = "The version to put in force.")
    String to;

    @Option(names = "--why", required = true, description = "Why, for the registry's record.")
    String why;

    @Override
    public Integer call() {
      try (RouterModule m = root.module()) {
        ClassifierModel c =
            models(m).rollback(Optional.ofNullable(to), root.actor("rollback"), why);
        root.out()
            .printf(
                "in force: %s (rolled back from %s); routers switch within seconds%n",
                c.getVersion(), c.getPreviousVersion());
        return 0;
      }
    }
  }
}
