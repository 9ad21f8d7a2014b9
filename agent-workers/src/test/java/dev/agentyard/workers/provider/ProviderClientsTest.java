package dev.agentyard.workers.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.simulator.ProviderSimulator;
import dev.agentyard.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both wire formats against the provider simulator on localhost: tool calls, usage, caching and
 * every failure kind.
 */
class ProviderClientsTest {

  static ProviderSimulator sim;
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final String SYSTEM = "You are the income specialist. " + "Policy text. ".repeat(400);
  static final List<ToolDefinition> TOOLS;

  static {
    try {
      TOOLS =
          List.of(
              new ToolDefinition(
                  "extract_figures",
                  "Extracts figures",
                  new ObjectMapper().readTree("{\"type\":\"object\"}")));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void start() {
    sim =
        ProviderSimulator.start(
            SimulatorConfig.withDefaults(
                Map.of(
                    "sim.port",
                    "0",
                    "sim.default.latency",
                    "5ms",
                    "sim.default.jitter",
                    "0ms",
                    "sim.default.timeout-delay",
                    "3s",
                    "sim.cache.min-tokens",
                    "100",
                    "sim.model.claude-haiku-4-5.context-window",
                    "5000",
                    "sim.script.income.match",
                    "income specialist",
                    "sim.script.income.steps",
                    "extract_figures:{\"labels\":[\"wages\"]}",
                    "sim.script.income.final",
                    "{\"annualIncome\":84200}")));
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static AnthropicClient anthropic() {
    return new AnthropicClient(
        sim.baseUrl() + "/v1", ApiKey.of("sk-ant-test-secret"), HTTP, Duration.ofSeconds(1));
  }

  static OpenAiClient openai() {
    return new OpenAiClient(
        "openai", sim.baseUrl() + "/v1", ApiKey.of("sk-test-secret"), HTTP, Duration.ofSeconds(1));
  }

  static ChatRequest request(String model, String user) {
    return new ChatRequest(model, SYSTEM, List.of(Message.user(user)), TOOLS, 512);
  }

  /** Runs the scripted conversation to its end: tool call, tool result, final answer. */
  static List<ChatResponse> converse(ModelClient client, String model, String user)
      throws Exception {
    List<ChatResponse> out = new ArrayList<>();
    List<Message> messages = new ArrayList<>(List.of(Message.user(user)));
    for (int i = 0; i < 3; i++) {
      ChatResponse r =
          client
              .chat(new ChatRequest(model, SYSTEM, messages, TOOLS, 512))
              .get(5, TimeUnit.SECONDS);
      out.add(r);
      if (r.toolUses().isEmpty()) {
        return out;
      }
      messages.add(new Message(Message.Role.ASSISTANT, r.content()));
      messages.add(
          new Message(
              Message.Role.USER,
              List.of(new Part.ToolResult(r.toolUses().get(0).id(), "{\"figures\":[]}", false))));
    }
    return out;
  }

  @Test
  void eachAttemptSendsItsIdSoTheProvidersRecordsMatchOurUsageEvents() throws Exception {
    anthropic()
        .chat(
            request("claude-haiku-4-5", "id check")
                .forAttempt("claude-haiku-4-5", "attempt-anthropic"))
        .get(5, TimeUnit.SECONDS);
    openai()
        .chat(request("gpt-4o-mini", "id check").forAttempt("gpt-4o-mini", "attempt-openai"))
        .get(5, TimeUnit.SECONDS);
    assertThat(sim.ledger().entries())
        .extracting(dev.agentyard.simulator.Ledger.Entry::requestId)
        .contains("attempt-anthropic", "attempt-openai");
  }

  @Test
  void anthropicToolUseRoundTripWithCacheWriteThenCacheRead() throws Exception {
    List<ChatResponse> turns = converse(anthropic(), "claude-sonnet-4-5", "anthropic round trip");

    assertThat(turns).hasSize(2);
    assertThat(turns.get(0).finish()).isEqualTo(ChatResponse.Finish.TOOL_USE);
    assertThat(turns.get(0).toolUses().get(0).name()).isEqualTo("extract_figures");
    assertThat(turns.get(0).toolUses().get(0).input().get("labels").get(0).asText())
        .isEqualTo("wages");
    assertThat(turns.get(1).finish()).isEqualTo(ChatResponse.Finish.END_TURN);
    assertThat(turns.get(1).text()).isEqualTo("{\"annualIncome\":84200}");
    // the system prompt is marked cacheable: written on the first call, read on the second
    long prefix = turns.get(0).usage().cacheWrite();
    assertThat(prefix).isPositive();
    assertThat(turns.get(1).usage().cacheRead()).isEqualTo(prefix);
    assertThat(turns.get(1).usage().cacheWrite()).isZero();
  }

  @Test
  void openAiToolCallsRoundTripWithCachedTokensSubtractedFromInput() throws Exception {
    List<ChatResponse> turns = converse(openai(), "gpt-4o-mini", "openai round trip");

    assertThat(turns).hasSize(2);
    assertThat(turns.get(0).finish()).isEqualTo(ChatResponse.Finish.TOOL_USE);
    assertThat(turns.get(1).text()).isEqualTo("{\"annualIncome\":84200}");
    TokenUsage second = turns.get(1).usage();
    assertThat(second.cacheRead()).isPositive();
    // the ledger bills exactly what we computed: input excludes the cached tokens
    var billed =
        sim.ledger().entries().stream().filter(e -> e.model().equals("gpt-4o-mini")).toList();
    var last = billed.get(billed.size() - 1);
    assertThat(second.input()).isEqualTo(last.inputTokens());
    assertThat(second.cacheRead()).isEqualTo(last.cacheReadTokens());
    assertThat(second.output()).isEqualTo(last.outputTokens());
  }

  @Test
  void rateLimitIsSortedWithItsRetryAfter() {
    ProviderException e = fail(anthropic(), "claude-sonnet-4-5", "rate limited [[sim:429]]");
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.RATE_LIMITED);
    assertThat(e.httpStatus()).isEqualTo(429);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
  }

  @Test
  void overloadedAndServerErrorsAreServerErrors() {
    assertThat(fail(anthropic(), "claude-sonnet-4-5", "overloaded [[sim:529]]").kind())
        .isEqualTo(ProviderException.Kind.SERVER_ERROR);
    assertThat(fail(openai(), "gpt-4o-mini", "unavailable [[sim:503]]").kind())
        .isEqualTo(ProviderException.Kind.SERVER_ERROR);
  }

  @Test
  void malformedJsonResetAndTimeoutAreSorted() {
    assertThat(fail(anthropic(), "claude-sonnet-4-5", "broken [[sim:malformed]]").kind())
        .isEqualTo(ProviderException.Kind.MALFORMED_RESPONSE);
    assertThat(fail(openai(), "gpt-4o-mini", "reset [[sim:reset]]").kind())
        .isEqualTo(ProviderException.Kind.CONNECTION);
    assertThat(fail(anthropic(), "claude-sonnet-4-5", "hangs [[sim:timeout]]").kind())
        .isEqualTo(ProviderException.Kind.TIMEOUT);
  }

  @Test
  void contextLengthIsRecognisedInBothFormats() {
    String huge = "word ".repeat(6000);
    assertThat(fail(anthropic(), "claude-haiku-4-5", huge).kind())
        .isEqualTo(ProviderException.Kind.CONTEXT_LENGTH);
    assertThat(fail(openai(), "gpt-4o-mini", "too long [[sim:context]]").kind())
        .isEqualTo(ProviderException.Kind.CONTEXT_LENGTH);
  }

  @Test
  void refusalIsAnAnswerNotAnError() throws Exception {
    ChatResponse a =
        anthropic()
            .chat(request("claude-sonnet-4-5", "refuse [[sim:refusal]]"))
            .get(5, TimeUnit.SECONDS);
    ChatResponse o =
        openai().chat(request("gpt-4o-mini", "refuse [[sim:refusal]]")).get(5, TimeUnit.SECONDS);
    assertThat(a.finish()).isEqualTo(ChatResponse.Finish.REFUSAL);
    assertThat(o.finish()).isEqualTo(ChatResponse.Finish.REFUSAL);
    assertThat(a.usage().output()).isPositive();
  }

  @Test
  void aMissingKeyIsAnAuthenticationErrorAndNoErrorShowsTheKey() {
    OpenAiClient noKey =
        new OpenAiClient("openai", sim.baseUrl() + "/v1", null, HTTP, Duration.ofSeconds(1));
    ProviderException e = fail(noKey, "gpt-4o-mini", "who am I");
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.AUTHENTICATION);
    ProviderException withKey = fail(openai(), "gpt-4o-mini", "x [[sim:500]]");
    assertThat(withKey.getMessage()).doesNotContain("sk-test-secret");
    assertThat(ApiKey.of("sk-test-secret").toString()).doesNotContain("sk-test-secret");
  }

  static ProviderException fail(ModelClient client, String model, String user) {
    Throwable t = catchThrowable(() -> client.chat(request(model, user)).get(10, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    assertThat(t.getCause()).isInstanceOf(ProviderException.class);
    return (ProviderException) t.getCause();
  }
}
