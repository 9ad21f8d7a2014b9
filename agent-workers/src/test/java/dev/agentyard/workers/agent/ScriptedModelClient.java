package dev.agentyard.workers.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.workers.provider.ChatRequest;
import dev.agentyard.workers.provider.ChatResponse;
import dev.agentyard.workers.provider.ModelClient;
import dev.agentyard.workers.provider.Part;
import dev.agentyard.workers.provider.ProviderException;
import dev.agentyard.workers.provider.TokenUsage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** A model client for unit tests: answers from a per-model script, and remembers every request. */
public final class ScriptedModelClient implements ModelClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final TokenUsage USAGE = new TokenUsage(1000, 200, 3000, 0);

  private final String provider;
  private final Function<ChatRequest, Object> script;
  public final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());

  /** The script returns a ChatResponse, or a ProviderException to fail with. */
  public ScriptedModelClient(String provider, Function<ChatRequest, Object> script) {
    this.provider = provider;
    this.script = script;
  }

  @Override
  public String provider() {
    return provider;
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    requests.add(request);
    Object answer = script.apply(request);
    if (answer instanceof ProviderException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.completedFuture((ChatResponse) answer);
  }

  public static ChatResponse text(String model, String text) {
    return new ChatResponse(
        model, List.of(new Part.Text(text)), ChatResponse.Finish.END_TURN, USAGE, 200);
  }

  public static ChatResponse toolCall(String model, String tool, String inputJson) {
    try {
      return new ChatResponse(
          model,
          List.of(new Part.ToolUse("call-" + System.nanoTime(), tool, JSON.readTree(inputJson))),
          ChatResponse.Finish.TOOL_USE,
          USAGE,
          200);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static ChatResponse refusal(String model) {
    return new ChatResponse(
        model,
        List.of(new Part.Text("I can't help with that.")),
        ChatResponse.Finish.REFUSAL,
        USAGE,
        200);
  }

  /** Assistant turns already in the request: 0 on the first call of a conversation. */
  public static long assistantTurns(ChatRequest r) {
    return r.messages().stream()
        .filter(m -> m.role() == dev.agentyard.workers.provider.Message.Role.ASSISTANT)
        .count();
  }
}
