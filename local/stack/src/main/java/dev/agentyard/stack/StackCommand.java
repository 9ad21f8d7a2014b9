package dev.agentyard.stack;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job: {@code deploy/run} (or {@code java -jar local/stack/target/agentyard-stack.jar}).
 * Starts the whole pipeline on this machine, publishes the sample workload, prints what happened,
 * and keeps serving until Ctrl-C (or exits with {@code --exit-when-done}).
 */
@Command(
    name = "agentyard-stack",
    mixinStandardHelpOptions = true,
    version = "agentyard stack 0.1.0",
    description = {
      "Runs the whole Agentyard pipeline locally: a KRaft broker and Apicurio Registry (or yours), the provider",
      "simulator (or the real providers), the router, the workers for every route, the cost aggregator and the",
      "dead-letter console's HTTP API; publishes a sample workload and prints what happened."
    },
    sortOptions = false)
public final class StackCommand implements Callable<Integer> {

  static final String DEFAULT_DATA_DIR = ".agentyard";

  @Option(
      names = "--data-dir",
      description =
          "Broker data, registry database, service state, secrets, logs (default: ${DEFAULT-VALUE}).",
      defaultValue = DEFAULT_DATA_DIR)
  Path dataDir;

  @Option(
      names = "--bootstrap-servers",
      description = "Use this Kafka cluster instead of starting a broker.")
  String bootstrapServers;

  @Option(
      names = "--registry-url",
      description =
          "Use this Confluent-compatible registry (e.g. http://host:8081) instead of starting Apicurio.")
  String registryUrl;

  @Option(
      names = "--replication-factor",
      description =
          "Replication factor of the topics created (default: 1 locally, 3 on a given cluster).")
  Short replicationFactor;

  @Option(
      names = "--applications",
      defaultValue = "24",
      description =
          "Loan applications in the sample workload (default: ${DEFAULT-VALUE}; 0 = none).")
  int applications;

  @Option(
      names = "--real-providers",
      description =
          "Call Anthropic and OpenAI (ANTHROPIC_API_KEY, OPENAI_API_KEY) instead of the simulator.")
  boolean realProviders;

  @Option(
      names = "--secure",
      description =
          "Secured broker and registry: SASL_SSL (SCRAM-SHA-512) with ACLs, each service as its"
              + " own principal with the ACLs deploy/k8s grants; the registry on HTTPS with basic"
              + " authentication. Data under <data-dir>/secure.")
  boolean secure;

  @Option(
      names = "--exit-when-done",
      description = "Stop everything after the summary instead of serving until Ctrl-C.")
  boolean exitWhenDone;

  @Option(
      names = "--timeout",
      defaultValue = "PT5M",
      description = "Longest wait for the sample to be accounted for (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--kafka-port", defaultValue = "9092")
  int kafkaPort;

  @Option(names = "--controller-port", defaultValue = "9093")
  int controllerPort;

  @Option(names = "--registry-port", defaultValue = "8081")
  int registryPort;

  @Option(names = "--router-port", defaultValue = "8082")
  int routerPort;

  @Option(names = "--workers-port", defaultValue = "8083")
  int workersPort;

  @Option(names = "--dlq-port", defaultValue = "8084")
  int dlqPort;

  @Option(names = "--cost-port", defaultValue = "8085")
  int costPort;

  @Option(names = "--simulator-port", defaultValue = "8089")
  int simulatorPort;

  @Option(
      names = "--zipkin-port",
      defaultValue = "9411",
      description = "Port of the local trace backend (Zipkin); -1: no trace backend, no spans.")
  int zipkinPort;

  private final PrintStream out;

  StackCommand(PrintStream out) {
    this.out = out;
  }

  StackConfig config() {
    short rf =
        replicationFactor != null ? replicationFactor : (short) (bootstrapServers == null ? 1 : 3);
    return new StackConfig(
        dataDir,
        Optional.ofNullable(bootstrapServers),
        Optional.ofNullable(registryUrl),
        rf,
        new StackConfig.Ports(
            kafkaPort,
            controllerPort,
            registryPort,
            routerPort,
            workersPort,
            dlqPort,
            costPort,
            simulatorPort,
            zipkinPort),
        realProviders,
        applications,
        StackConfig.DEFAULT_RETRY_DELAYS,
        timeout,
        java.util.Map.of(),
        secure);
  }

  @Override
  public Integer call() throws Exception {
    StackConfig config = config();
    long t0 = System.nanoTime();
    out.println(
        "Agentyard local stack — data in "
            + config.dataDir().toAbsolutePath()
            + ", service logs in "
            + config.dataDir().toAbsolutePath().resolve("logs/stack.log"));
    LocalStack stack = LocalStack.start(config, line -> out.println("  " + line));
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              out.println(
                  "\nStopping (Ctrl-C): services first, then the registry and the broker; data stays in "
                      + config.dataDir());
              stack.close();
              stopped.countDown();
            },
            "agentyard-stack-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.printf(Locale.ROOT, "Everything is up in %.1f s.%n", (System.nanoTime() - t0) / 1e9);

    int exit = 0;
    if (config.applications() > 0) {
      String runId = "run-" + Long.toString(Instant.now().getEpochSecond(), 36);
      SampleWorkload workload =
          SampleWorkload.build(
              runId, config.applications(), config.dataDir().toAbsolutePath().resolve("documents"));
      StackRun.Report report = StackRun.run(stack, workload, config.timeout(), out::println);
      out.print(Summary.render(report, stack.endpoints()));
      String console =
          "java -jar dlq-handler/target/dlq-handler.jar"
              + stack.endpoints().consoleConfig().map(f -> " -c " + f).orElse("");
      for (String id : workload.restoreMissingDocuments()) {
        out.println(
            "The document store is back for "
                + id
                + ": replay its dead letter and watch it complete —");
        out.println(
            "  " + console + " replay --task " + id + "            (dry run: what would happen)");
        out.println(
            "  " + console + " replay --task " + id + " --execute --why 'document restored'");
      }
      exit = report.allAccounted() && report.duplicates() == 0 ? 0 : 2;
    }
    if (exitWhenDone) {
      Runtime.getRuntime().removeShutdownHook(hook);
      stack.close();
      return exit;
    }
    out.println("Serving until Ctrl-C.");
    stopped.await();
    return exit;
  }

  public static void main(String[] args) throws Exception {
    // every service logs into one file, before any logger exists
    Path dataDir = dataDirArg(args);
    Files.createDirectories(dataDir.resolve("logs"));
    System.setProperty(
        "AGENTYARD_STACK_LOG", dataDir.toAbsolutePath().resolve("logs/stack.log").toString());
    System.setProperty("logback.configurationFile", "agentyard-stack-logback.xml");
    int code = new CommandLine(new StackCommand(System.out)).execute(args);
    System.exit(code);
  }

  private static Path dataDirArg(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--data-dir") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--data-dir=")) {
        return Path.of(args[i].substring("--data-dir=".length()));
      }
    }
    return Path.of(DEFAULT_DATA_DIR);
  }
}
