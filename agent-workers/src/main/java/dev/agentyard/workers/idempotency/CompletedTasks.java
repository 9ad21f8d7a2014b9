package dev.agentyard.workers.idempotency;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The (route, task id) pairs that already have a final output, so a re-delivered or replayed task
 * is not processed twice on a route (ADR 0007). Keyed by route too: one task legitimately runs on
 * several routes — a fan-out copy (income and fraud), or triage first and then the specialist the
 * triage verdict chose — and the output of one must not stop another. Filled from the results,
 * review and route dead-letter topics (every instance's outputs, read by a follower) and from this
 * instance's own outputs as they are written. Bounded: the oldest ids are forgotten past {@code
 * maxEntries}, and the follower only reads back as far as the look-back, which bounds how late a
 * duplicate can still be caught.
 */
public final class CompletedTasks {

  /** The final output a task already has. */
  public enum Kind {
    RESULT,
    REVIEW,
    /** Dead-lettered: an ending too; only an operator's replay runs the task again. */
    DEAD_LETTER
  }

  private final Map<String, Kind> done;

  public CompletedTasks(int maxEntries) {
    this.done =
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Kind> eldest) {
            return size() > maxEntries;
          }
        };
  }

  public synchronized void mark(String route, String taskId, Kind kind) {
    String key = key(route, taskId);
    Kind before = done.get(key);
    if (before != Kind.RESULT) { // a result is final; a later review item does not replace it
      done.put(key, kind);
    }
  }

  private static String key(String route, String taskId) {
    return route + '\u0000' + taskId;
  }

  /**
   * Whether to skip a task: always when it has a result; when it went to review or was
   * dead-lettered, unless this delivery is an explicit replay by an operator (who decided it should
   * run again).
   */
  public synchronized boolean shouldSkip(String route, String taskId, boolean replayed) {
    Kind k = done.get(key(route, taskId));
    return k == Kind.RESULT || (k != null && !replayed);
  }

  public synchronized int size() {
    return done.size();
  }
}
