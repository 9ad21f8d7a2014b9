package dev.agentyard.schemas.registry;

/**
 * The registry answered with an error. Carries the HTTP status and the Confluent error code (e.g.
 * 40401 subject not found, 40403 schema not found, 409 incompatible schema). The message never
 * contains credentials.
 */
public class SchemaRegistryException extends RuntimeException {

  /** Subject not found. */
  public static final int SUBJECT_NOT_FOUND = 40401;

  /** Version not found. */
  public static final int VERSION_NOT_FOUND = 40402;

  /** Schema not found (by id, or under a subject). */
  public static final int SCHEMA_NOT_FOUND = 40403;

  /** Schema incompatible with an earlier version. */
  public static final int INCOMPATIBLE_SCHEMA = 409;

  /** Schema not valid. */
  public static final int INVALID_SCHEMA = 42201;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(String message, int httpStatus, int errorCode) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = -1;
    this.errorCode = -1;
  }

  /** HTTP status code, or -1 when the registry did not answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Confluent error code (e.g. 40403), or the HTTP status when the body had none, or -1. */
  public int errorCode() {
    return errorCode;
  }
}
