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

/**
 * OpenAI-compatible Chat Completions ({@code POST <base>/chat/completions}): OpenAI itself, and
 * vLLM, Ollama, llama.cpp, LM Studio and most gateways; streamed by default with {@code
 * stream_options.include_usage}. Prompt caching is automatic there for a long enough static prefix,
 * which is why the system prompt always comes first and unchanged. {@code prompt_tokens} includes
 * cached tokens (and cache writes where reported); {@link TokenUsage#input()} does not.
 */
public final class OpenAiClient extends HttpModelClient {

  public static final String PROVIDER = "openai";

  /** The output cap's field: OpenAI's current name, or the older one servers like Ollama read. */
  public enum MaxTokensField {
    MAX_COMPLETION_TOKENS("max_completion_tokens"),
    MAX_TOKENS("max_tokens");

    private final String field;

    MaxTokensField(String field) {
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  private final ApiKey apiKey;
  private final MaxTokensField maxTokensField;

  /**
   * @param provider the name to report (e.g. {@code openai}, or {@code vllm} for a local server)
   * @param baseUrl e.g. {@code https://api.openai.com/v1} or {@code http://127.0.0.1:8000/v1}
   * @param apiKey sent as a bearer token; null for a local server without auth
   */
  public OpenAiClient(
      String provider, String baseUrl, ApiKey apiKey, HttpClient http, Duration timeout) {
    this(
        provider,
        baseUrl,
        apiKey,
        http,
        timeout,
        true,
        MaxTokensField.MAX_COMPLETION_TOKENS,
        StreamObserver.NONE);
  }

  /**
   * @param stream true to stream answers (server-sent events), false for one JSON body
   * @param maxTokensField the field the server reads the output cap from
   * @param observer told the timing of streamed chunks
   */
  public OpenAiClient(
      String provider,
      String baseUrl,
      ApiKey apiKey,
      HttpClient http,
      Duration timeout,
      boolean stream,
      MaxTokensField maxTokensField,
      StreamObserver observer) {
    super(
        provider,
        URI.create(AnthropicClient.stripSlash(baseUrl) + "/chat/completions"),
        http,
        timeout,
        stream,
        observer);
    this.apiKey = apiKey;
    this.maxTokensField = maxTokensField;
  }

  @Override
  String requestIdHeader() {
    return "x-request-id";
  }

  @Override
  void headers(HttpRequest.Builder b) {
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey.reveal());
    }
  }

  @Override
  ObjectNode body(ChatRequest r, boolean stream) {
    ObjectNode body =
        JSON.createObjectNode().put("model", r.model()).put(maxTokensField.field(), r.maxTokens());
    if (stream) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    String tier = r.options().serviceTier();
    if (tier.equals("flex") || tier.equals("priority")) {
      body.put("service_tier", tier);
    }
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
  ChatResponse parse(
      ChatRequest request, JsonNode body, String providerRequestId, boolean usageEstimated) {
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
    String stop = choice.path("finish_reason").asText(null);
    ChatResponse.Finish finish =
        switch (stop == null ? "" : stop) {
          case "tool_calls", "function_call" -> ChatResponse.Finish.TOOL_USE;
          case "length" -> ChatResponse.Finish.MAX_TOKENS;
          case "content_filter" -> ChatResponse.Finish.REFUSAL;
          default -> refused ? ChatResponse.Finish.REFUSAL : ChatResponse.Finish.END_TURN;
        };
    TokenUsage tokens = tokens(usage);
    if (usageEstimated) {
      // a stream without usage (a server that ignores include_usage): estimated, marked so
      long chars = 0;
      for (Part p : parts) {
        chars +=
            p instanceof Part.Text t
                ? t.text().length()
                : p instanceof Part.ToolUse u ? u.input().toString().length() : 0;
      }
      tokens = new TokenUsage(request.estimatedInputTokens(), estimateTokens(chars), 0, 0);
    }
    // the tier that served: priority and flex may fall back to the default tier
    String tier =
        switch (body.path("service_tier").asText("")) {
          case "flex" -> "flex";
          case "priority" -> "priority";
          case "default" -> request.options().serviceTier().equals("batch") ? "batch" : "standard";
          default -> request.options().serviceTier();
        };
    return new ChatResponse(
        body.path("model").asText(request.model()),
        parts,
        finish,
        tokens,
        200,
        stop,
        providerRequestId,
        tier,
        usageEstimated,
        finish == ChatResponse.Finish.REFUSAL && "content_filter".equals(stop)
            ? "content_filter"
            : null);
  }

  /**
   * The tokens of a {@code usage} object: {@code prompt_tokens} includes cached tokens and cache
   * writes, which are taken out of input.
   */
  static TokenUsage tokens(JsonNode usage) {
    long prompt = usage.path("prompt_tokens").asLong();
    JsonNode details = usage.path("prompt_tokens_details");
    long cached = details.path("cached_tokens").asLong();
    long written = details.path("cache_write_tokens").asLong();
    return new TokenUsage(
        Math.max(0, prompt - cached - written),
        usage.path("completion_tokens").asLong(),
        cached,
        written);
  }

  @Override
  StreamAccumulator accumulator() {
    return new Stream();
  }

  /**
   * chat.completion.chunk events: deltas of content, refusal and tool calls (by index, arguments in
   * pieces), a finish_reason, and with include_usage a last chunk with empty choices and the usage;
   * then [DONE]. A server that sends no usage gets it estimated, marked so.
   */
  private static final class Stream implements StreamAccumulator {
    private final ObjectNode last = JSON.createObjectNode();
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder refusal = new StringBuilder();
    private final java.util.TreeMap<Integer, ObjectNode> calls = new java.util.TreeMap<>();
    private final java.util.Map<Integer, StringBuilder> arguments = new java.util.HashMap<>();
    private String finish;
    private JsonNode usage;
    private boolean done;
    private boolean estimated;
    private boolean any;

    @Override
    public boolean event(String type, JsonNode data) {
      if (type.equals("[DONE]")) {
        done = true;
        return false;
      }
      any = true;
      for (String f : new String[] {"id", "model", "service_tier", "system_fingerprint"}) {
        if (data.hasNonNull(f)) {
          last.set(f, data.get(f));
        }
      }
      if (data.hasNonNull("usage")) {
        usage = data.get("usage");
      }
      boolean generated = false;
      for (JsonNode choice : data.path("choices")) {
        if (choice.path("index").asInt(0) != 0) {
          continue;
        }
        JsonNode delta = choice.path("delta");
        if (delta.hasNonNull("content")) {
          String t = delta.get("content").asText();
          content.append(t);
          generated |= !t.isEmpty();
        }
        if (delta.hasNonNull("refusal")) {
          refusal.append(delta.get("refusal").asText());
          generated = true;
        }
        for (JsonNode call : delta.path("tool_calls")) {
          int i = call.path("index").asInt(calls.size());
          ObjectNode c = calls.computeIfAbsent(i, k -> JSON.createObjectNode());
          if (call.hasNonNull("id")) {
            c.put("id", call.get("id").asText());
          }
          JsonNode fn = call.path("function");
          if (fn.hasNonNull("name")) {
            c.put("name", c.path("name").asText("") + fn.get("name").asText());
          }
          if (fn.hasNonNull("arguments")) {
            arguments
                .computeIfAbsent(i, k -> new StringBuilder())
                .append(fn.get("arguments").asText());
            generated = true;
          }
        }
        if (choice.hasNonNull("finish_reason")) {
          finish = choice.get("finish_reason").asText();
        }
      }
      return generated;
    }

    @Override
    public boolean complete() {
      // [DONE] ends every stream; a server that omits it has still said why it finished
      return any && (done || finish != null);
    }

    @Override
    public boolean usageEstimated() {
      return estimated;
    }

    @Override
    public ObjectNode body() {
      ObjectNode body = last.deepCopy();
      ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
      ObjectNode message = choice.putObject("message").put("role", "assistant");
      if (content.isEmpty()) {
        message.putNull("content");
      } else {
        message.put("content", content.toString());
      }
      if (!refusal.isEmpty()) {
        message.put("refusal", refusal.toString());
      }
      if (!calls.isEmpty()) {
        ArrayNode out = message.putArray("tool_calls");
        calls.forEach(
            (i, c) -> {
              ObjectNode call = out.addObject().put("type", "function");
              if (c.has("id")) {
                call.put("id", c.get("id").asText());
              }
              ObjectNode fn = call.putObject("function");
              if (c.has("name")) {
                fn.put("name", c.get("name").asText());
              }
              StringBuilder a = arguments.get(i);
              fn.put("arguments", a == null ? "" : a.toString());
            });
      }
      choice.put("finish_reason", finish);
      if (usage != null && usage.isObject()) {
        body.set("usage", usage);
      } else {
        estimated = true;
        body.set("usage", JSON.createObjectNode());
      }
      return body;
    }

    @Override
    public TokenUsage partialUsage(ChatRequest request) {
      if (!any) {
        return null;
      }
      long chars = content.length() + refusal.length();
      for (StringBuilder a : arguments.values()) {
        chars += a.length();
      }
      if (usage != null && usage.isObject()) {
        TokenUsage u = tokens(usage);
        return new TokenUsage(
            u.input(), Math.max(u.output(), estimateTokens(chars)), u.cacheRead(), u.cacheWrite());
      }
      // OpenAI bills a cut-off stream for the prompt and what was generated; neither was reported
      return new TokenUsage(request.estimatedInputTokens(), estimateTokens(chars), 0, 0);
    }
  }
}
