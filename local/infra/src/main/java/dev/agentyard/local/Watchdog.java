package dev.agentyard.local;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A server of the local infrastructure run as a child JVM that never outlives this one: started
 * under a small shell watchdog that kills it when this JVM is gone (even after a SIGKILL), stopped
 * with its descendants, polled until its HTTP endpoint answers.
 */
final class Watchdog {

  private Watchdog() {}

  /**
   * Where the local-infra build put a server ({@code agentyard-local-infra.properties}), unless the
   * environment variable {@code override} names another place.
   */
  static Path installed(String override, String property) {
    String env = System.getenv(override);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Properties p = new Properties();
    try (InputStream in = Watchdog.class.getResourceAsStream("/agentyard-local-infra.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "agentyard-local-infra.properties missing from the classpath");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Path.of(p.getProperty(property));
  }

  /** Starts {@code javaCmd} under the watchdog, output to {@code log}. */
  static Process start(String name, List<String> javaCmd, Path dir, Path log) {
    long parentPid = ProcessHandle.current().pid();
    String script =
        "\"$@\" & child=$!\n"
            + "trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT HUP\n"
            + "while kill -0 "
            + parentPid
            + " 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done\n"
            + "kill $child 2>/dev/null; wait $child\n";
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", script, name + "-watchdog"));
    cmd.addAll(javaCmd);
    try {
      Files.createDirectories(log.getParent());
      return new ProcessBuilder(cmd)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** Polls {@code uri} until it answers 200, the process dies, or {@code timeout} passes. */
  static void awaitOk(String name, Process process, URI uri, Duration timeout, Path log) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited during startup (code " + process.exitValue() + "); see " + log);
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + name, e);
      }
      try {
        Thread.sleep(200); // production helper polling a child process, not a test
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for " + name, e);
      }
    }
    throw new IllegalStateException(name + " did not answer within " + timeout + "; see " + log);
  }

  /** Stops the process (the watchdog traps TERM) and whatever it started. */
  static void stop(Process process) {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    all.forEach(
        h -> {
          if (h.isAlive()) {
            h.destroyForcibly();
          }
        });
  }
}
