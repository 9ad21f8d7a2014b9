package dev.agentyard.workers.idempotency;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far each (route, task id) pair got, so a re-delivered or replayed task is not processed twice
 * on a route (ADR 0007). Keyed by route too: one task legitimately runs on several routes — a
 * fan-out copy (income and fraud), or triage first and then the specialist the triage verdict chose
 * — and the output of one must not stop another. Filled from the topics that end a delivery —
 * results, the workers' review items, the routes' dead letters and delay topics (every instance's
 * committed outputs, read by a follower) — and from this instance's own outputs once committed.
 * Bounded: the oldest ids are forgotten past {@code maxEntries}, and the follower only reads back
 * as far as the look-back, which bounds how late a duplicate can still be caught.
 */
public final class CompletedTasks {

  /** How a delivery of the task ended. */
  public enum Kind {
    /** A result: final. */
    RESULT,
    /** A review item: an ending; only an operator's replay runs the task again. */
    REVIEW,
    /** Dead-lettered: an ending too; only an operator's replay runs the task again. */
    DEAD_LETTER,
    /**
     * Handed to a delay topic: the copy there (attempt {@code n}) carries the task on, so any older
     * delivery (an attempt below {@code n}) is redundant.
     */
    RETRIED
  }

  private record State(Kind kind, int nextAttempt) {}

  private final Map<String, State> done;

  public CompletedTasks(int maxEntries) {
    this.done =
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /** A final ending (result, review item, dead letter). */
  public void mark(String route, String taskId, Kind kind) {
    if (kind == Kind.RETRIED) {
      throw new IllegalArgumentException("a retry names its next attempt: use markRetried");
    }
    update(route, taskId, new State(kind, 0));
  }

  /** The task went to a delay topic as attempt {@code nextAttempt}. */
  public void markRetried(String route, String taskId, int nextAttempt) {
    update(route, taskId, new State(Kind.RETRIED, nextAttempt));
  }

  private synchronized void update(String route, String taskId, State s) {
    done.merge(key(route, taskId), s, CompletedTasks::later);
  }

  /**
   * A result is final; a final ending is not undone by a retry seen late; of two retries the
   * further one counts; otherwise the later ending (a replay that ended again) wins.
   */
  private static State later(State before, State now) {
    if (before.kind == Kind.RESULT) {
      return before;
    }
    if (now.kind == Kind.RETRIED) {
      if (before.kind != Kind.RETRIED) {
        return before; // the chain already ended (the follower reads topics in no common order)
      }
      return before.nextAttempt >= now.nextAttempt ? before : now;
    }
    return now;
  }

  private static String key(String route, String taskId) {
    return route + '\u0000' + taskId;
  }

  /**
   * Whether to skip a delivery of a task: always when it has a result; when it went to review or
   * was dead-lettered, unless this delivery is an explicit replay by an operator (who decided it
   * should run again); when a later attempt of it already sits on a delay topic and this is an
   * older one (not a replay).
   *
   * @param attempt this delivery's attempt number (0 from the route topic, n from a delay topic)
   */
  public synchronized boolean shouldSkip(
      String route, String taskId, boolean replayed, int attempt) {
    State s = done.get(key(route, taskId));
    if (s == null) {
      return false;
    }
    return switch (s.kind) {
      case RESULT -> true;
      case REVIEW, DEAD_LETTER -> !replayed;
      case RETRIED -> !replayed && attempt < s.nextAttempt;
    };
  }

  /** As {@link #shouldSkip(String, String, boolean, int)} for a first delivery. */
  public boolean shouldSkip(String route, String taskId, boolean replayed) {
    return shouldSkip(route, taskId, replayed, 0);
  }

  public synchronized int size() {
    return done.size();
  }
}
