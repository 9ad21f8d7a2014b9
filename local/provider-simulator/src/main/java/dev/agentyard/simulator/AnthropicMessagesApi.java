package dev.agentyard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /v1/messages} in Anthropic's Messages wire format: JSON or a server-sent-event
 * stream, extended thinking with signed blocks that must come back unchanged in a tool loop (as the
 * real API demands), and cache writes of the lifetime the {@code cache_control} asks.
 */
final class AnthropicMessagesApi extends ProviderApi {

  AnthropicMessagesApi(Engine engine, boolean requireAuth) {
    super(engine, requireAuth);
  }

  @Override
  String api() {
    return ProviderSimulator.ANTHROPIC;
  }

  @Override
  String requestIdHeader() {
    return "request-id";
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
    long budget = 0;
    JsonNode thinking = body.get("thinking");
    if (thinking != null && "enabled".equals(thinking.path("type").asText())) {
      budget = thinking.path("budget_tokens").asLong();
      if (budget < 1024) {
        throw new IllegalArgumentException(
            "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
      }
      if (maxTokens <= budget) {
        throw new IllegalArgumentException(
            "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our"
                + " documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking");
      }
    }
    StringBuilder system = new StringBuilder();
    StringBuilder prefix = new StringBuilder();
    String ttl = "5m";
    JsonNode sys = body.get("system");
    if (sys != null && sys.isTextual()) {
      system.append(sys.asText());
    } else if (sys != null && sys.isArray()) {
      // the cacheable prefix runs up to and including the last block marked with cache_control
      int lastMarked = -1;
      for (int i = 0; i < sys.size(); i++) {
        if (sys.get(i).has("cache_control")) {
          lastMarked = i;
          ttl = sys.get(i).path("cache_control").path("ttl").asText("5m");
          if (!ttl.equals("5m") && !ttl.equals("1h")) {
            throw new IllegalArgumentException(
                "system." + i + ".cache_control.ttl: Input should be '5m' or '1h'");
          }
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
    int toolCalls = 0;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String role = required(m, "role").asText();
      JsonNode content = m.get("content");
      String t = text(content);
      all.append(t);
      if (role.equals("assistant")) {
        if (content != null && content.isArray()) {
          for (int j = 0; j < content.size(); j++) {
            JsonNode block = content.get(j);
            switch (block.path("type").asText()) {
              case "tool_use" -> toolCalls++;
              case "thinking" -> {
                if (!engine
                    .sign(block.path("thinking").asText())
                    .equals(block.path("signature").asText())) {
                  throw new IllegalArgumentException(
                      "messages."
                          + i
                          + ".content."
                          + j
                          + ": Invalid `signature` in `thinking` block");
                }
              }
              case "redacted_thinking" -> {
                if (!engine.validRedacted(block.path("data").asText())) {
                  throw new IllegalArgumentException(
                      "messages."
                          + i
                          + ".content."
                          + j
                          + ": Invalid `data` in `redacted_thinking` block");
                }
              }
              default -> {}
            }
          }
        }
      } else if (role.equals("user") && firstUser == null) {
        firstUser = t;
      }
    }
    if (budget > 0) {
      requireThinkingEchoed(messages);
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
        toolCalls,
        tools,
        maxTokens,
        body.path("stream").asBoolean(false),
        budget,
        ttl);
  }

  /**
   * With thinking on, a tool loop's last assistant message (the one whose tool_use the final user
   * message answers) must start with its thinking block, as the real API requires.
   */
  private static void requireThinkingEchoed(JsonNode messages) {
    int last = messages.size() - 1;
    if (last < 1 || !hasToolResult(messages.get(last))) {
      return;
    }
    int i = last - 1;
    JsonNode assistant = messages.get(i);
    if (!"assistant".equals(assistant.path("role").asText())) {
      return;
    }
    JsonNode content = assistant.path("content");
    String first =
        content.isArray() && !content.isEmpty()
            ? content.get(0).path("type").asText()
            : content.isTextual() ? "text" : "nothing";
    if (!first.equals("thinking") && !first.equals("redacted_thinking")) {
      throw new IllegalArgumentException(
          "messages."
              + i
              + ".content.0.type: Expected `thinking` or `redacted_thinking`, but found `"
              + first
              + "`. When `thinking` is enabled, a final `assistant` message must start with a"
              + " thinking block (preceeding the lastmost set of `tool_use` and `tool_result`"
              + " blocks). We recommend you include thinking blocks from previous turns. To avoid"
              + " this requirement, disable `thinking`. Please consult our documentation at"
              + " https://docs.claude.com/en/docs/build-with-claude/extended-thinking");
    }
  }

  private static boolean hasToolResult(JsonNode message) {
    if (!"user".equals(message.path("role").asText())) {
      return false;
    }
    for (JsonNode b : message.path("content")) {
      if ("tool_result".equals(b.path("type").asText())) {
        return true;
      }
    }
    return false;
  }

  @Override
  ObjectNode answer(Conversation c, Engine.Answer a) {
    ObjectNode r = message(c, a);
    ArrayNode content = r.putArray("content");
    for (Engine.Block b : a.blocks()) {
      content.add(block(b, true));
    }
    r.put("stop_reason", stopReason(a.stop()));
    r.putNull("stop_sequence");
    r.set("usage", usage(a.usage(), a.usage().output()));
    return r;
  }

  private ObjectNode message(Conversation c, Engine.Answer a) {
    return json.createObjectNode()
        .put("id", engine.id("msg_sim_"))
        .put("type", "message")
        .put("role", "assistant")
        .put("model", c.model());
  }

  private ObjectNode block(Engine.Block b, boolean whole) {
    ObjectNode o = json.createObjectNode();
    switch (b) {
      case Engine.Thinking t ->
          o.put("type", "thinking")
              .put("thinking", whole ? t.thinking() : "")
              .put("signature", whole ? t.signature() : "");
      case Engine.RedactedThinking r -> o.put("type", "redacted_thinking").put("data", r.data());
      case Engine.Text t -> o.put("type", "text").put("text", whole ? t.text() : "");
      case Engine.ToolCall t -> {
        o.put("type", "tool_use").put("id", t.id()).put("name", t.tool());
        if (whole) {
          try {
            o.set("input", json.readTree(t.inputJson()));
          } catch (IOException e) {
            o.putObject("input");
          }
        } else {
          o.putObject("input");
        }
      }
    }
    return o;
  }

  private ObjectNode usage(Engine.Usage u, long output) {
    ObjectNode o =
        json.createObjectNode()
            .put("input_tokens", u.input())
            .put("cache_creation_input_tokens", u.cacheWrite())
            .put("cache_read_input_tokens", u.cacheRead());
    o.putObject("cache_creation")
        .put("ephemeral_5m_input_tokens", u.cacheWrite() - u.cacheWrite1h())
        .put("ephemeral_1h_input_tokens", u.cacheWrite1h());
    o.put("output_tokens", output);
    o.put("service_tier", "standard");
    return o;
  }

  @Override
  Events events(Conversation c, Engine.Answer a) {
    List<Event> out = new ArrayList<>();
    ObjectNode start = message(c, a);
    start.putArray("content");
    start.putNull("stop_reason");
    start.putNull("stop_sequence");
    start.set("usage", usage(a.usage(), 1));
    out.add(
        event(
            "message_start",
            json.createObjectNode().put("type", "message_start").set("message", start)));
    out.add(event("ping", json.createObjectNode().put("type", "ping")));
    int afterFirst = -1;
    for (int i = 0; i < a.blocks().size(); i++) {
      Engine.Block b = a.blocks().get(i);
      out.add(
          event(
              "content_block_start",
              json.createObjectNode()
                  .put("type", "content_block_start")
                  .put("index", i)
                  .set("content_block", block(b, false))));
      String deltaType;
      String field;
      switch (b) {
        case Engine.Thinking t -> {
          deltaType = "thinking_delta";
          field = "thinking";
        }
        case Engine.Text t -> {
          deltaType = "text_delta";
          field = "text";
        }
        case Engine.ToolCall t -> {
          deltaType = "input_json_delta";
          field = "partial_json";
        }
        case Engine.RedactedThinking r -> {
          deltaType = null;
          field = null;
        }
      }
      if (deltaType != null) {
        for (String piece : pieces(b.generated())) {
          out.add(delta(i, json.createObjectNode().put("type", deltaType).put(field, piece)));
        }
      }
      if (b instanceof Engine.Thinking t) {
        out.add(
            delta(
                i,
                json.createObjectNode()
                    .put("type", "signature_delta")
                    .put("signature", t.signature())));
      }
      out.add(
          event(
              "content_block_stop",
              json.createObjectNode().put("type", "content_block_stop").put("index", i)));
      if (afterFirst < 0) {
        afterFirst = out.size();
      }
    }
    ObjectNode delta = json.createObjectNode().put("type", "message_delta");
    delta.putObject("delta").put("stop_reason", stopReason(a.stop())).putNull("stop_sequence");
    delta.set("usage", usage(a.usage(), a.usage().output()));
    out.add(event("message_delta", delta));
    out.add(event("message_stop", json.createObjectNode().put("type", "message_stop")));
    return new Events(out, afterFirst < 0 ? out.size() : afterFirst);
  }

  private Event delta(int index, ObjectNode delta) {
    return event(
        "content_block_delta",
        json.createObjectNode()
            .put("type", "content_block_delta")
            .put("index", index)
            .set("delta", delta));
  }

  private static Event event(String name, ObjectNode data) {
    return new Event(name, data.toString());
  }

  @Override
  Event streamError() {
    return new Event("error", error(529, "overloaded_error", "Overloaded").toString());
  }

  @Override
  Map.Entry<Integer, ObjectNode> quota(FaultKind kind) {
    return kind == FaultKind.BILLING
        ? Map.entry(
            402,
            error(
                402, "billing_error", "There's an issue with your billing or payment information."))
        : Map.entry(
            400,
            error(
                400,
                "invalid_request_error",
                "Your credit balance is too low to access the Anthropic API. Please go to Plans &"
                    + " Billing to upgrade or purchase credits."));
  }

  private static String stopReason(Engine.StopReason stop) {
    return stop.name().toLowerCase(Locale.ROOT);
  }

  @Override
  ObjectNode error(int status, String type, String message) {
    String t =
        switch (type) {
          case "context_length_exceeded", "conflict_error" -> "invalid_request_error";
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
