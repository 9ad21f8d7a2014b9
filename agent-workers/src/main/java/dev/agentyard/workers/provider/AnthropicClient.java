package dev.agentyard.workers.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentyard.runtime.pricing.PriceTable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Anthropic Messages API ({@code POST <base>/messages}), streamed by default. The system prompt is
 * sent as one block marked {@code cache_control} (with the route's TTL), so from the second call on
 * it is billed as cache reads. Every content block of an answer is kept: text and tool_use are
 * read, {@code thinking}, {@code redacted_thinking} and unknown blocks are carried verbatim and
 * sent back exactly as received, as the API requires in a tool loop.
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
    this(baseUrl, apiKey, http, timeout, true, StreamObserver.NONE);
  }

  /**
   * @param stream true to stream answers (server-sent events), false for one JSON body
   * @param observer told the timing of streamed chunks
   */
  public AnthropicClient(
      String baseUrl,
      ApiKey apiKey,
      HttpClient http,
      Duration timeout,
      boolean stream,
      StreamObserver observer) {
    super(PROVIDER, URI.create(stripSlash(baseUrl) + "/messages"), http, timeout, stream, observer);
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
  String requestIdHeader() {
    return "request-id";
  }

  @Override
  ObjectNode body(ChatRequest r, boolean stream) {
    CallOptions o = r.options();
    ObjectNode body =
        JSON.createObjectNode().put("model", r.model()).put("max_tokens", r.maxTokens());
    if (stream) {
      body.put("stream", true);
    }
    if (o.thinkingBudget() > 0 && thinkingPossible(r.messages())) {
      body.putObject("thinking")
          .put("type", "enabled")
          .put("budget_tokens", Math.min(o.thinkingBudget(), Math.max(1024, r.maxTokens() - 1)));
    }
    if (o.serviceTier().equals("data-residency")) {
      body.put("inference_geo", "us");
    }
    if (!r.systemPrompt().isEmpty()) {
      ObjectNode cache =
          body.putArray("system")
              .addObject()
              .put("type", "text")
              .put("text", r.systemPrompt())
              .putObject("cache_control")
              .put("type", "ephemeral");
      if (o.cacheTtl().equals("1h")) {
        cache.put("ttl", "1h");
      }
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
          case Part.Opaque b -> {
            if (b.format().equals(PROVIDER)) {
              content.add(b.block()); // exactly as received
            }
          }
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

  /**
   * Thinking cannot be turned on in the middle of a tool loop whose last assistant turn has no
   * thinking block (another provider's turn after a fallback, or one made before thinking was
   * configured): the API refuses it. Such a call is made without thinking.
   */
  static boolean thinkingPossible(List<Message> messages) {
    if (messages.size() < 2) {
      return true;
    }
    Message last = messages.get(messages.size() - 1);
    boolean toolLoop =
        last.role() == Message.Role.USER
            && last.parts().stream().anyMatch(Part.ToolResult.class::isInstance);
    if (!toolLoop) {
      return true;
    }
    Message assistant = messages.get(messages.size() - 2);
    if (assistant.parts().isEmpty() || !(assistant.parts().get(0) instanceof Part.Opaque o)) {
      return false;
    }
    String type = o.block().path("type").asText();
    return o.format().equals(PROVIDER)
        && (type.equals("thinking") || type.equals("redacted_thinking"));
  }

  @Override
  ChatResponse parse(
      ChatRequest request, JsonNode body, String providerRequestId, boolean usageEstimated) {
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
        // thinking (with its signature), redacted_thinking, server tool blocks, future types
        default -> parts.add(new Part.Opaque(PROVIDER, block.deepCopy()));
      }
    }
    String stop = body.path("stop_reason").asText(null);
    ChatResponse.Finish finish =
        switch (stop == null ? "" : stop) {
          case "tool_use" -> ChatResponse.Finish.TOOL_USE;
          case "max_tokens" -> ChatResponse.Finish.MAX_TOKENS;
          case "refusal" -> ChatResponse.Finish.REFUSAL;
          case "pause_turn" -> ChatResponse.Finish.PAUSE_TURN;
          case "model_context_window_exceeded" -> ChatResponse.Finish.CONTEXT_WINDOW_EXCEEDED;
          default -> ChatResponse.Finish.END_TURN; // end_turn, stop_sequence
        };
    TokenUsage tokens = tokens(usage);
    String tier = request.options().serviceTier();
    if ("batch".equals(usage.path("service_tier").asText())) {
      tier = "batch";
    }
    String category = null;
    if (finish == ChatResponse.Finish.REFUSAL) {
      JsonNode details = body.path("stop_details");
      category = details.path("category").asText(details.path("type").asText(null));
    }
    return new ChatResponse(
        body.path("model").asText(request.model()),
        parts,
        finish,
        tokens,
        200,
        stop,
        providerRequestId,
        tier == null ? PriceTable.STANDARD : tier,
        usageEstimated,
        category);
  }

  /**
   * The tokens of a {@code usage} object: cache writes of both lifetimes, the 1-hour ones from
   * {@code cache_creation} (which alone carries them when {@code cache_creation_input_tokens} is
   * absent).
   */
  static TokenUsage tokens(JsonNode usage) {
    long cacheWrite = usage.path("cache_creation_input_tokens").asLong();
    JsonNode split = usage.path("cache_creation");
    long oneHour = Math.min(cacheWrite, split.path("ephemeral_1h_input_tokens").asLong());
    if (split.isObject() && !usage.has("cache_creation_input_tokens")) {
      cacheWrite =
          split.path("ephemeral_5m_input_tokens").asLong()
              + split.path("ephemeral_1h_input_tokens").asLong();
      oneHour = split.path("ephemeral_1h_input_tokens").asLong();
    }
    return new TokenUsage(
        usage.path("input_tokens").asLong(),
        usage.path("output_tokens").asLong(),
        usage.path("cache_read_input_tokens").asLong(),
        cacheWrite,
        oneHour);
  }

  @Override
  StreamAccumulator accumulator() {
    return new Stream();
  }

  /**
   * message_start (the message with its input usage), content_block_start / _delta / _stop per
   * block (text_delta, input_json_delta, thinking_delta, signature_delta, citations_delta),
   * message_delta (stop reason and cumulative usage), message_stop; ping in between.
   */
  private static final class Stream implements StreamAccumulator {
    private ObjectNode message;
    private final Map<Integer, ObjectNode> blocks = new TreeMap<>();
    private final Map<Integer, StringBuilder> json = new TreeMap<>();
    private long generatedChars;
    private boolean stopped;

    @Override
    public boolean event(String type, JsonNode data) {
      switch (type) {
        case "message_start" -> {
          message =
              data.path("message").isObject()
                  ? (ObjectNode) data.get("message").deepCopy()
                  : JSON.createObjectNode();
          return false;
        }
        case "content_block_start" -> {
          ObjectNode block =
              data.path("content_block").isObject()
                  ? (ObjectNode) data.get("content_block").deepCopy()
                  : JSON.createObjectNode();
          int i = data.path("index").asInt(blocks.size());
          if (block.path("type").asText().equals("tool_use")
              || block.path("type").asText().equals("server_tool_use")) {
            json.put(i, new StringBuilder());
          }
          blocks.put(i, block);
          return false;
        }
        case "content_block_delta" -> {
          ObjectNode block = blocks.get(data.path("index").asInt());
          JsonNode d = data.path("delta");
          if (block == null) {
            throw malformed(PROVIDER, "streamed a delta for a block it never started");
          }
          String text;
          switch (d.path("type").asText()) {
            case "text_delta" -> {
              text = d.path("text").asText();
              block.put("text", block.path("text").asText("") + text);
            }
            case "thinking_delta" -> {
              text = d.path("thinking").asText();
              block.put("thinking", block.path("thinking").asText("") + text);
            }
            case "signature_delta" -> {
              text = "";
              block.put(
                  "signature", block.path("signature").asText("") + d.path("signature").asText());
            }
            case "input_json_delta" -> {
              text = d.path("partial_json").asText();
              json.computeIfAbsent(data.path("index").asInt(), k -> new StringBuilder())
                  .append(text);
            }
            case "citations_delta" -> {
              text = "";
              ArrayNode citations =
                  block.has("citations") && block.get("citations").isArray()
                      ? (ArrayNode) block.get("citations")
                      : block.putArray("citations");
              citations.add(d.path("citation"));
            }
            default -> text = "";
          }
          generatedChars += text.length();
          return !text.isEmpty();
        }
        case "content_block_stop" -> {
          int i = data.path("index").asInt();
          StringBuilder partial = json.remove(i);
          ObjectNode block = blocks.get(i);
          if (partial != null && block != null) {
            try {
              block.set(
                  "input",
                  partial.isEmpty() ? JSON.createObjectNode() : JSON.readTree(partial.toString()));
            } catch (IOException e) {
              throw malformed(PROVIDER, "streamed tool input that is not JSON");
            }
          }
          return false;
        }
        case "message_delta" -> {
          if (message == null) {
            throw malformed(PROVIDER, "streamed message_delta before message_start");
          }
          JsonNode d = data.path("delta");
          if (d.has("stop_reason")) {
            message.set("stop_reason", d.get("stop_reason"));
          }
          if (d.has("stop_sequence")) {
            message.set("stop_sequence", d.get("stop_sequence"));
          }
          if (d.has("stop_details")) {
            message.set("stop_details", d.get("stop_details"));
          }
          // message_delta's usage is cumulative: each field it has replaces message_start's
          ObjectNode usage = message.with("usage");
          data.path("usage").fields().forEachRemaining(f -> usage.set(f.getKey(), f.getValue()));
          return false;
        }
        case "message_stop" -> {
          stopped = true;
          return false;
        }
        default -> {
          return false; // ping, and event types added later
        }
      }
    }

    @Override
    public boolean complete() {
      return stopped && message != null;
    }

    @Override
    public boolean usageEstimated() {
      return false;
    }

    @Override
    public ObjectNode body() {
      ArrayNode content = message.putArray("content");
      for (ObjectNode b : blocks.values()) {
        content.add(b);
      }
      return message;
    }

    @Override
    public TokenUsage partialUsage(ChatRequest request) {
      if (message == null) {
        return null; // nothing was generated: not billed
      }
      // the usage message_start reported (output as far as counted), output generated estimated
      TokenUsage u = tokens(message.path("usage"));
      return new TokenUsage(
          u.input(),
          Math.max(u.output(), estimateTokens(generatedChars)),
          u.cacheRead(),
          u.cacheWrite(),
          u.cacheWrite1h());
    }
  }

  static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
