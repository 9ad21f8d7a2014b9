package dev.agentyard.reliability;

import dev.agentyard.local.ChildJvm;
import dev.agentyard.testing.StandaloneStart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * One service instance as production runs it: its own JVM, started through the service's own {@code
 * main} with its config in a properties file ({@code AGENTYARD_CONFIG_FILE}), killed with SIGKILL
 * when a scenario says so, and restarted with the same config, state directory and log.
 */
final class Service {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final String mainClass;
  private final Map<String, String> config;
  private final Path configFile;
  private final Path log;
  private final int port;
  private final Map<String, String> env = new TreeMap<>();
  private ChildJvm jvm;

  Service(String name, String mainClass, Map<String, String> config, Path dir) {
    this.name = name;
    this.mainClass = mainClass;
    this.config = new TreeMap<>(config);
    this.port = Integer.parseInt(config.get("http.port"));
    this.configFile = dir.resolve(name + ".properties");
    this.log = dir.resolve("logs").resolve(name + ".log");
    Properties p = new Properties();
    // AGENTYARD_* entries are the process's environment (secrets, as a pod gets them from a
    // Secret), everything else its properties file
    this.config.forEach(
        (k, v) -> {
          if (k.startsWith("AGENTYARD_")) {
            env.put(k, v);
          } else {
            p.put(k, v);
          }
        });
    try {
      Files.createDirectories(log.getParent());
      try (Writer w = Files.newBufferedWriter(configFile)) {
        p.store(w, name);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  int port() {
    return port;
  }

  Map<String, String> config() {
    return config;
  }

  private Map<String, String> environment() {
    Map<String, String> e = new TreeMap<>(env);
    e.put("AGENTYARD_CONFIG_FILE", configFile.toString());
    return e;
  }

  /** Starts the JVM (again); returns without waiting for it to be ready. */
  Service start() {
    if (jvm != null && jvm.isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    jvm =
        ChildJvm.start(
            mainClass,
            List.of(
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true"),
            List.of(),
            environment(),
            log);
    return this;
  }

  /** Waits until {@code /health/ready} answers 200; fails at once when the process exits first. */
  Service awaitReady(Duration max) throws InterruptedException {
    StandaloneStart.awaitReady(
        name + " (log: " + log + ")",
        port,
        max,
        () -> {
          if (!jvm.isAlive()) {
            throw new IllegalStateException(
                name
                    + " exited with "
                    + jvm.exitCode().orElse(-1)
                    + " before it was ready; see "
                    + log);
          }
        });
    return this;
  }

  /** A GET on the service's own HTTP port, empty when it does not answer. */
  Optional<HttpResponse<String>> get(String path) {
    try {
      return Optional.of(
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** SIGKILL. */
  void kill() {
    jvm.kill();
  }

  /**
   * SIGSTOP: the process freezes with everything in flight, as in a long GC pause or a paused VM;
   * its group moves on without it after the session timeout. {@link #thaw()} makes it a zombie that
   * wakes up believing it still owns its partitions.
   */
  void freeze() {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  void thaw() {
    signal("CONT");
  }

  private void signal(String sig) {
    try {
      Process p =
          new ProcessBuilder("kill", "-" + sig, Long.toString(jvm.pid()))
              .redirectErrorStream(true)
              .start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException(
            "kill -"
                + sig
                + " "
                + jvm.pid()
                + ": "
                + new String(p.getInputStream().readAllBytes()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** SIGTERM and wait: the service's own graceful shutdown. */
  void stop() {
    if (jvm != null) {
      jvm.close();
    }
  }

  boolean isAlive() {
    return jvm != null && jvm.isAlive();
  }
}
