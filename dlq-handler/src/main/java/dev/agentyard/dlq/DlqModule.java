package dev.agentyard.dlq;

import dev.agentyard.dlq.console.ConsoleHttp;
import dev.agentyard.dlq.console.ConsoleSessions;
import dev.agentyard.dlq.http.BearerAuth;
import dev.agentyard.dlq.http.DlqHttpApi;
import dev.agentyard.dlq.replay.Pacer;
import dev.agentyard.runtime.kafka.KafkaClients;
import dev.agentyard.runtime.lifecycle.ServiceModule;
import java.time.Clock;

/**
 * How the dlq-handler's server is assembled, in one place: its parts on top of {@link
 * ServiceModule}'s config, clients, clock and runner. {@link DlqServer} starts what this builds;
 * the CLI connects a {@link DlqConsole} on its own.
 */
public class DlqModule extends ServiceModule<DlqConfig> {

  private DlqConsole console;

  public DlqModule(DlqConfig config, KafkaClients clients, Clock clock) {
    super(DlqConfig.SERVICE, config, clients, clock);
  }

  /** The console every action of the HTTP API goes through (replays paced by the real clock). */
  public synchronized DlqConsole console() {
    if (console == null) {
      console =
          runner()
              .register(
                  "console",
                  DlqConsole.connect(
                      config(),
                      clients(),
                      serviceMetrics().registry(),
                      clock(),
                      Pacer.Sleeper.REAL,
                      tracing()));
    }
    return console;
  }

  /** The HTTP API over {@link #console()}, behind the configured bearer tokens. */
  public DlqHttpApi httpApi() {
    return new DlqHttpApi(console(), auth());
  }

  /** The review console's pages, on the API's tokens and roles and its write lock. */
  public ConsoleHttp consolePages() {
    return new ConsoleHttp(
        console(),
        auth(),
        new ConsoleSessions(clock(), config().sessionIdle()),
        clock(),
        config().reviewAgeTarget(),
        config().secureCookie(),
        console());
  }

  private BearerAuth auth() {
    return new BearerAuth(config().apiTokens(), config().apiRoles());
  }
}
