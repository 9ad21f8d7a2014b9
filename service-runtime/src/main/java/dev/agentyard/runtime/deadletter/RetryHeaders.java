package dev.agentyard.runtime.deadletter;

/**
 * Header names of the workers' non-blocking retries ({@code <route topic>.retry.<delay>}): written
 * by the workers' retry router, and by the dlq-handler when it replays a dead letter onto a delay
 * topic so the worker treats the copy as a retry of the route.
 */
public final class RetryHeaders {

  /** Attempts made so far (1 after the first failure). */
  public static final String ATTEMPT = "agentyard.retry.attempt";

  /** Epoch millis before which the record must not be processed again. */
  public static final String NOT_BEFORE = "agentyard.retry.not-before";

  /** The route topic the record belongs to (where a replay sends it). */
  public static final String ORIGINAL_TOPIC = "agentyard.retry.original.topic";

  /**
   * Partition of the record on the route topic, set at the first retry: a dead letter names the
   * route record, not a retry copy.
   */
  public static final String ORIGINAL_PARTITION = "agentyard.retry.original.partition";

  /** Offset of the record on the route topic, set at the first retry. */
  public static final String ORIGINAL_OFFSET = "agentyard.retry.original.offset";

  /** Why the last attempt failed (redacted, short). */
  public static final String LAST_ERROR = "agentyard.retry.last.error";

  /**
   * Cost (micro-USD) the task's earlier attempts spent, so a per-task cost cap holds across
   * retries.
   */
  public static final String SPENT = "agentyard.task.spent-micro-usd";

  private RetryHeaders() {}
}
