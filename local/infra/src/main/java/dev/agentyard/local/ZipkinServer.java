package dev.agentyard.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zipkin's server (its executable jar from Maven Central, copied by the local-infra build), run as
 * a child JVM bound to 127.0.0.1 with in-memory storage: the local stack's trace backend. Services
 * send it spans in Zipkin's format ({@code /api/v2/spans}); its UI and API ({@code
 * /api/v2/trace/<id>}) show them.
 */
public final class ZipkinServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ZipkinServer.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
  private static final int MAX_SPANS = 100_000;

  private final Process process;
  private final String url;
  private final Path logFile;
  private final Thread shutdownHook;

  private ZipkinServer(Process process, String url, Path logFile) {
    this.process = process;
    this.url = url;
    this.logFile = logFile;
    this.shutdownHook = new Thread(() -> Watchdog.stop(process), "agentyard-zipkin-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The server's executable jar, as recorded by the local-infra build. */
  public static Path jar() {
    return Watchdog.installed("AGENTYARD_ZIPKIN_JAR", "zipkin.jar");
  }

  /**
   * Starts the server and waits until it is healthy.
   *
   * @param port HTTP port (0 picks a free one)
   * @param logFile where its output goes
   */
  public static ZipkinServer start(int port, Path logFile) {
    Path jar = jar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "Zipkin server not found at "
              + jar
              + ": build local/infra first (./mvnw -pl local/infra package) or set AGENTYARD_ZIPKIN_JAR");
    }
    int httpPort = port == 0 ? Ports.pick() : port;
    if (port != 0 && !Ports.isFree(httpPort)) {
      throw new IllegalStateException("port " + httpPort + " is in use: another Zipkin?");
    }
    Path log = logFile.toAbsolutePath();
    List<String> cmd =
        List.of(
            ApicurioRegistry.javaBinary(),
            "-Xms64m",
            "-Xmx384m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            jar.toString(),
            "--armeria.ports[0].port=" + httpPort,
            "--armeria.ports[0].ip=127.0.0.1",
            "--armeria.ports[0].protocols[0]=http",
            // in-memory storage drops the oldest traces beyond this, within the heap above (its
            // default, 500,000, does not fit and answers 500 once the heap is full)
            "--zipkin.storage.mem.max-spans=" + MAX_SPANS);
    long t0 = System.nanoTime();
    Process p = Watchdog.start("zipkin", cmd, log.getParent(), log);
    ZipkinServer server = new ZipkinServer(p, "http://127.0.0.1:" + httpPort, log);
    try {
      Watchdog.awaitOk("Zipkin", p, URI.create(server.url + "/health"), STARTUP_TIMEOUT, log);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    ZipkinServer.log.info(
        "Zipkin ready at {} in {} ms (log: {})",
        server.url,
        (System.nanoTime() - t0) / 1_000_000,
        log);
    return server;
  }

  /** Base URL: the UI at {@code /zipkin/}, the API at {@code /api/v2}. */
  public String url() {
    return url;
  }

  /** Where services send spans (Zipkin v2 format). */
  public String spansEndpoint() {
    return url + "/api/v2/spans";
  }

  /** A trace's page in the UI. */
  public String traceLink(String traceId) {
    return url + "/zipkin/traces/" + traceId;
  }

  /** The server JVM's process id (under its watchdog), to measure what it uses. */
  public long pid() {
    return process
        .descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
        .map(ProcessHandle::pid)
        .findFirst()
        .orElse(process.pid());
  }

  public Path logFile() {
    return logFile;
  }

  @Override
  public void close() {
    Watchdog.stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }
}
