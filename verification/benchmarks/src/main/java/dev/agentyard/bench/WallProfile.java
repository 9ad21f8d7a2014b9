package dev.agentyard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import one.profiler.AsyncProfiler;

/**
 * A wall-clock profile of this JVM around one figure, with async-profiler in {@code wall} mode:
 * every thread is sampled every 10 ms whatever it is doing — running, parked, waiting in epoll for
 * the network — so a service that is waiting rather than computing shows <em>where</em> it waits (a
 * CPU profile only sees the running threads). Kept as {@code <name>.wall.collapsed} (one line per
 * stack, for flame-graph tools) with a summary beside it: for each thread group (numbers in names
 * folded) its share of the samples and where its samples were, each as the frame on top with the
 * nearest Kafka or Agentyard frame that led there.
 */
public final class WallProfile implements AutoCloseable {

  private final AsyncProfiler profiler;
  private final Path dir;
  private final String name;
  private boolean running;

  private WallProfile(AsyncProfiler profiler, Path dir, String name) {
    this.profiler = profiler;
    this.dir = dir;
    this.name = name;
  }

  public static WallProfile start(Path dir, String name) throws IOException {
    // the library ships inside the jar for linux-x64/arm64 and macOS; it extracts itself
    AsyncProfiler profiler = AsyncProfiler.getInstance();
    profiler.execute("start,event=wall,interval=10ms,threads");
    WallProfile p = new WallProfile(profiler, dir, name);
    p.running = true;
    return p;
  }

  /** Stops profiling, writes the stacks and their summary; returns the summary. */
  public String finish() throws IOException {
    profiler.execute("stop");
    running = false;
    Files.createDirectories(dir);
    Path stacks = dir.resolve(name + ".wall.collapsed");
    profiler.execute("collapsed,file=" + stacks);
    String summary = summarise(Files.readAllLines(stacks), 10);
    Files.writeString(dir.resolve(name + ".wall.txt"), summary);
    return summary;
  }

  /**
   * The summary of collapsed stacks ({@code [thread tid=N];frame;...;top count}, root first): the
   * thread groups with most samples, and for each its commonest places.
   */
  static String summarise(List<String> lines, int top) {
    Map<String, Long> byThread = new HashMap<>();
    Map<String, Long> waiting = new HashMap<>();
    Map<String, Map<String, Long>> places = new HashMap<>();
    long all = 0;
    for (String line : lines) {
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      long n = Long.parseLong(line.substring(space + 1).trim());
      String[] frames = line.substring(0, space).split(";");
      String thread = threadGroup(frames[0]);
      all += n;
      byThread.merge(thread, n, Long::sum);
      if (isWait(frames[frames.length - 1])) {
        waiting.merge(thread, n, Long::sum);
      }
      places.computeIfAbsent(thread, t -> new HashMap<>()).merge(place(frames), n, Long::sum);
    }
    long total = all;
    StringBuilder out =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "wall-clock samples (every thread every 10 ms, whatever its state): %d%n"
                    + "the services' own threads first, then the busiest others%n",
                total));
    Comparator<Map.Entry<String, Long>> order =
        Comparator.<Map.Entry<String, Long>, Boolean>comparing(e -> !isService(e.getKey()))
            .thenComparing(
                e -> -(e.getValue() - waiting.getOrDefault(e.getKey(), 0L))); // busiest first
    byThread.entrySet().stream()
        .sorted(order)
        .limit(top)
        .forEach(
            t -> {
              long w = waiting.getOrDefault(t.getKey(), 0L);
              out.append(
                  String.format(
                      Locale.ROOT,
                      "%n%s: %d samples, running %.1f %%, waiting %.1f %%%n",
                      t.getKey(),
                      t.getValue(),
                      100.0 * (t.getValue() - w) / t.getValue(),
                      100.0 * w / t.getValue()));
              out.append(
                  places.get(t.getKey()).entrySet().stream()
                      .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                      .limit(top)
                      .map(
                          p ->
                              String.format(
                                  Locale.ROOT,
                                  "  %5.1f %%  %s",
                                  100.0 * p.getValue() / t.getValue(),
                                  p.getKey()))
                      .collect(Collectors.joining("\n")));
              out.append('\n');
            });
    return out.toString();
  }

  /** The threads that do a service's (or a yardstick's) work. */
  static boolean isService(String threadGroup) {
    return threadGroup.contains("StreamThread")
        || threadGroup.startsWith("worker-")
        || threadGroup.startsWith("work-limit")
        || threadGroup.startsWith("passthrough")
        || threadGroup.startsWith("kafka-producer-network-thread")
        || threadGroup.startsWith("budget-leases");
  }

  /** A top frame where a thread sleeps: a futex, epoll, a condition or a child process wait. */
  static boolean isWait(String topFrame) {
    return topFrame.contains("futex")
        || topFrame.contains("epoll_wait")
        || topFrame.contains("pthread_cond")
        || topFrame.contains("__wait4")
        || topFrame.contains("lll_lock_wait")
        || topFrame.contains("nanosleep")
        || topFrame.contains("poll") && !topFrame.contains(".");
  }

  /** {@code [router-service-StreamThread-1 tid=123]} → {@code router-service-StreamThread-N}. */
  static String threadGroup(String frame) {
    String t = frame.startsWith("[") ? frame.substring(1, frame.length() - 1) : frame;
    int tid = t.lastIndexOf(" tid=");
    if (tid >= 0) {
      t = t.substring(0, tid);
    }
    return t.replaceAll("[0-9]+", "N");
  }

  /**
   * The top frame, and the nearest Kafka or Agentyard frame under it (what the thread was doing
   * there): {@code Unsafe.park ← TransactionManager.commitTransaction}.
   */
  static String place(String[] frames) {
    String topFrame = frames[frames.length - 1];
    for (int i = frames.length - 2; i > 0; i--) {
      String f = frames[i];
      if (f.startsWith("org/apache/kafka") || f.startsWith("dev/agentyard")) {
        return shorten(topFrame) + " ← " + shorten(f);
      }
    }
    return shorten(topFrame);
  }

  private static String shorten(String frame) {
    String f = frame.replace('/', '.');
    int paren = f.indexOf('(');
    return paren < 0 ? f : f.substring(0, paren);
  }

  @Override
  public void close() {
    if (running) {
      try {
        profiler.execute("stop");
      } catch (IOException | IllegalStateException e) {
        // stopping a profiler that is not running: nothing to do
      }
      running = false;
    }
  }
}
