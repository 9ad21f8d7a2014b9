package dev.agentyard.workers.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * OpenAI-compatible Chat Completions ({@code POST <base>/chat/completions}): OpenAI itself, and
 * vLLM, Ollama, llama.cpp, LM Studio and most gateways. Prompt caching is automatic there for a
 * long enough static prefix, which is why the system prompt always comes first and unchanged.
 * {@code prompt_tokens} includes cached tokens; {@link TokenUsage#input()} does not.
 */
public final class OpenAiClient extends HttpModelClient {

  public static final String PROVIDER = "openai";

  private final ApiKey apiKey;

  /**
   * @param provider the name to report (e.g. {@code openai}, or {@code vllm} for a local server)
   * @param baseUrl e.g. {@code https://api.openai.com/v1} or {@code http://127.0.0.1:8000/v1}
   * @param apiKey sent as a bearer token; null for a local server without auth
   */
  public OpenAiClient(
      String provider, String baseUrl, ApiKey apiKey, HttpClient http, Duration timeout) {
    super(
        provider,
        URI.create(AnthropicClient.stripSlash(baseUrl) + "/chat/completions"),
        http,
        timeout);
    this.apiKey = apiKey;
  }

  @Override
  void headers(HttpRequest.Builder b) {
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey.reveal());
    }
  }

  @Override
  ObjectNode body(ChatRequest r) {
    ObjectNode body =
        JSON.createObjectNode().put("model", r.model()).put("max_completion_tokens", r.maxTokens());
    ArrayNode messages = body.putArray("messages");
    if (!r.systemPrompt().isEmpty()) {
      messages.addObject().put("role", "system").put("content", r.systemPrompt());
    }
    for (Message m : r.messages()) {
      if (m.role() == Message.Role.ASSISTANT) {
        ObjectNode msg = messages.addObject().put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = null;
        for (Part p : m.parts()) {
          if (p instanceof Part.Text t) {
            text.append(t.text());
          } else if (p instanceof Part.ToolUse u) {
            if (calls == null) {
              calls = msg.putArray("tool_calls");
            }
            calls
                .addObject()
                .put("id", u.id())
                .put("type", "function")
                .putObject("function")
                .put("name", u.name())
                .put("arguments", u.input().toString());
          }
        }
        if (text.isEmpty()) {
          msg.putNull("content");
        } else {
          msg.put("content", text.toString());
        }
      } else {
        // tool results are separate "tool" messages; any text goes in one user message after them
        StringBuilder text = new StringBuilder();
        for (Part p : m.parts()) {
          if (p instanceof Part.ToolResult t) {
            messages
                .addObject()
                .put("role", "tool")
                .put("tool_call_id", t.toolUseId())
                .put("content", t.error() ? "ERROR: " + t.content() : t.content());
          } else if (p instanceof Part.Text t) {
            text.append(t.text());
          }
        }
        if (!text.isEmpty()) {
          messages.addObject().put("role", "user").put("content", text.toString());
        }
      }
    }
    if (!r.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition t : r.tools()) {
        tools
            .addObject()
            .put("type", "function")
            .putObject("function")
            .put("name", t.name())
            .put("description", t.description())
            .set("parameters", t.inputSchema());
      }
    }
    return body;
  }

  @Override
  ChatResponse parse(ChatRequest request, JsonNode body) {
    JsonNode choice = body.path("choices").path(0);
    JsonNode message = choice.get("message");
    JsonNode usage = body.get("usage");
    if (message == null || !message.isObject() || usage == null || !usage.isObject()) {
      throw malformed(provider(), "lacks choices[0].message or usage");
    }
    List<Part> parts = new ArrayList<>();
    if (message.hasNonNull("content") && !message.get("content").asText().isEmpty()) {
      parts.add(new Part.Text(message.get("content").asText()));
    }
    boolean refused = message.hasNonNull("refusal");
    if (refused) {
      parts.add(new Part.Text(message.get("refusal").asText()));
    }
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode fn = call.path("function");
      if (!call.hasNonNull("id") || !fn.hasNonNull("name")) {
        throw malformed(provider(), "has a tool call without id or name");
      }
      JsonNode args;
      try {
        String raw = fn.path("arguments").asText("{}");
        args = JSON.readTree(raw.isBlank() ? "{}" : raw);
      } catch (IOException e) {
        // the model wrote arguments that are not JSON: pass them as a string for the tool to reject
        args = JSON.getNodeFactory().textNode(fn.path("arguments").asText());
      }
      parts.add(new Part.ToolUse(call.get("id").asText(), fn.get("name").asText(), args));
    }
    ChatResponse.Finish finish =
        switch (choice.path("finish_reason").asText()) {
          case "tool_calls", "function_call" -> ChatResponse.Finish.TOOL_USE;
          case "length" -> ChatResponse.Finish.MAX_TOKENS;
          case "content_filter" -> ChatResponse.Finish.REFUSAL;
          default -> refused ? ChatResponse.Finish.REFUSAL : ChatResponse.Finish.END_TURN;
        };
    long prompt = usage.path("prompt_tokens").asLong();
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong();
    TokenUsage tokens =
        new TokenUsage(
            Math.max(0, prompt - cached), usage.path("completion_tokens").asLong(), cached, 0);
    return new ChatResponse(body.path("model").asText(request.model()), parts, finish, tokens, 200);
  }

  @Override
  boolean isContextLengthError(JsonNode errorBody, String raw) {
    if (errorBody != null
        && "context_length_exceeded".equals(errorBody.path("error").path("code").asText())) {
      return true;
    }
    String m =
        (errorBody == null ? raw : errorBody.path("error").path("message").asText(raw))
            .toLowerCase(Locale.ROOT);
    return m.contains("maximum context length")
        || m.contains("context length")
        || m.contains("context_length");
  }
}
