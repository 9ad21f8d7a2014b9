package dev.agentyard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code POST /v1/messages} in Anthropic's Messages wire format. */
final class AnthropicMessagesApi extends ProviderApi {

  AnthropicMessagesApi(Engine engine, boolean requireAuth) {
    super(engine, requireAuth);
  }

  @Override
  String api() {
    return ProviderSimulator.ANTHROPIC;
  }

  @Override
  boolean authenticated(HttpExchange ex) {
    String key = ex.getRequestHeaders().getFirst("x-api-key");
    return key != null && !key.isBlank();
  }

  @Override
  Conversation parse(JsonNode body) {
    String model = required(body, "model").asText();
    long maxTokens = required(body, "max_tokens").asLong();
    JsonNode messages = required(body, "messages");
    StringBuilder system = new StringBuilder();
    StringBuilder prefix = new StringBuilder();
    JsonNode sys = body.get("system");
    if (sys != null && sys.isTextual()) {
      system.append(sys.asText());
    } else if (sys != null && sys.isArray()) {
      // the cacheable prefix runs up to and including the last block marked with cache_control
      int lastMarked = -1;
      for (int i = 0; i < sys.size(); i++) {
        if (sys.get(i).has("cache_control")) {
          lastMarked = i;
        }
      }
      for (int i = 0; i < sys.size(); i++) {
        String t = sys.get(i).path("text").asText();
        system.append(t);
        if (i <= lastMarked) {
          prefix.append(t);
        }
      }
    }
    StringBuilder all = new StringBuilder(system);
    String firstUser = null;
    int assistantTurns = 0;
    for (JsonNode m : messages) {
      String role = required(m, "role").asText();
      String t = text(m.get("content"));
      all.append(t);
      if (role.equals("assistant")) {
        assistantTurns++;
      } else if (role.equals("user") && firstUser == null) {
        firstUser = t;
      }
    }
    List<String> tools = new ArrayList<>();
    JsonNode toolsNode = body.get("tools");
    if (toolsNode != null) {
      for (JsonNode t : toolsNode) {
        tools.add(t.path("name").asText());
        all.append(t.toString());
      }
    }
    if (firstUser == null) {
      throw new IllegalArgumentException("messages need a user message");
    }
    return new Conversation(
        model,
        system.toString(),
        prefix.toString(),
        all.toString(),
        firstUser,
        assistantTurns,
        tools,
        maxTokens);
  }

  @Override
  ObjectNode answer(Conversation c, Engine.Answer a) {
    ObjectNode r =
        json.createObjectNode()
            .put("id", "msg_sim_" + ids.incrementAndGet())
            .put("type", "message")
            .put("role", "assistant")
            .put("model", c.model());
    ArrayNode content = r.putArray("content");
    if (a.toolCall() != null) {
      ObjectNode use =
          content
              .addObject()
              .put("type", "tool_use")
              .put("id", "toolu_sim_" + ids.incrementAndGet())
              .put("name", a.toolCall().tool());
      try {
        use.set("input", json.readTree(a.toolCall().inputJson()));
      } catch (IOException e) {
        use.putObject("input");
      }
    } else {
      content.addObject().put("type", "text").put("text", a.text());
    }
    r.put("stop_reason", a.stop().name().toLowerCase(Locale.ROOT));
    r.putNull("stop_sequence");
    r.putObject("usage")
        .put("input_tokens", a.usage().input())
        .put("output_tokens", a.usage().output())
        .put("cache_creation_input_tokens", a.usage().cacheWrite())
        .put("cache_read_input_tokens", a.usage().cacheRead());
    return r;
  }

  @Override
  ObjectNode error(int status, String type, String message) {
    String t =
        switch (type) {
          case "context_length_exceeded" -> "invalid_request_error";
          default -> type;
        };
    ObjectNode r = json.createObjectNode().put("type", "error");
    r.putObject("error").put("type", t).put("message", message);
    return r;
  }

  private static JsonNode required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(field + ": Field required");
    }
    return v;
  }
}
