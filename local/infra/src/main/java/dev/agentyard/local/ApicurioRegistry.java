package dev.agentyard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry 3.x from its ready-built distribution (unpacked from Maven Central by the
 * local-infra build), run as a child JVM bound to 127.0.0.1. Tests use free ports and in-memory
 * storage ({@link #start()}); the local stack a fixed port and an H2 database file in its data
 * directory, so schema ids stay valid for the records kept in the broker's data directory. Only its
 * Confluent-compatible API ({@code /apis/ccompat/v7}) is used. Default compatibility is set to
 * BACKWARD, as production registries run.
 *
 * <p>The child never outlives its parent: it is started under a small shell watchdog that kills it
 * when this JVM is gone, even after a SIGKILL, and a shutdown hook stops it on a normal exit.
 */
public final class ApicurioRegistry implements AutoCloseable {

  /**
   * How to run the registry.
   *
   * @param port HTTP port (0 picks a free one)
   * @param databaseDir where its H2 database file lives; null keeps everything in memory
   * @param logFile where the child's output goes
   */
  public record Options(int port, Path databaseDir, Path logFile) {

    /** Free port, in memory, log under {@code target/}. */
    public static Options forTests() {
      return new Options(0, null, null);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);
  public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final String url;
  private final Path logFile;
  private final Thread shutdownHook;

  private ApicurioRegistry(Process process, String url, Path logFile) {
    this.process = process;
    this.url = url;
    this.logFile = logFile;
    this.shutdownHook = new Thread(this::stopProcess, "agentyard-apicurio-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The unpacked distribution, as recorded by the test-support build. */
  public static Path distribution() {
    return Watchdog.installed("AGENTYARD_APICURIO_HOME", "apicurio.home");
  }

  /** A test registry: free port, in memory. */
  public static ApicurioRegistry start() {
    return start(Options.forTests());
  }

  /** Starts the registry and waits until its Confluent-compatible API answers. */
  public static ApicurioRegistry start(Options options) {
    Path home = distribution();
    Path jar = home.resolve("quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "Apicurio Registry distribution not found at "
              + home
              + ": build local/infra first (./mvnw -pl local/infra package) or set AGENTYARD_APICURIO_HOME");
    }
    int httpPort = options.port() == 0 ? Ports.pick() : options.port();
    if (options.port() != 0 && !Ports.isFree(httpPort)) {
      throw new IllegalStateException(
          "port "
              + httpPort
              + " is in use: another registry? Point at it with its URL, or pick "
              + "another port");
    }
    int mgmtPort = Ports.pick();
    Path logFile =
        (options.logFile() != null
                ? options.logFile()
                : Path.of("target", "apicurio-registry-" + httpPort + ".log"))
            .toAbsolutePath();
    List<String> javaCmd =
        new ArrayList<>(
            List.of(
                javaBinary(),
                "-Xms64m",
                "-Xmx512m",
                // Quick start matters more than peak speed for a test registry.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + mgmtPort,
                "-Dquarkus.otel.sdk.disabled=true"));
    if (options.databaseDir() != null) {
      try {
        Files.createDirectories(options.databaseDir());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + options.databaseDir(), e);
      }
      // H2 in a file: schema ids survive restarts, as the records that carry them do
      javaCmd.add(
          "-Dapicurio.datasource.url=jdbc:h2:file:"
              + options.databaseDir().toAbsolutePath().resolve("registry"));
    }
    javaCmd.addAll(List.of("-jar", jar.toString()));
    Process p = Watchdog.start("apicurio", javaCmd, home, logFile);
    String base = "http://127.0.0.1:" + httpPort + CCOMPAT_PATH;
    ApicurioRegistry registry = new ApicurioRegistry(p, base, logFile);
    long t0 = System.nanoTime();
    try {
      registry.awaitReady();
      registry.put("/config", "{\"compatibility\":\"BACKWARD\"}");
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    log.info(
        "Apicurio Registry ready at {} in {} ms (log: {})",
        base,
        (System.nanoTime() - t0) / 1_000_000,
        logFile);
    return registry;
  }

  private void awaitReady() {
    Watchdog.awaitOk(
        "Apicurio Registry", process, URI.create(url + "/subjects"), STARTUP_TIMEOUT, logFile);
  }

  private void put(String path, String json) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + path))
                      .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                      .PUT(HttpRequest.BodyPublishers.ofString(json))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "PUT " + path + " answered " + r.statusCode() + ": " + r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The java to run the registry with: this JVM's, which must be 21+ (Apicurio 3 needs it). */
  static String javaBinary() {
    if (Runtime.version().feature() < 21) {
      throw new IllegalStateException(
          "Apicurio Registry 3 needs Java 21+, this JVM is " + Runtime.version());
    }
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Base URL of the Confluent-compatible API. */
  public String url() {
    return url;
  }

  /** The registry's log file. */
  public Path logFile() {
    return logFile;
  }

  /** Whether the child process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  private void stopProcess() {
    Watchdog.stop(process);
  }

  @Override
  public void close() {
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }
}
