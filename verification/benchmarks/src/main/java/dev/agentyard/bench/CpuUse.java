package dev.agentyard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of processes from /proc (utime + stime), to tell whether a run was bound by this
 * machine's cores, by the broker, or by neither (then it waited: on commits, the network, a lock).
 */
final class CpuUse {

  /** Clock ticks per second of /proc/[pid]/stat: 100 on every Linux this runs on. */
  private static final double TICKS = 100.0;

  record Snapshot(long nanos, long[] ticks) {}

  private CpuUse() {}

  static Snapshot snapshot(long... pids) {
    long[] t = new long[pids.length];
    for (int i = 0; i < pids.length; i++) {
      t[i] = ticks(pids[i]);
    }
    return new Snapshot(System.nanoTime(), t);
  }

  /**
   * Cores used per process between the snapshots (CPU seconds ÷ wall seconds); NaN where /proc is
   * missing.
   */
  static double[] cores(Snapshot before, Snapshot after) {
    double wall = (after.nanos() - before.nanos()) / 1e9;
    double[] out = new double[before.ticks().length];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          before.ticks()[i] < 0 || after.ticks()[i] < 0
              ? Double.NaN
              : (after.ticks()[i] - before.ticks()[i]) / TICKS / wall;
    }
    return out;
  }

  /** utime + stime of the process, in clock ticks; -1 when unreadable. */
  static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name (field 2) may hold spaces; fields after its closing parenthesis are fixed
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
