package dev.agentyard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.util.ArrayList;
import java.util.List;

/** {@code POST /v1/chat/completions} in the OpenAI-compatible Chat Completions wire format. */
final class OpenAiChatCompletionsApi extends ProviderApi {

  OpenAiChatCompletionsApi(Engine engine, boolean requireAuth) {
    super(engine, requireAuth);
  }

  @Override
  String api() {
    return ProviderSimulator.OPENAI;
  }

  @Override
  boolean authenticated(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    return auth != null && auth.startsWith("Bearer ") && auth.length() > "Bearer ".length();
  }

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
    int assistantTurns = 0;
    boolean leading = true;
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      String t = text(m.get("content"));
      if (m.has("tool_calls")) {
        t = t + m.get("tool_calls").toString();
      }
      all.append(t);
      switch (role) {
        case "system", "developer" -> {
          if (leading) {
            system.append(t);
          }
        }
        case "assistant" -> assistantTurns++;
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
    return new Conversation(
        modelNode.asText(),
        system.toString(),
        system.toString(),
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
            .put("id", "chatcmpl-sim-" + ids.incrementAndGet())
            .put("object", "chat.completion")
            .put("created", System.currentTimeMillis() / 1000)
            .put("model", c.model());
    ObjectNode choice = r.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    String finish;
    switch (a.stop()) {
      case TOOL_USE -> {
        message.putNull("content");
        ObjectNode call =
            message
                .putArray("tool_calls")
                .addObject()
                .put("id", "call_sim_" + ids.incrementAndGet())
                .put("type", "function");
        call.putObject("function")
            .put("name", a.toolCall().tool())
            .put("arguments", a.toolCall().inputJson());
        finish = "tool_calls";
      }
      case REFUSAL -> {
        message.putNull("content");
        message.put("refusal", a.text());
        finish = "content_filter";
      }
      case MAX_TOKENS -> {
        message.put("content", a.text());
        finish = "length";
      }
      default -> {
        message.put("content", a.text());
        finish = "stop";
      }
    }
    choice.put("finish_reason", finish);
    long prompt = a.usage().input() + a.usage().cacheRead();
    ObjectNode usage =
        r.putObject("usage")
            .put("prompt_tokens", prompt)
            .put("completion_tokens", a.usage().output())
            .put("total_tokens", prompt + a.usage().output());
    usage.putObject("prompt_tokens_details").put("cached_tokens", a.usage().cacheRead());
    return r;
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
