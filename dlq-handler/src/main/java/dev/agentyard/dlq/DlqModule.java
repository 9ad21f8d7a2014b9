package dev.agentyard.dlq;

import dev.agentyard.dlq.http.BearerAuth;
import dev.agentyard.dlq.http.DlqHttpApi;
import dev.agentyard.dlq.replay.Pacer;
import dev.agentyard.runtime.kafka.KafkaClients;
import dev.agentyard.runtime.lifecycle.ServiceRunner;
import dev.agentyard.runtime.metrics.ServiceMetrics;
import java.time.Clock;

/**
 * How the dlq-handler's server is assembled, in one place (the shape of Parallel Consumer's {@code
 * PCModule}): each part is built on first use from the config, a {@link KafkaClients} and a {@link
 * Clock}; what holds a resource is registered with the module's {@link ServiceRunner}, which closes
 * everything in reverse order. {@link DlqServer} starts what this builds; the CLI connects a {@link
 * DlqConsole} on its own.
 */
public class DlqModule implements AutoCloseable {

  private final DlqConfig config;
  private final KafkaClients clients;
  private final Clock clock;
  private final ServiceRunner runner = new ServiceRunner(DlqConfig.SERVICE);

  private ServiceMetrics serviceMetrics;
  private DlqConsole console;

  public DlqModule(DlqConfig config, KafkaClients clients, Clock clock) {
    this.config = config;
    this.clients = clients;
    this.clock = clock;
  }

  public DlqConfig config() {
    return config;
  }

  /** What closes everything this module built. */
  public ServiceRunner runner() {
    return runner;
  }

  public synchronized ServiceMetrics serviceMetrics() {
    if (serviceMetrics == null) {
      serviceMetrics = runner.register("metrics", new ServiceMetrics(DlqConfig.SERVICE));
    }
    return serviceMetrics;
  }

  /** The console every action of the HTTP API goes through (replays paced by the real clock). */
  public synchronized DlqConsole console() {
    if (console == null) {
      console =
          runner.register(
              "console",
              DlqConsole.connect(
                  config, clients, serviceMetrics().registry(), clock, Pacer.Sleeper.REAL));
    }
    return console;
  }

  /** The HTTP API over {@link #console()}, behind the configured bearer tokens. */
  public DlqHttpApi httpApi() {
    return new DlqHttpApi(console(), new BearerAuth(config.apiTokens()));
  }

  @Override
  public void close() {
    runner.close();
  }
}
