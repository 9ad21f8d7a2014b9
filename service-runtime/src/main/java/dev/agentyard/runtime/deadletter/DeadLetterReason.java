package dev.agentyard.runtime.deadletter;

/**
 * Why a record was dead-lettered: the error taxonomy of docs/architecture.md, written to the {@code
 * agentyard.dlq.reason} header so on-call can filter by it.
 */
public enum DeadLetterReason {
  /** Bytes that do not decode (wrong magic byte, corrupt Avro). */
  DESERIALIZATION_FAILED,
  /** The schema id is unknown to the registry. */
  UNKNOWN_SCHEMA,
  /** Decodes, but the content is unusable (missing document, bad field values). */
  INVALID_CONTENT,
  /**
   * The document could not be fetched (claim-check URI unreachable, missing file, HTTP error);
   * replay once it is back.
   */
  DOCUMENT_UNAVAILABLE,
  /** The document is larger than allowed. */
  TOO_LARGE,
  /** The route is not registered or is disabled. */
  UNKNOWN_ROUTE,
  /** A transient failure persisted through every retry. */
  RETRIES_EXHAUSTED,
  /** The provider refused on content policy. */
  CONTENT_POLICY,
  /** The task's or route's budget is spent. */
  BUDGET_EXHAUSTED,
  /** A kill switch stopped the task. */
  KILLED,
  /** The agent broke a limit (turns, tool calls, disallowed tool). */
  AGENT_LIMIT,
  /** Anything else: an unexpected error, with its stack trace in the headers. */
  UNEXPECTED;

  /**
   * The reason for a record that failed to deserialize: {@link #UNKNOWN_SCHEMA} when the registry
   * does not know its id.
   */
  public static DeadLetterReason ofDeserializationFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof dev.agentyard.schemas.registry.SchemaRegistryException sre
          && sre.errorCode()
              == dev.agentyard.schemas.registry.SchemaRegistryException.SCHEMA_NOT_FOUND) {
        return UNKNOWN_SCHEMA;
      }
    }
    return DESERIALIZATION_FAILED;
  }
}
