package dev.agentyard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry 3.x from its ready-built distribution (unpacked from Maven Central by the
 * test-support build), run as a child JVM bound to 127.0.0.1 on free ports, in-memory storage.
 * Only its Confluent-compatible API ({@code /apis/ccompat/v7}) is used. Default compatibility is set
 * to BACKWARD, as production registries run.
 *
 * <p>The child never outlives the tests: it is started under a small shell watchdog that kills it
 * when this JVM is gone, even after a SIGKILL, and a shutdown hook stops it on a normal exit.
 */
public final class ApicurioRegistry implements SchemaRegistryEndpoint {

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
    String override = System.getenv("AGENTYARD_APICURIO_HOME");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    Properties p = new Properties();
    try (InputStream in = ApicurioRegistry.class.getResourceAsStream("/agentyard-test-support.properties")) {
      if (in == null) {
        throw new IllegalStateException("agentyard-test-support.properties missing from the classpath");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Path.of(p.getProperty("apicurio.home"));
  }

  /** Starts the registry and waits until its Confluent-compatible API answers. */
  public static ApicurioRegistry start() {
    Path home = distribution();
    Path jar = home.resolve("quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("Apicurio Registry distribution not found at " + home
          + ": build test-support first (./mvnw -pl test-support package) or set AGENTYARD_APICURIO_HOME");
    }
    int httpPort = freePort();
    int mgmtPort = freePort();
    Path logFile = Path.of("target", "apicurio-registry-" + httpPort + ".log").toAbsolutePath();
    List<String> javaCmd = new ArrayList<>(List.of(
        javaBinary(),
        "-Xms64m", "-Xmx512m",
        // Quick start matters more than peak speed for a test registry.
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Dquarkus.http.host=127.0.0.1",
        "-Dquarkus.http.port=" + httpPort,
        "-Dquarkus.management.host=127.0.0.1",
        "-Dquarkus.management.port=" + mgmtPort,
        "-Dquarkus.otel.sdk.disabled=true",
        "-jar", jar.toString()));
    long parentPid = ProcessHandle.current().pid();
    // Watchdog: run the registry in the background, kill it when this JVM (parentPid) is gone or when we are stopped.
    String script = "\"$@\" & child=$!\n"
        + "trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT HUP\n"
        + "while kill -0 " + parentPid + " 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done\n"
        + "kill $child 2>/dev/null; wait $child\n";
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", script, "apicurio-watchdog"));
    cmd.addAll(javaCmd);
    try {
      Files.createDirectories(logFile.getParent());
      Process p = new ProcessBuilder(cmd)
          .directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(logFile.toFile())
          .start();
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
      log.info("Apicurio Registry ready at {} in {} ms (log: {})", base, (System.nanoTime() - t0) / 1_000_000, logFile);
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start Apicurio Registry", e);
    }
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Apicurio Registry exited during startup (code " + process.exitValue()
            + "); see " + logFile);
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects"))
            .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
      }
      try {
        Thread.sleep(200); // production helper polling a child process, not a test
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
      }
    }
    throw new IllegalStateException("Apicurio Registry did not answer within " + STARTUP_TIMEOUT + "; see " + logFile);
  }

  private void put(String path, String json) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path))
          .header("Content-Type", "application/vnd.schemaregistry.v1+json")
          .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("PUT " + path + " answered " + r.statusCode() + ": " + r.body());
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
      throw new IllegalStateException("Apicurio Registry 3 needs Java 21+, tests run on " + Runtime.version());
    }
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public String kind() {
    return "apicurio";
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
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    process.destroy(); // the watchdog traps TERM and stops the registry
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    all.forEach(h -> {
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    });
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
