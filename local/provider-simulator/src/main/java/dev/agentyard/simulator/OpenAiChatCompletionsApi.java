package dev.agentyard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/chat/completions} in the OpenAI-compatible Chat Completions wire format: JSON or
 * a stream of {@code chat.completion.chunk} events (with the usage in a last chunk when {@code
 * stream_options.include_usage} asks for it, as OpenAI does; never otherwise).
 */
final class OpenAiChatCompletionsApi extends ProviderApi {

  OpenAiChatCompletionsApi(Engine engine, boolean requireAuth) {
    super(engine, requireAuth);
  }

  @Override
  String api() {
    return ProviderSimulator.OPENAI;
  }

  @Override
  String requestIdHeader() {
    return "x-request-id";
  }

  @Override
  boolean authenticated(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    return auth != null && auth.startsWith("Bearer ") && auth.length() > "Bearer ".length();
  }

  /** Whether the last parsed streaming request asked for the usage chunk, per conversation. */
  private final Map<Conversation, Boolean> includeUsage =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  @Override
  Conversation parse(JsonNode body) {
    JsonNode modelNode = body.get("model");
    JsonNode messages = body.get("messages");
    if (modelNode == null || messages == null || !messages.isArray()) {
      throw new IllegalArgumentException("model and messages are required");
    }
    long maxTokens =
        body.has("max_completion_tokens")
            ? body.get("max_completion_tokens").asLong()
            : body.has("max_tokens") ? body.get("max_tokens").asLong() : 4096;
    StringBuilder system = new StringBuilder();
    StringBuilder all = new StringBuilder();
    String firstUser = null;
    int toolCalls = 0;
    boolean leading = true;
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      String t = text(m.get("content"));
      if (m.has("tool_calls")) {
        t = t + m.get("tool_calls").toString();
        toolCalls += m.get("tool_calls").size();
      }
      all.append(t);
      switch (role) {
        case "system", "developer" -> {
          if (leading) {
            system.append(t);
          }
        }
        case "user" -> {
          if (firstUser == null) {
            firstUser = t;
          }
        }
        default -> {}
      }
      if (!role.equals("system") && !role.equals("developer")) {
        leading = false;
      }
    }
    List<String> tools = new ArrayList<>();
    if (body.has("tools")) {
      for (JsonNode t : body.get("tools")) {
        tools.add(t.path("function").path("name").asText());
        all.append(t.toString());
      }
    }
    if (firstUser == null) {
      throw new IllegalArgumentException("messages need a user message");
    }
    // automatic prefix caching covers the leading system/developer messages
    Conversation c =
        new Conversation(
            modelNode.asText(),
            system.toString(),
            system.toString(),
            all.toString(),
            firstUser,
            toolCalls,
            tools,
            maxTokens,
            body.path("stream").asBoolean(false),
            0,
            "5m");
    includeUsage.put(c, body.path("stream_options").path("include_usage").asBoolean(false));
    return c;
  }

  private static String finish(Engine.StopReason stop) {
    return switch (stop) {
      case TOOL_USE -> "tool_calls";
      case REFUSAL -> "content_filter";
      case MAX_TOKENS, MODEL_CONTEXT_WINDOW_EXCEEDED -> "length";
      default -> "stop";
    };
  }

  private ObjectNode head(Conversation c, String id, String object) {
    return json.createObjectNode()
        .put("id", id)
        .put("object", object)
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", c.model())
        .put("service_tier", "default");
  }

  @Override
  ObjectNode answer(Conversation c, Engine.Answer a) {
    ObjectNode r = head(c, engine.id("chatcmpl-sim-"), "chat.completion");
    ObjectNode choice = r.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    String text = a.text();
    if (a.stop() == Engine.StopReason.REFUSAL) {
      message.putNull("content");
      message.put("refusal", text);
    } else if (text.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", text);
    }
    ArrayNode calls = null;
    for (Engine.Block b : a.blocks()) {
      if (b instanceof Engine.ToolCall t) {
        if (calls == null) {
          calls = message.putArray("tool_calls");
        }
        calls
            .addObject()
            .put("id", t.id().replace("toolu_", "call_"))
            .put("type", "function")
            .putObject("function")
            .put("name", t.tool())
            .put("arguments", t.inputJson());
      }
    }
    choice.put("finish_reason", finish(a.stop()));
    r.set("usage", usage(a.usage()));
    return r;
  }

  private ObjectNode usage(Engine.Usage u) {
    long prompt = u.input() + u.cacheRead();
    ObjectNode usage =
        json.createObjectNode()
            .put("prompt_tokens", prompt)
            .put("completion_tokens", u.output())
            .put("total_tokens", prompt + u.output());
    usage.putObject("prompt_tokens_details").put("cached_tokens", u.cacheRead());
    usage.putObject("completion_tokens_details").put("reasoning_tokens", 0);
    return usage;
  }

  @Override
  Events events(Conversation c, Engine.Answer a) {
    String id = engine.id("chatcmpl-sim-");
    List<Event> out = new ArrayList<>();
    ObjectNode first = head(c, id, "chat.completion.chunk");
    first
        .putArray("choices")
        .addObject()
        .put("index", 0)
        .putNull("finish_reason")
        .putObject("delta")
        .put("role", "assistant")
        .put("content", "");
    out.add(new Event(null, first.toString()));
    int afterFirst = -1;
    int toolIndex = 0;
    for (Engine.Block b : a.blocks()) {
      switch (b) {
        case Engine.Text t -> {
          for (String piece : pieces(t.text())) {
            ObjectNode root = head(c, id, "chat.completion.chunk");
            delta(root).put(a.stop() == Engine.StopReason.REFUSAL ? "refusal" : "content", piece);
            out.add(new Event(null, root.toString()));
          }
        }
        case Engine.ToolCall t -> {
          ObjectNode root = head(c, id, "chat.completion.chunk");
          ObjectNode call =
              delta(root)
                  .putArray("tool_calls")
                  .addObject()
                  .put("index", toolIndex)
                  .put("id", t.id().replace("toolu_", "call_"))
                  .put("type", "function");
          call.putObject("function").put("name", t.tool()).put("arguments", "");
          out.add(new Event(null, root.toString()));
          for (String piece : pieces(t.inputJson())) {
            ObjectNode next = head(c, id, "chat.completion.chunk");
            delta(next)
                .putArray("tool_calls")
                .addObject()
                .put("index", toolIndex)
                .putObject("function")
                .put("arguments", piece);
            out.add(new Event(null, next.toString()));
          }
          toolIndex++;
        }
        default -> {} // no thinking blocks in this format
      }
      if (afterFirst < 0) {
        afterFirst = out.size();
      }
    }
    ObjectNode last = head(c, id, "chat.completion.chunk");
    last.putArray("choices")
        .addObject()
        .put("index", 0)
        .put("finish_reason", finish(a.stop()))
        .putObject("delta");
    out.add(new Event(null, last.toString()));
    if (Boolean.TRUE.equals(includeUsage.get(c))) {
      ObjectNode usage = head(c, id, "chat.completion.chunk");
      usage.putArray("choices");
      usage.set("usage", usage(a.usage()));
      out.add(new Event(null, usage.toString()));
    }
    out.add(new Event(null, "[DONE]"));
    return new Events(out, afterFirst < 0 ? out.size() : afterFirst);
  }

  /** The delta of a chunk's only choice, to fill. */
  private static ObjectNode delta(ObjectNode chunk) {
    return chunk
        .putArray("choices")
        .addObject()
        .put("index", 0)
        .putNull("finish_reason")
        .putObject("delta");
  }

  @Override
  Event streamError() {
    return new Event(
        null,
        error(500, "server_error", "The server had an error while processing your request.")
            .toString());
  }

  @Override
  Map.Entry<Integer, ObjectNode> quota(FaultKind kind) {
    ObjectNode r = json.createObjectNode();
    ObjectNode e =
        r.putObject("error")
            .put(
                "message",
                "You exceeded your current quota, please check your plan and billing details. For"
                    + " more information on this error, read the docs:"
                    + " https://platform.openai.com/docs/guides/error-codes/api-errors.")
            .put("type", "insufficient_quota")
            .put("code", "insufficient_quota");
    e.putNull("param");
    return Map.entry(429, r);
  }

  @Override
  ObjectNode error(int status, String type, String message) {
    String code =
        switch (status) {
          case 429 -> "rate_limit_exceeded";
          case 400 ->
              type.equals("context_length_exceeded")
                  ? "context_length_exceeded"
                  : "invalid_request_error";
          case 401 -> "invalid_api_key";
          case 404 -> "model_not_found";
          default -> "server_error";
        };
    String t =
        status >= 500 ? "server_error" : status == 429 ? "requests" : "invalid_request_error";
    ObjectNode r = json.createObjectNode();
    ObjectNode e = r.putObject("error").put("message", message).put("type", t).put("code", code);
    e.putNull("param");
    return r;
  }
}
