package dev.agentyard.dlq;

import dev.agentyard.dlq.console.ConsoleHttp;
import dev.agentyard.dlq.http.DlqHttpApi;
import dev.agentyard.dlq.review.ReviewBacklog;
import dev.agentyard.runtime.config.ConfigFiles;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.http.HealthCheck;
import dev.agentyard.runtime.http.OpsHttpServer;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.runtime.lifecycle.ServiceRunner;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dlq-handler as a service: the HTTP API (with /metrics and /health) over one console. Its
 * {@code main} follows every service's shape: read config, log it with secrets hidden, build,
 * start, register the shutdown hook.
 */
public final class DlqServer {

  private static final Logger log = LoggerFactory.getLogger(DlqServer.class);

  /** A started server: close the runner to stop it. */
  public record Running(ServiceRunner runner, DlqConsole console, int port)
      implements AutoCloseable {
    @Override
    public void close() {
      runner.close();
    }
  }

  private DlqServer() {}

  public static void main(String[] args) {
    System.exit(
        ServiceRunner.runMain(
            DlqConfig.SERVICE,
            () ->
                start(ConfigLoader.load(DlqConfig.defaults(), System.getenv()), System.getenv())
                    .runner()));
  }

  /** Starts the HTTP API with its effective configuration (see {@link DlqConfig#effective}). */
  public static Running start(Map<String, String> rawConfig, Map<String, String> env) {
    ConfigLoader.requireEffective(DlqConfig.defaults(), rawConfig);
    DlqConfig config = DlqConfig.fromMap(rawConfig, env, ConfigFiles.disk());
    ServiceRunner.logConfig(DlqConfig.SERVICE, rawConfig);
    log.info("Starting {} with {}", DlqConfig.SERVICE, config);
    return start(new DlqModule(config, new DefaultKafkaClients(config.kafka()), Clock.systemUTC()));
  }

  /** Starts what the module builds: the HTTP API, /metrics and /health. */
  public static Running start(DlqModule module) {
    DlqConfig config = module.config();
    if (config.apiTokens().isEmpty()) {
      log.warn(
          "No bearer token configured ({} / {} / AGENTYARD_DLQ_HTTP_TOKEN): the HTTP API refuses every call",
          DlqConfig.TOKEN,
          DlqConfig.TOKEN_FILE);
    }
    ServiceRunner runner = module.runner();
    try {
      DlqConsole console = module.console();
      OpsHttpServer http =
          runner.register(
              "http",
              new OpsHttpServer(config.httpHost(), config.httpPort(), module.serviceMetrics()));
      http.route(DlqHttpApi.PREFIX, module.httpApi());
      http.route(ConsoleHttp.PREFIX, module.consolePages());
      http.readiness(
          "cluster",
          () -> {
            console.browser().deadLetterTopics();
            return HealthCheck.Status.up("cluster reachable");
          });
      if (!config.backlogInterval().isZero()) {
        runner.register(
            "review backlog",
            new ReviewBacklog(
                console.reviews(),
                module.serviceMetrics().registry(),
                module.clock(),
                config.backlogInterval()));
      }
      http.start();
      log.info(
          "{} HTTP API on http://{}:{}{}",
          DlqConfig.SERVICE,
          config.httpHost(),
          http.port(),
          DlqHttpApi.PREFIX);
      return new Running(runner, console, http.port());
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }
}
