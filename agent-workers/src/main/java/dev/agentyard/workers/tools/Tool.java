package dev.agentyard.workers.tools;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool the agent may call. Tools are deterministic and local: same input and document, same
 * output. A tool marked {@link #irreversible()} is offered to the model but never executed by the
 * agent: calling it sends the task to a human with the proposed action.
 */
public interface Tool {

  String name();

  /** What the tool does, for the model. */
  String description();

  /** JSON Schema of the input; input that does not match is rejected before {@link #execute}. */
  JsonNode inputSchema();

  default boolean irreversible() {
    return false;
  }

  /**
   * Runs the tool.
   *
   * @throws ToolException when the input cannot be acted on; the message goes back to the model
   */
  JsonNode execute(JsonNode input, ToolContext context);
}
