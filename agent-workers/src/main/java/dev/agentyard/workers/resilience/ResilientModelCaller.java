package dev.agentyard.workers.resilience;

import dev.agentyard.avro.CallOutcome;
import dev.agentyard.workers.provider.ChatRequest;
import dev.agentyard.workers.provider.ChatResponse;
import dev.agentyard.workers.provider.Disposition;
import dev.agentyard.workers.provider.ModelClient;
import dev.agentyard.workers.provider.ProviderException;
import dev.agentyard.workers.provider.TokenUsage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Makes one agent-loop turn's model call through the route's model chain, with the policy of
 * docs/architecture.md (error taxonomy), built from Resilience4j parts:
 *
 * <ul>
 *   <li>a circuit breaker per provider+model on failure rate: an open breaker skips the model;
 *   <li>rate limiters per provider (requests and estimated tokens per minute), reserved without
 *       blocking a thread: the call is scheduled when its permits are due;
 *   <li>a transient failure (429, 5xx, timeout, reset, malformed answer) is retried on the same
 *       model after a randomized exponential backoff, or after the provider's retry-after when it
 *       is short; then the next model of the chain serves (fallback);
 *   <li>a context-length error goes to the next model with a larger context window;
 *   <li>other errors (bad request) fail at once; a refusal is an answer, returned as such.
 * </ul>
 *
 * Every call that is sent is reported to the turn's listener, success or not, so every call has a
 * usage event. When no model could serve, the future fails with the last {@link ProviderException}.
 */
public final class ResilientModelCaller {

  /** What served the turn. */
  public record Served(ChatResponse response, ModelRef model, boolean fallback) {}

  private final Map<String, ModelClient> clients;
  private final ResilienceSettings settings;
  private final CircuitBreakerRegistry breakers;
  private final RateLimiterRegistry limiters;
  private final IntervalFunction backoff;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final SkipListener skips;
  private final PauseListener pauses;
  private final Map<String, Instant> paused = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Told about every attempt: before it is sent (the attempt waits for the returned stage, so a
   * journal can record it first) and when it ended, answered or not.
   */
  @FunctionalInterface
  public interface CallListener {

    /** Called before an attempt is sent; it is sent once the stage completes normally. */
    default CompletionStage<Void> sending(
        String attemptId, int attempt, ModelRef model, boolean fallback, ChatRequest request) {
      return CompletableFuture.completedFuture(null);
    }

    /**
     * Every attempt that was sent, when it ended.
     *
     * @param response the answer, or null when the attempt failed
     */
    void ended(CallAttempt call, ChatResponse response);
  }

  /** Told when a provider is paused because its quota or credit ran out: raise an alert. */
  @FunctionalInterface
  public interface PauseListener {
    void paused(String provider, Instant until, ProviderException why);
  }

  /** Told when a model is skipped without a call (breaker open or throttled). */
  @FunctionalInterface
  public interface SkipListener {
    void skipped(ModelRef model, ProviderException.Kind why);
  }

  public ResilientModelCaller(
      Map<String, ModelClient> clientsByProvider,
      ResilienceSettings settings,
      ScheduledExecutorService scheduler,
      Clock clock,
      SkipListener skips) {
    this(clientsByProvider, settings, scheduler, clock, skips, (p, until, why) -> {});
  }

  public ResilientModelCaller(
      Map<String, ModelClient> clientsByProvider,
      ResilienceSettings settings,
      ScheduledExecutorService scheduler,
      Clock clock,
      SkipListener skips,
      PauseListener pauses) {
    this.pauses = pauses;
    this.clients = Map.copyOf(clientsByProvider);
    this.settings = settings;
    this.scheduler = scheduler;
    this.clock = clock;
    this.skips = skips;
    this.breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(settings.breakerMinimumCalls())
                .failureRateThreshold(settings.breakerFailureRate())
                .waitDurationInOpenState(settings.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(3)
                // bad requests and context-length errors say nothing about the model's health
                .recordException(
                    e -> e instanceof ProviderException p && p.kind().countsAgainstBreaker())
                .clock(clock)
                .build());
    this.limiters = RateLimiterRegistry.of(RateLimiterConfig.ofDefaults());
    this.backoff = IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff(), 2.0, 0.5);
  }

  /** Until when a provider is paused (its quota or credit ran out); empty when it is not. */
  public java.util.Optional<Instant> pausedUntil(String provider) {
    Instant until = paused.get(provider);
    return until != null && clock.instant().isBefore(until)
        ? java.util.Optional.of(until)
        : java.util.Optional.empty();
  }

  /** The breakers, e.g. to bind their metrics. */
  public CircuitBreakerRegistry breakers() {
    return breakers;
  }

  public CircuitBreaker breaker(ModelRef model) {
    return breakers.circuitBreaker(model.id());
  }

  /**
   * Calls the chain for one turn.
   *
   * @param chain the route's models, primary first
   * @param request the request for the primary (re-addressed for fallbacks)
   * @param listener told before each attempt is sent, and when it ended
   */
  public CompletableFuture<Served> call(
      List<ModelRef> chain, ChatRequest request, CallListener listener) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a model chain needs at least one model");
    }
    Turn turn = new Turn(chain, request, listener);
    turn.tryModel(0, 1);
    return turn.result;
  }

  /** The state of one turn's walk down the chain. */
  private final class Turn {
    final List<ModelRef> chain;
    final ChatRequest request;
    final CallListener listener;
    final CompletableFuture<Served> result = new CompletableFuture<>();
    int attempt;
    ProviderException last;

    Turn(List<ModelRef> chain, ChatRequest request, CallListener listener) {
      this.chain = chain;
      this.request = request;
      this.listener = listener;
    }

    void tryModel(int index, int sameModelAttempt) {
      if (index >= chain.size()) {
        result.completeExceptionally(
            last != null
                ? last
                : new ProviderException(
                    ProviderException.Kind.CIRCUIT_OPEN,
                    0,
                    "no model in the chain could be called"));
        return;
      }
      ModelRef ref = chain.get(index);
      ModelClient client = clients.get(ref.provider());
      if (client == null) {
        last =
            new ProviderException(
                ProviderException.Kind.BAD_REQUEST, 0, "no client for provider " + ref.provider());
        tryModel(index + 1, 1);
        return;
      }
      Instant pausedUntil = paused.get(ref.provider());
      if (pausedUntil != null && clock.instant().isBefore(pausedUntil)) {
        skip(
            ref,
            ProviderException.Kind.QUOTA_EXHAUSTED,
            ref.provider() + " is paused until " + pausedUntil + ": its quota or credit ran out");
        tryModel(index + 1, 1);
        return;
      }
      CircuitBreaker breaker = breaker(ref);
      if (!breaker.tryAcquirePermission()) {
        skip(
            ref,
            ProviderException.Kind.CIRCUIT_OPEN,
            "circuit breaker of " + ref.id() + " is " + breaker.getState());
        tryModel(index + 1, 1);
        return;
      }
      long wait = reserve(ref.provider(), request);
      if (wait < 0) {
        breaker.releasePermission();
        skip(
            ref,
            ProviderException.Kind.THROTTLED,
            "rate limit of " + ref.provider() + " exhausted");
        tryModel(index + 1, 1);
        return;
      }
      if (wait > 0) {
        scheduler.schedule(
            () -> send(index, sameModelAttempt, ref, client, breaker), wait, TimeUnit.NANOSECONDS);
      } else {
        send(index, sameModelAttempt, ref, client, breaker);
      }
    }

    void skip(ModelRef ref, ProviderException.Kind kind, String why) {
      skips.skipped(ref, kind);
      last = new ProviderException(kind, 0, why);
    }

    void send(
        int index, int sameModelAttempt, ModelRef ref, ModelClient client, CircuitBreaker breaker) {
      int number = ++attempt;
      boolean fallback = index > 0;
      String attemptId = UUID.randomUUID().toString();
      ChatRequest addressed = request.forAttempt(ref.model(), attemptId);
      CompletionStage<Void> ready;
      try {
        ready = listener.sending(attemptId, number, ref, fallback, addressed);
      } catch (RuntimeException e) {
        ready = CompletableFuture.failedFuture(e);
      }
      ready.whenComplete(
          (v, notRecorded) -> {
            if (notRecorded != null) {
              // not sent: what could not be recorded must not be paid for
              breaker.releasePermission();
              result.completeExceptionally(notRecorded);
            } else {
              dispatch(index, sameModelAttempt, ref, client, breaker, number, fallback, addressed);
            }
          });
    }

    void dispatch(
        int index,
        int sameModelAttempt,
        ModelRef ref,
        ModelClient client,
        CircuitBreaker breaker,
        int number,
        boolean fallback,
        ChatRequest addressed) {
      String attemptId = addressed.requestId();
      Instant started = clock.instant();
      long t0 = System.nanoTime();
      CompletableFuture<ChatResponse> call;
      try {
        call = client.chat(addressed);
      } catch (RuntimeException e) {
        call = CompletableFuture.failedFuture(e);
      }
      call.whenComplete(
          (response, error) -> {
            long nanos = System.nanoTime() - t0;
            Instant completed = clock.instant();
            if (error == null) {
              breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
              CallOutcome outcome =
                  response.finish() == ChatResponse.Finish.REFUSAL
                      ? CallOutcome.CONTENT_REFUSAL
                      : CallOutcome.SUCCESS;
              report(
                  new CallAttempt(
                      attemptId,
                      ref,
                      chain.get(0).model(),
                      number,
                      fallback,
                      outcome,
                      response.usage(),
                      response.httpStatus(),
                      null,
                      started,
                      completed,
                      response.providerRequestId(),
                      response.stopReason(),
                      response.serviceTier() == null
                          ? addressed.options().serviceTier()
                          : response.serviceTier(),
                      response.usageEstimated()),
                  response);
              result.complete(new Served(response, ref, fallback));
              return;
            }
            ProviderException e = asProviderException(error);
            breaker.onError(nanos, TimeUnit.NANOSECONDS, e);
            report(
                new CallAttempt(
                    attemptId,
                    ref,
                    chain.get(0).model(),
                    number,
                    fallback,
                    outcome(e.kind()),
                    e.partialUsage().orElse(TokenUsage.ZERO),
                    e.httpStatus(),
                    e.getMessage(),
                    started,
                    completed,
                    e.providerRequestId().orElse(null),
                    null,
                    addressed.options().serviceTier(),
                    e.partialUsage().isPresent()),
                null);
            last = e;
            decideNext(index, sameModelAttempt, ref, e);
          });
    }

    void report(CallAttempt a, ChatResponse response) {
      try {
        listener.ended(a, response);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }

    void decideNext(int index, int sameModelAttempt, ModelRef ref, ProviderException e) {
      if (result.isDone()) {
        return;
      }
      switch (Disposition.of(e)) {
        case LARGER_CONTEXT_MODEL -> {
          for (int i = index + 1; i < chain.size(); i++) {
            if (chain.get(i).contextWindow() > ref.contextWindow()) {
              tryModel(i, 1);
              return;
            }
          }
          result.completeExceptionally(e);
        }
        case PAUSE_PROVIDER -> {
          // no call to this provider can succeed until a person acts: pause it, try the others
          Instant until = clock.instant().plus(settings.quotaPause());
          paused.put(ref.provider(), until);
          pauses.paused(ref.provider(), until, e);
          tryModel(index + 1, 1);
        }
        case RETRY_SAME_MODEL -> {
          Duration retryAfter = e.retryAfter().orElse(null);
          boolean retrySame =
              sameModelAttempt < settings.attemptsPerModel()
                  && (retryAfter == null || retryAfter.compareTo(settings.maxRetryAfter()) <= 0);
          if (retrySame) {
            long delay =
                Math.max(
                    backoff.apply(sameModelAttempt),
                    retryAfter == null ? 0 : retryAfter.toMillis());
            scheduler.schedule(
                () -> tryModel(index, sameModelAttempt + 1), delay, TimeUnit.MILLISECONDS);
          } else if (e.kind() == ProviderException.Kind.BAD_REQUEST) {
            result.completeExceptionally(e);
          } else {
            tryModel(index + 1, 1);
          }
        }
        case NEXT_MODEL -> tryModel(index + 1, 1); // another model or credential may serve
        default -> result.completeExceptionally(e);
      }
    }
  }

  private long reserve(String provider, ChatRequest request) {
    ResilienceSettings.RateLimits limits = settings.limits(provider);
    long requestsWait = 0;
    if (limits.requestsPerMinute() > 0) {
      requestsWait =
          limiter(provider + ":requests", limits.requestsPerMinute()).reservePermission(1);
      if (requestsWait < 0) {
        return -1;
      }
    }
    long tokensWait = 0;
    if (limits.tokensPerMinute() > 0) {
      int perSecond = perSecond(limits.tokensPerMinute());
      // a request larger than a whole minute's budget waits for a minute of permits, not forever
      int permits = (int) Math.min(request.estimatedInputTokens(), (long) perSecond * 60);
      tokensWait =
          limiter(provider + ":tokens", limits.tokensPerMinute())
              .reservePermission(Math.max(1, permits));
      if (tokensWait < 0) {
        return -1;
      }
    }
    return Math.max(requestsWait, tokensWait);
  }

  private RateLimiter limiter(String name, int perMinute) {
    // refilled every second rather than once a minute, so the budget is spread instead of spent in
    // a burst
    return limiters.rateLimiter(
        name,
        () ->
            RateLimiterConfig.custom()
                .limitForPeriod(perSecond(perMinute))
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(settings.maxThrottleWait())
                .build());
  }

  /** The rate limiters, e.g. to bind their metrics. */
  public RateLimiterRegistry rateLimiters() {
    return limiters;
  }

  private static int perSecond(int perMinute) {
    return Math.max(1, (perMinute + 59) / 60);
  }

  static ProviderException asProviderException(Throwable error) {
    Throwable e = ProviderException.unwrap(error);
    if (e instanceof ProviderException p) {
      return p;
    }
    return new ProviderException(
        ProviderException.Kind.CONNECTION,
        0,
        null,
        "model call failed: " + e.getClass().getSimpleName(),
        e);
  }

  static CallOutcome outcome(ProviderException.Kind kind) {
    return switch (kind) {
      case RATE_LIMITED -> CallOutcome.RATE_LIMITED;
      case SERVER_ERROR -> CallOutcome.SERVER_ERROR;
      case TIMEOUT -> CallOutcome.TIMEOUT;
      case CONNECTION -> CallOutcome.CONNECTION_ERROR;
      case MALFORMED_RESPONSE -> CallOutcome.MALFORMED_RESPONSE;
      case CONTEXT_LENGTH -> CallOutcome.CONTEXT_LENGTH_EXCEEDED;
      case CIRCUIT_OPEN -> CallOutcome.CIRCUIT_OPEN;
      case QUOTA_EXHAUSTED -> CallOutcome.QUOTA_EXHAUSTED;
      default -> CallOutcome.OTHER;
    };
  }
}
