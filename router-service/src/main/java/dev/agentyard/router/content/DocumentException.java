package dev.agentyard.router.content;

import dev.agentyard.runtime.deadletter.DeadLetterReason;
import dev.agentyard.runtime.errors.InvalidContentException;

/**
 * A task's document cannot be used: it ends as a dead letter whose reason header says why. The
 * message names what was wrong (never the document's content, never a credential).
 */
public final class DocumentException extends InvalidContentException {

  /** What was wrong with the document. */
  public enum Kind {
    /** No content, or blank text. */
    MISSING(DeadLetterReason.INVALID_CONTENT),
    /** The media type is not one the router accepts. */
    UNSUPPORTED_MEDIA_TYPE(DeadLetterReason.INVALID_CONTENT),
    /** Larger than the configured cap. */
    TOO_LARGE(DeadLetterReason.TOO_LARGE),
    /** Bytes that do not parse as the declared type (corrupt or encrypted PDF, invalid UTF-8). */
    UNREADABLE(DeadLetterReason.INVALID_CONTENT),
    /** The fetched bytes do not match the sha256 the task declared. */
    INTEGRITY(DeadLetterReason.INVALID_CONTENT),
    /** The URI scheme, host or path is not allowed. */
    FORBIDDEN_URI(DeadLetterReason.INVALID_CONTENT),
    /** The URI could not be fetched (unreachable, not found, timed out); worth a replay later. */
    UNAVAILABLE(DeadLetterReason.DOCUMENT_UNAVAILABLE);

    private final DeadLetterReason reason;

    Kind(DeadLetterReason reason) {
      this.reason = reason;
    }
  }

  private final Kind kind;

  public DocumentException(Kind kind, String message) {
    super(kind.reason, message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
