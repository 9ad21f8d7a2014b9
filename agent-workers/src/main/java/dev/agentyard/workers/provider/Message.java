package dev.agentyard.workers.provider;

import java.util.List;

/**
 * A conversation message, provider-neutral. Tool results travel in {@link Role#USER} messages, as
 * in Anthropic's format.
 */
public record Message(Role role, List<Part> parts) {

  public enum Role {
    USER,
    ASSISTANT
  }

  public Message {
    parts = List.copyOf(parts);
  }

  public static Message user(String text) {
    return new Message(Role.USER, List.of(new Part.Text(text)));
  }
}
