package dev.agentyard.runtime.errors;

/** What to do about an exception. */
public enum ErrorKind {
  /**
   * Cannot continue safely (authorization, fenced producer, unsupported version): shut down
   * cleanly.
   */
  FATAL,
  /** Transient (timeouts, leader changes, unreachable registry): retry with backoff. */
  RETRIABLE,
  /**
   * This record can never succeed (bad bytes, unknown schema, invalid content): dead-letter it and
   * move on.
   */
  POISON
}
