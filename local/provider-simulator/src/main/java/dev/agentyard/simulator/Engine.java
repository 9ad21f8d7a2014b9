package dev.agentyard.simulator;

import dev.agentyard.runtime.pricing.PriceTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what a simulated model answers, provider-neutrally: the fault (from a prompt marker or at
 * random), the scripted tool call or final answer, the tokens (counted from the request, with
 * prompt caching of the cacheable prefix), and the bill, which goes to the {@link Ledger}.
 */
final class Engine {

  /** What the engine decided. */
  sealed interface Result {}

  /** An answer: a tool call or final text, with usage. */
  record Answer(String text, Script.ToolStep toolCall, StopReason stop, Usage usage)
      implements Result {}

  /** A failure the API layer renders in its provider's format. */
  record Failure(FaultKind kind, Duration retryAfter, String message, Duration hang)
      implements Result {}

  /** The model is not one the simulator serves. */
  record UnknownModel(String model) implements Result {}

  /** Why the model stopped. */
  enum StopReason {
    END_TURN,
    TOOL_USE,
    MAX_TOKENS,
    REFUSAL
  }

  /** Billed tokens and cost; input excludes cache reads and writes. */
  record Usage(long input, long output, long cacheRead, long cacheWrite, long costMicroUsd) {}

  /**
   * {@code [[sim:503]]}, {@code [[sim:429x2]]} (first 2 calls only), {@code
   * [[sim:529@claude-sonnet-4-5]]} (that model only).
   */
  static final Pattern MARKER =
      Pattern.compile("\\[\\[sim:([a-z0-9-]+?)(?:x(\\d+))?(?:@([A-Za-z0-9._:-]+))?]]");

  private final SimulatorConfig config;
  private final PriceTable prices;
  private final Ledger ledger;
  private final Random random;
  private final Map<String, Long> cacheExpiry = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> markerCounts = new ConcurrentHashMap<>();

  Engine(SimulatorConfig config, Ledger ledger) {
    this.config = config;
    this.prices = config.priceTable();
    this.ledger = ledger;
    this.random = new Random(config.seed());
  }

  /**
   * Faults that override every model's own rates while set (a provider-wide storm); empty = none.
   */
  private volatile Map<FaultKind, Double> storm = Map.of();

  void storm(Map<FaultKind, Double> rates) {
    storm = Map.copyOf(rates);
  }

  Result handle(String api, Conversation c, String requestId) throws InterruptedException {
    ModelBehaviour mb = config.models().get(c.model());
    if (mb == null) {
      return new UnknownModel(c.model());
    }
    Thread.sleep(latency(mb).toMillis());

    FaultKind fault = markedFault(c);
    if (fault == null) {
      fault = randomFault(mb);
    }
    long total = TokenCounter.count(c.allText());
    if (fault == null && total > mb.contextWindow()) {
      fault = FaultKind.CONTEXT_LENGTH;
    }
    if (fault != null && fault != FaultKind.REFUSAL) {
      ledger.record(api, c.model(), status(fault), fault.name(), 0, 0, 0, 0, 0, requestId);
      return new Failure(
          fault,
          mb.retryAfter(),
          message(fault, total, mb),
          fault == FaultKind.TIMEOUT ? mb.timeoutDelay() : Duration.ZERO);
    }

    Usage inputSide = cache(api, c, total);
    Script script = config.scriptFor(c.systemText());
    String text = null;
    Script.ToolStep call = null;
    StopReason stop;
    long output;
    if (fault == FaultKind.REFUSAL) {
      text = "I can't help with that request.";
      stop = StopReason.REFUSAL;
      output = TokenCounter.count(text);
    } else {
      call = script.step(c.assistantTurns(), c.firstUserText(), config.seed());
      if (call != null) {
        stop = StopReason.TOOL_USE;
        output = TokenCounter.count(call.tool() + call.inputJson()) + 10;
      } else {
        text = script.finalAnswerFor(c.firstUserText(), config.seed());
        stop = StopReason.END_TURN;
        output = TokenCounter.count(text);
      }
      if (output > c.maxTokens()) {
        // the answer is cut off where the token budget ends, as a real model's is
        output = c.maxTokens();
        stop = StopReason.MAX_TOKENS;
        call = null;
        String full = text == null ? script.finalAnswerFor(c.firstUserText(), config.seed()) : text;
        text = full.substring(0, (int) Math.min(full.length(), Math.max(0, c.maxTokens() * 4)));
      }
    }
    long cost =
        prices
            .cost(
                c.model(), inputSide.input(), output, inputSide.cacheRead(), inputSide.cacheWrite())
            .orElseThrow(() -> new IllegalStateException("no price for " + c.model()));
    Usage usage =
        new Usage(inputSide.input(), output, inputSide.cacheRead(), inputSide.cacheWrite(), cost);
    ledger.record(
        api,
        c.model(),
        200,
        stop.name(),
        usage.input(),
        usage.output(),
        usage.cacheRead(),
        usage.cacheWrite(),
        cost,
        requestId);
    return new Answer(text, call, stop, usage);
  }

  /**
   * Prompt caching. Anthropic: the marked prefix is written to the cache on a miss (billed as cache
   * writes) and read on a hit (cache reads). OpenAI: automatic for prefixes of at least the
   * minimum, in 128-token steps, reads only (writes are free).
   */
  private Usage cache(String api, Conversation c, long total) {
    long prefix = c.cacheablePrefix().isEmpty() ? 0 : TokenCounter.count(c.cacheablePrefix());
    if (prefix < config.cacheMinTokens() || prefix == 0) {
      return new Usage(total, 0, 0, 0, 0);
    }
    String key = api + "|" + c.model() + "|" + sha256(c.cacheablePrefix());
    long now = System.nanoTime();
    Long expiry = cacheExpiry.get(key);
    boolean hit = expiry != null && expiry > now;
    cacheExpiry.put(
        key, now + config.cacheTtl().toNanos()); // a hit refreshes the TTL, as providers do
    if (api.equals(ProviderSimulator.OPENAI)) {
      long cached = hit ? prefix / 128 * 128 : 0;
      return new Usage(total - cached, 0, cached, 0, 0);
    }
    return hit
        ? new Usage(total - prefix, 0, prefix, 0, 0)
        : new Usage(total - prefix, 0, 0, prefix, 0);
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
      case CONTEXT_LENGTH -> 400;
      case MALFORMED, REFUSAL -> 200;
      case TIMEOUT, RESET -> 0;
    };
  }

  private static String message(FaultKind k, long total, ModelBehaviour mb) {
    return switch (k) {
      case RATE_LIMIT -> "Rate limit exceeded; retry after " + mb.retryAfter().toSeconds() + " s";
      case SERVER_ERROR -> "Internal server error";
      case UNAVAILABLE -> "Service unavailable";
      case OVERLOADED -> "Overloaded";
      case CONTEXT_LENGTH ->
          "prompt is too long: " + total + " tokens > " + mb.contextWindow() + " maximum";
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
