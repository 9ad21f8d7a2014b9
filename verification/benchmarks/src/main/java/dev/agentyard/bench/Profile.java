package dev.agentyard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Java Flight Recorder profile of this JVM (where the services under test run) around one figure:
 * the recording is kept as {@code <name>.jfr} (open it in JDK Mission Control) and the methods most
 * often on top of the stack, and the agentyard frames nearest the top, are summarised as text next
 * to it.
 */
public final class Profile implements AutoCloseable {

  private final Recording recording;
  private final Path dir;
  private final String name;

  private Profile(Recording recording, Path dir, String name) {
    this.recording = recording;
    this.dir = dir;
    this.name = name;
  }

  public static Profile start(Path dir, String name) throws IOException, ParseException {
    Recording r = new Recording(Configuration.getConfiguration("profile"));
    r.setName("agentyard-bench-" + name);
    r.start();
    return new Profile(r, dir, name);
  }

  /** Stops the recording, writes it and its summary; returns the summary. */
  public String finish() throws IOException {
    recording.stop();
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".jfr");
    recording.dump(file);
    recording.close();
    String summary = summarise(file, 15);
    Files.writeString(dir.resolve(name + ".txt"), summary);
    return summary;
  }

  /**
   * Top frames of the execution samples, the first agentyard frame of each sample, and the samples
   * of each thread (numbers in thread names folded) with the share of them inside tracing code
   * (OpenTelemetry's SDK and exporters, zipkin2, our own tracing packages) anywhere on the stack.
   */
  static String summarise(Path jfr, int top) throws IOException {
    Map<String, Integer> topFrames = new HashMap<>();
    Map<String, Integer> ours = new HashMap<>();
    Map<String, Integer> byThread = new HashMap<>();
    Map<String, Integer> tracingByThread = new HashMap<>();
    int samples = 0;
    try (RecordingFile f = new RecordingFile(jfr)) {
      while (f.hasMoreEvents()) {
        RecordedEvent e = f.readEvent();
        if (!e.getEventType().getName().equals("jdk.ExecutionSample")
            || e.getStackTrace() == null) {
          continue;
        }
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        if (frames.isEmpty()) {
          continue;
        }
        samples++;
        topFrames.merge(method(frames.get(0)), 1, Integer::sum);
        String thread =
            e.getThread("sampledThread") == null
                ? "?"
                : String.valueOf(e.getThread("sampledThread").getJavaName())
                    .replaceAll("[0-9]+", "N");
        byThread.merge(thread, 1, Integer::sum);
        if (frames.stream().anyMatch(Profile::tracing)) {
          tracingByThread.merge(thread, 1, Integer::sum);
        }
        for (RecordedFrame fr : frames) {
          if (fr.getMethod().getType().getName().startsWith("dev.agentyard.")) {
            ours.merge(method(fr), 1, Integer::sum);
            break;
          }
        }
      }
    }
    int n = samples;
    return "execution samples: "
        + n
        + "\n\nhottest methods (top of stack):\n"
        + top(topFrames, top, n)
        + "\nagentyard code nearest the top of each sample:\n"
        + top(ours, top, n)
        + "\nsamples by thread (of which in tracing code anywhere on the stack):\n"
        + byThread.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .limit(top)
            .map(
                t ->
                    String.format(
                        Locale.ROOT,
                        "  %5.1f%%  %s (tracing %.1f%% of its samples)",
                        100.0 * t.getValue() / Math.max(1, n),
                        t.getKey(),
                        100.0 * tracingByThread.getOrDefault(t.getKey(), 0) / t.getValue()))
            .collect(Collectors.joining("\n"))
        + String.format(
            Locale.ROOT,
            "%n  all threads: %.1f%% of samples in tracing code%n",
            100.0
                * tracingByThread.values().stream().mapToInt(Integer::intValue).sum()
                / Math.max(1, n));
  }

  private static boolean tracing(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    return type.startsWith("io.opentelemetry.")
        || type.startsWith("zipkin2.")
        || type.startsWith("dev.agentyard.runtime.tracing.")
        || type.startsWith("dev.agentyard.workers.tracing.");
  }

  private static String method(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static String top(Map<String, Integer> counts, int top, int total) {
    return counts.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .limit(top)
            .map(
                e ->
                    String.format(
                        Locale.ROOT,
                        "  %5.1f%%  %s",
                        100.0 * e.getValue() / Math.max(1, total),
                        e.getKey()))
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  @Override
  public void close() {
    recording.close();
  }
}
