package dev.agentyard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A service or the broker in a JVM of its own, on this JVM's class path: what a benchmark measures
 * must not share a heap, GC or JIT with the harness, a process's memory can only be read from
 * outside it, and only a process of its own can be killed the way production kills one. Output goes
 * to a log file (appended, so a restarted service keeps one log); closing stops it (SIGTERM, then
 * SIGKILL); {@link #kill()} is SIGKILL at once.
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code mainClass} with the JVM options, arguments and extra environment given. */
  public static ChildJvm start(
      String mainClass,
      List<String> jvmOptions,
      List<String> args,
      Map<String, String> env,
      Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(env);
      return new ChildJvm(pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass, e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** The first line of the log starting with {@code prefix}, waiting up to {@code timeoutMs}. */
  public String awaitLine(String prefix, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      try {
        Optional<String> line =
            Files.readAllLines(log).stream().filter(l -> l.startsWith(prefix)).findFirst();
        if (line.isPresent()) {
          return line.get();
        }
      } catch (IOException | UncheckedIOException e) {
        // not written yet
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "child JVM exited with "
                + process.exitValue()
                + " before printing '"
                + prefix
                + "'; see "
                + log);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException(
        "child JVM did not print '" + prefix + "' within " + timeoutMs + " ms; see " + log);
  }

  /**
   * Resident set size and its peak (VmRSS, VmHWM from /proc), in bytes; empty where /proc is not
   * there.
   */
  public Optional<long[]> residentMemory() {
    return residentMemory(process.pid());
  }

  public static Optional<long[]> residentMemory(long pid) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    try {
      long rss = -1;
      long hwm = -1;
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          rss = kilobytes(line) * 1024;
        } else if (line.startsWith("VmHWM:")) {
          hwm = kilobytes(line) * 1024;
        }
      }
      return rss < 0 ? Optional.empty() : Optional.of(new long[] {rss, hwm});
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static long kilobytes(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  /**
   * SIGKILL: no shutdown hook runs, nothing is flushed or committed; returns once the process is
   * gone.
   */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The exit code, once the process has ended. */
  public Optional<Integer> exitCode() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
