package dev.agentyard.schemas.registry;

/** No registry URL answered (connection refused, timeout, or 5xx) after the configured retries. */
public class RegistryUnavailableException extends SchemaRegistryException {

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
