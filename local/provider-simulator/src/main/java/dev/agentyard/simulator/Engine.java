package dev.agentyard.simulator;

import dev.agentyard.runtime.pricing.BilledTokens;
import dev.agentyard.runtime.pricing.PriceTable;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decides what a simulated model answers, provider-neutrally: the fault (from a prompt marker or at
 * random), the scripted tool calls or final answer with extended thinking when asked, the tokens
 * (counted from the request, with prompt caching of the cacheable prefix at its lifetime), and the
 * bill, which goes to the {@link Ledger}.
 */
final class Engine {

  /** What the engine decided. */
  sealed interface Result {}

  /** One content block of an answer, in order. */
  sealed interface Block {
    /** The generated text the block streams (what a cut-off stream has billed so far). */
    String generated();
  }

  /** Extended thinking with its signature. */
  record Thinking(String thinking, String signature) implements Block {
    @Override
    public String generated() {
      return thinking;
    }
  }

  /** Thinking the provider hides: opaque data that must still be sent back. */
  record RedactedThinking(String data) implements Block {
    @Override
    public String generated() {
      return "";
    }
  }

  /** Text. */
  record Text(String text) implements Block {
    @Override
    public String generated() {
      return text;
    }
  }

  /** A tool call. */
  record ToolCall(String id, String tool, String inputJson) implements Block {
    @Override
    public String generated() {
      return inputJson;
    }
  }

  /**
   * An answer.
   *
   * @param breakAfterFirstBlock STREAM_ERROR or STREAM_CUT: the stream ends after the first block
   *     (usage is what that part was billed); null for a whole answer
   */
  record Answer(
      List<Block> blocks,
      StopReason stop,
      Usage usage,
      String providerRequestId,
      FaultKind breakAfterFirstBlock)
      implements Result {

    /** All text blocks joined. */
    String text() {
      StringBuilder b = new StringBuilder();
      for (Block x : blocks) {
        if (x instanceof Text t) {
          b.append(t.text());
        }
      }
      return b.toString();
    }
  }

  /** A failure the API layer renders in its provider's format. */
  record Failure(
      FaultKind kind, Duration retryAfter, String message, Duration hang, String providerRequestId)
      implements Result {}

  /** The model is not one the simulator serves. */
  record UnknownModel(String model) implements Result {}

  /** Why the model stopped. */
  enum StopReason {
    END_TURN,
    TOOL_USE,
    MAX_TOKENS,
    REFUSAL,
    PAUSE_TURN,
    MODEL_CONTEXT_WINDOW_EXCEEDED
  }

  /**
   * Billed tokens and cost; input excludes cache reads and writes; cacheWrite counts writes of both
   * lifetimes, cacheWrite1h the 1-hour ones.
   */
  record Usage(
      long input,
      long output,
      long cacheRead,
      long cacheWrite,
      long cacheWrite1h,
      long costMicroUsd) {}

  /**
   * {@code [[sim:503]]}, {@code [[sim:429x2]]} (first 2 calls only), {@code
   * [[sim:529@claude-sonnet-4-5]]} (that model only).
   */
  static final Pattern MARKER =
      Pattern.compile("\\[\\[sim:([a-z0-9-]+?)(?:x(\\d+))?(?:@([A-Za-z0-9._:-]+))?]]");

  /** A text block and two tool calls in one turn, when the script has two steps left. */
  static final String PARALLEL_TOOLS = "[[sim:parallel-tools]]";

  /** A redacted_thinking block after the thinking block (thinking must be on). */
  static final String REDACTED_THINKING = "[[sim:redacted-thinking]]";

  private final SimulatorConfig config;
  private final PriceTable prices;
  private final Ledger ledger;
  private final Random random;
  private final byte[] signingKey;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, Long> cacheExpiry = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> markerCounts = new ConcurrentHashMap<>();

  Engine(SimulatorConfig config, Ledger ledger) {
    this.config = config;
    this.prices = config.priceTable();
    this.ledger = ledger;
    this.random = new Random(config.seed());
    this.signingKey = ("agentyard-simulator-" + config.seed()).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Faults that override every model's own rates while set (a provider-wide storm); empty = none.
   */
  private volatile Map<FaultKind, Double> storm = Map.of();

  void storm(Map<FaultKind, Double> rates) {
    storm = Map.copyOf(rates);
  }

  /** A fresh id with a prefix, e.g. {@code toolu_sim_7}. */
  String id(String prefix) {
    return prefix + ids.incrementAndGet();
  }

  Result handle(String api, Conversation c, String requestId) throws InterruptedException {
    ModelBehaviour mb = config.models().get(c.model());
    if (mb == null) {
      return new UnknownModel(c.model());
    }
    Thread.sleep(latency(mb).toMillis());
    String providerRequestId = id("req_sim_");

    FaultKind fault = markedFault(c);
    if (fault == null) {
      fault = randomFault(mb);
    }
    long total = TokenCounter.count(c.allText());
    if (fault == null && total > mb.contextWindow()) {
      fault = FaultKind.CONTEXT_LENGTH;
    }
    if (fault != null && fault.breaksStream() && !c.stream()) {
      fault = FaultKind.RESET; // a broken stream without a stream: the connection just ends
    }
    if (fault != null && !fault.answered() && !fault.breaksStream()) {
      ledger.record(
          api,
          c.model(),
          status(fault),
          fault.name(),
          new Usage(0, 0, 0, 0, 0, 0),
          requestId,
          providerRequestId);
      return new Failure(
          fault,
          mb.retryAfter(),
          message(fault, total, c, mb),
          fault == FaultKind.TIMEOUT ? mb.timeoutDelay() : Duration.ZERO,
          providerRequestId);
    }

    Usage inputSide = cache(api, c, total, mb);
    Script script = config.scriptFor(c.systemText());
    List<Block> blocks = new ArrayList<>();
    StopReason stop;
    String finalText =
        Figures.fill(
            script.finalAnswerFor(c.firstUserText(), config.seed()),
            ObedientModel.document(c.firstUserText()));
    Script.ToolStep step = script.step(c.toolTurns(), c.firstUserText(), config.seed());
    if (config.obedient()) {
      // does what the document says: its tools first, one a turn, then the answer it asks for
      String document = ObedientModel.document(c.firstUserText());
      List<String> asked = ObedientModel.tools(document);
      step =
          c.toolTurns() < asked.size()
              ? new Script.ToolStep(asked.get(c.toolTurns()), "{\"approved\":true}")
              : null;
      finalText = ObedientModel.answer(finalText, document);
    }
    if (fault == FaultKind.REFUSAL) {
      blocks.add(new Text("I can't help with that request."));
      stop = StopReason.REFUSAL;
    } else if (fault == FaultKind.PAUSE) {
      blocks.add(new Text("Working through the document; continuing."));
      stop = StopReason.PAUSE_TURN;
    } else if (fault == FaultKind.WINDOW || fault == FaultKind.TRUNCATE) {
      blocks.add(new Text(finalText.substring(0, finalText.length() / 2)));
      stop =
          fault == FaultKind.WINDOW
              ? StopReason.MODEL_CONTEXT_WINDOW_EXCEEDED
              : StopReason.MAX_TOKENS;
    } else if (step != null) {
      stop = StopReason.TOOL_USE;
      Script.ToolStep second =
          c.firstUserText().contains(PARALLEL_TOOLS)
              ? script.step(c.toolTurns() + 1, c.firstUserText(), config.seed())
              : null;
      if (second != null) {
        blocks.add(new Text("I will run " + step.tool() + " and " + second.tool() + "."));
      }
      blocks.add(new ToolCall(id("toolu_sim_"), step.tool(), step.inputJson()));
      if (second != null) {
        blocks.add(new ToolCall(id("toolu_sim_"), second.tool(), second.inputJson()));
      }
    } else {
      stop = StopReason.END_TURN;
      blocks.add(new Text(finalText));
    }
    if (c.thinkingBudget() > 0 && api.equals(ProviderSimulator.ANTHROPIC)) {
      String thinking =
          "Turn "
              + (c.toolTurns() + 1)
              + ": reading what the tools returned and deciding "
              + (stop == StopReason.TOOL_USE ? "which tool to call next." : "the answer.");
      blocks.addFirst(new Thinking(thinking, sign(thinking)));
      if (c.firstUserText().contains(REDACTED_THINKING)) {
        blocks.add(1, new RedactedThinking(redactedData()));
      }
    }
    long output = 0;
    for (Block b : blocks) {
      output += tokens(b);
    }
    if (output > c.maxTokens()) {
      // the answer is cut off where the token budget ends, as a real model's is
      output = c.maxTokens();
      stop = StopReason.MAX_TOKENS;
      blocks.removeIf(b -> b instanceof ToolCall || b instanceof Text);
      blocks.add(
          new Text(finalText.substring(0, (int) Math.min(finalText.length(), c.maxTokens() * 4))));
    }
    FaultKind broken = fault != null && fault.breaksStream() ? fault : null;
    if (broken != null) {
      output = tokens(blocks.getFirst()); // billed for what was streamed before the break
    }
    long cost =
        prices
            .cost(
                c.model(),
                BilledTokens.ofEvent(
                    inputSide.input(),
                    output,
                    inputSide.cacheRead(),
                    inputSide.cacheWrite(),
                    inputSide.cacheWrite1h()),
                PriceTable.STANDARD)
            .orElseThrow(() -> new IllegalStateException("no price for " + c.model()));
    Usage usage =
        new Usage(
            inputSide.input(),
            output,
            inputSide.cacheRead(),
            inputSide.cacheWrite(),
            inputSide.cacheWrite1h(),
            cost);
    ledger.record(
        api,
        c.model(),
        200,
        broken != null ? broken.name() : stop.name(),
        usage,
        requestId,
        providerRequestId);
    return new Answer(blocks, stop, usage, providerRequestId, broken);
  }

  private static long tokens(Block b) {
    return switch (b) {
      case ToolCall t -> TokenCounter.count(t.tool() + t.inputJson()) + 10;
      case RedactedThinking r -> 16; // hidden thinking is billed too
      default -> TokenCounter.count(b.generated());
    };
  }

  /** The signature of a thinking block: what the API checks when the block comes back. */
  String sign(String thinking) {
    return Base64.getEncoder().encodeToString(hmac(thinking));
  }

  /** True when {@code data} is a redacted_thinking payload this simulator produced. */
  boolean validRedacted(String data) {
    int dot = data.lastIndexOf('.');
    return dot > 0
        && Base64.getEncoder()
            .encodeToString(hmac(data.substring(0, dot)))
            .equals(data.substring(dot + 1));
  }

  private String redactedData() {
    String payload =
        Base64.getEncoder()
            .encodeToString(("redacted-" + ids.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
    return payload + "." + Base64.getEncoder().encodeToString(hmac(payload));
  }

  private byte[] hmac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Prompt caching. Anthropic: the marked prefix, when at least the model's minimum, is written to
   * the cache on a miss (billed as cache writes of the lifetime asked, 5 minutes or 1 hour) and
   * read on a hit (cache reads); a hit refreshes the lifetime. OpenAI: automatic for prefixes of at
   * least the minimum, in 128-token steps, reads only (writes are free).
   */
  private Usage cache(String api, Conversation c, long total, ModelBehaviour mb) {
    long prefix = c.cacheablePrefix().isEmpty() ? 0 : TokenCounter.count(c.cacheablePrefix());
    if (prefix < mb.cacheMinTokens() || prefix == 0) {
      return new Usage(total, 0, 0, 0, 0, 0);
    }
    String key = api + "|" + c.model() + "|" + sha256(c.cacheablePrefix());
    boolean oneHour = c.cacheTtl().equals("1h") && api.equals(ProviderSimulator.ANTHROPIC);
    Duration ttl = oneHour ? Duration.ofHours(1) : config.cacheTtl();
    long now = System.nanoTime();
    Long expiry = cacheExpiry.get(key);
    boolean hit = expiry != null && expiry > now;
    cacheExpiry.merge(key, now + ttl.toNanos(), Math::max);
    if (api.equals(ProviderSimulator.OPENAI)) {
      long cached = hit ? prefix / 128 * 128 : 0;
      return new Usage(total - cached, 0, cached, 0, 0, 0);
    }
    return hit
        ? new Usage(total - prefix, 0, prefix, 0, 0, 0)
        : new Usage(total - prefix, 0, 0, prefix, oneHour ? prefix : 0, 0);
  }

  private FaultKind markedFault(Conversation c) {
    Matcher m = MARKER.matcher(c.firstUserText());
    while (m.find()) {
      FaultKind kind;
      try {
        kind = FaultKind.fromMarker(m.group(1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (m.group(3) != null && !m.group(3).equals(c.model())) {
        continue;
      }
      int n = m.group(2) == null ? Integer.MAX_VALUE : Integer.parseInt(m.group(2));
      int seen =
          markerCounts
              .computeIfAbsent(
                  sha256(c.firstUserText()) + "|" + m.group(), k -> new AtomicInteger())
              .incrementAndGet();
      if (seen <= n) {
        return kind;
      }
    }
    return null;
  }

  private FaultKind randomFault(ModelBehaviour mb) {
    Map<FaultKind, Double> rates = storm.isEmpty() ? mb.faultRates() : storm;
    if (rates.isEmpty()) {
      return null;
    }
    double r;
    synchronized (random) {
      r = random.nextDouble();
    }
    double acc = 0;
    for (FaultKind k : FaultKind.values()) {
      acc += rates.getOrDefault(k, 0.0);
      if (r < acc) {
        return k;
      }
    }
    return null;
  }

  private Duration latency(ModelBehaviour mb) {
    long jitter = mb.jitter().toMillis();
    long j;
    synchronized (random) {
      j = jitter == 0 ? 0 : random.nextLong(-jitter, jitter + 1);
    }
    return Duration.ofMillis(Math.max(0, mb.latency().toMillis() + j));
  }

  static int status(FaultKind k) {
    return switch (k) {
      case RATE_LIMIT -> 429;
      case SERVER_ERROR -> 500;
      case UNAVAILABLE -> 503;
      case OVERLOADED -> 529;
      case CONTEXT_LENGTH, CONTEXT_LIMIT -> 400;
      case QUOTA, BILLING -> 0; // the API layer picks its provider's status
      case REQUEST_TIMEOUT -> 408;
      case CONFLICT -> 409;
      case MALFORMED, REFUSAL, ERROR_IN_200, STREAM_ERROR, STREAM_CUT, PAUSE, WINDOW, TRUNCATE ->
          200;
      case TIMEOUT, RESET -> 0;
    };
  }

  private static String message(FaultKind k, long total, Conversation c, ModelBehaviour mb) {
    return switch (k) {
      case RATE_LIMIT -> "Rate limit exceeded; retry after " + mb.retryAfter().toSeconds() + " s";
      case SERVER_ERROR -> "Internal server error";
      case UNAVAILABLE -> "Service unavailable";
      case OVERLOADED, ERROR_IN_200 -> "Overloaded";
      case CONTEXT_LENGTH ->
          "prompt is too long: " + total + " tokens > " + mb.contextWindow() + " maximum";
      case CONTEXT_LIMIT ->
          "input length and `max_tokens` exceed context limit: "
              + total
              + " + "
              + c.maxTokens()
              + " > "
              + mb.contextWindow()
              + ", decrease input length or `max_tokens` and try again";
      case REQUEST_TIMEOUT -> "Request timed out";
      case CONFLICT -> "Conflict: the request could not be completed, try again";
      default -> k.name();
    };
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
