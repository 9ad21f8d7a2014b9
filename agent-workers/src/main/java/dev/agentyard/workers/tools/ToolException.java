package dev.agentyard.workers.tools;

/** A tool could not act on its input; the message is returned to the model as the tool's error. */
public final class ToolException extends RuntimeException {

  public ToolException(String message) {
    super(message);
  }
}
