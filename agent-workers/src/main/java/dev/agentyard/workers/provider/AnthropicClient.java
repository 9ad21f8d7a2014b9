package dev.agentyard.workers.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Anthropic Messages API ({@code POST <base>/messages}). The system prompt is sent as one block
 * marked {@code cache_control: ephemeral}, so from the second call on it is billed as cache reads.
 */
public final class AnthropicClient extends HttpModelClient {

  public static final String PROVIDER = "anthropic";
  static final String API_VERSION = "2023-06-01";

  private final ApiKey apiKey;

  /**
   * @param baseUrl e.g. {@code https://api.anthropic.com/v1}
   * @param apiKey sent as {@code x-api-key}; null for a gateway that authenticates otherwise
   */
  public AnthropicClient(String baseUrl, ApiKey apiKey, HttpClient http, Duration timeout) {
    super(PROVIDER, URI.create(stripSlash(baseUrl) + "/messages"), http, timeout);
    this.apiKey = apiKey;
  }

  @Override
  void headers(HttpRequest.Builder b) {
    b.header("anthropic-version", API_VERSION);
    if (apiKey != null) {
      b.header("x-api-key", apiKey.reveal());
    }
  }

  @Override
  ObjectNode body(ChatRequest r) {
    ObjectNode body =
        JSON.createObjectNode().put("model", r.model()).put("max_tokens", r.maxTokens());
    if (!r.systemPrompt().isEmpty()) {
      body.putArray("system")
          .addObject()
          .put("type", "text")
          .put("text", r.systemPrompt())
          .putObject("cache_control")
          .put("type", "ephemeral");
    }
    ArrayNode messages = body.putArray("messages");
    for (Message m : r.messages()) {
      ObjectNode msg = messages.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT));
      ArrayNode content = msg.putArray("content");
      for (Part p : m.parts()) {
        switch (p) {
          case Part.Text t -> content.addObject().put("type", "text").put("text", t.text());
          case Part.ToolUse u ->
              content
                  .addObject()
                  .put("type", "tool_use")
                  .put("id", u.id())
                  .put("name", u.name())
                  .set("input", u.input());
          case Part.ToolResult t ->
              content
                  .addObject()
                  .put("type", "tool_result")
                  .put("tool_use_id", t.toolUseId())
                  .put("content", t.content())
                  .put("is_error", t.error());
        }
      }
    }
    if (!r.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition t : r.tools()) {
        tools
            .addObject()
            .put("name", t.name())
            .put("description", t.description())
            .set("input_schema", t.inputSchema());
      }
    }
    return body;
  }

  @Override
  ChatResponse parse(ChatRequest request, JsonNode body) {
    JsonNode content = body.get("content");
    JsonNode usage = body.get("usage");
    if (content == null || !content.isArray() || usage == null || !usage.isObject()) {
      throw malformed(PROVIDER, "lacks content or usage");
    }
    List<Part> parts = new ArrayList<>();
    for (JsonNode block : content) {
      switch (block.path("type").asText()) {
        case "text" -> parts.add(new Part.Text(block.path("text").asText()));
        case "tool_use" -> {
          if (!block.hasNonNull("id") || !block.hasNonNull("name")) {
            throw malformed(PROVIDER, "has a tool_use block without id or name");
          }
          parts.add(
              new Part.ToolUse(
                  block.get("id").asText(),
                  block.get("name").asText(),
                  block.hasNonNull("input") ? block.get("input") : JSON.createObjectNode()));
        }
        default -> {} // thinking and other blocks carry nothing the agent loop acts on
      }
    }
    ChatResponse.Finish finish =
        switch (body.path("stop_reason").asText()) {
          case "tool_use" -> ChatResponse.Finish.TOOL_USE;
          case "max_tokens" -> ChatResponse.Finish.MAX_TOKENS;
          case "refusal" -> ChatResponse.Finish.REFUSAL;
          default -> ChatResponse.Finish.END_TURN; // end_turn, stop_sequence, pause_turn
        };
    TokenUsage tokens =
        new TokenUsage(
            usage.path("input_tokens").asLong(),
            usage.path("output_tokens").asLong(),
            usage.path("cache_read_input_tokens").asLong(),
            usage.path("cache_creation_input_tokens").asLong());
    return new ChatResponse(body.path("model").asText(request.model()), parts, finish, tokens, 200);
  }

  @Override
  boolean isContextLengthError(JsonNode errorBody, String raw) {
    String m = errorBody == null ? raw : errorBody.path("error").path("message").asText(raw);
    m = m.toLowerCase(Locale.ROOT);
    return m.contains("prompt is too long")
        || m.contains("context window")
        || m.contains("context length");
  }

  static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
