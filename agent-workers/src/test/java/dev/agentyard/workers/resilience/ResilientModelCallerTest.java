package dev.agentyard.workers.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ModelTier;
import dev.agentyard.workers.agent.ScriptedModelClient;
import dev.agentyard.workers.provider.ChatRequest;
import dev.agentyard.workers.provider.Message;
import dev.agentyard.workers.provider.ProviderException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResilientModelCallerTest {

  /**
   * The calling policy of these tests: backoffs of a millisecond, retry-after waits up to a second,
   * a breaker at 50 % that stays open for the test, no waiting for rate-limit permits.
   */
  static ResilienceSettings.Builder fastPolicy() {
    return ResilienceSettings.builder()
        .initialBackoff(Duration.ofMillis(1))
        .maxRetryAfter(Duration.ofSeconds(1))
        .breakerFailureRate(50f)
        .breakerOpenFor(Duration.ofMinutes(5))
        .maxThrottleWait(Duration.ZERO);
  }

  static final ModelRef PRIMARY = new ModelRef("a", "primary", 100_000, ModelTier.SMALL);
  static final ModelRef FALLBACK = new ModelRef("b", "fallback", 100_000, ModelTier.MEDIUM);
  final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  final List<String> skipped = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  static ChatRequest request() {
    return new ChatRequest("primary", "sys", List.of(Message.user("hi")), List.of(), 100);
  }

  @Test
  void theBreakerOpensOnFailureRateAndThenTheFallbackServesWithoutCallingThePrimary()
      throws Exception {
    ScriptedModelClient failing =
        new ScriptedModelClient(
            "a", r -> new ProviderException(ProviderException.Kind.SERVER_ERROR, 500, "boom"));
    ScriptedModelClient healthy =
        new ScriptedModelClient("b", r -> ScriptedModelClient.text(r.model(), "ok"));
    ResilientModelCaller caller =
        new ResilientModelCaller(
            Map.of("a", failing, "b", healthy),
            fastPolicy().attemptsPerModel(1).breakerWindow(4).breakerMinimumCalls(4).build(),
            scheduler,
            Clock.systemUTC(),
            (m, k) -> skipped.add(m.id() + ":" + k));

    for (int i = 0; i < 4; i++) {
      List<CallAttempt> calls = new ArrayList<>();
      ResilientModelCaller.Served s =
          caller
              .call(List.of(PRIMARY, FALLBACK), request(), (c, r) -> calls.add(c))
              .get(5, TimeUnit.SECONDS);
      assertThat(s.model()).isEqualTo(FALLBACK);
      assertThat(calls)
          .extracting(CallAttempt::outcome)
          .containsExactly(CallOutcome.SERVER_ERROR, CallOutcome.SUCCESS);
    }
    assertThat(caller.breaker(PRIMARY).getState()).isEqualTo(CircuitBreaker.State.OPEN);

    List<CallAttempt> calls = new ArrayList<>();
    ResilientModelCaller.Served s =
        caller
            .call(List.of(PRIMARY, FALLBACK), request(), (c, r) -> calls.add(c))
            .get(5, TimeUnit.SECONDS);

    assertThat(s.fallback()).isTrue();
    assertThat(calls).extracting(CallAttempt::outcome).containsExactly(CallOutcome.SUCCESS);
    assertThat(failing.requests)
        .hasSize(4); // the open breaker kept the fifth call away from the primary
    assertThat(skipped).containsExactly("a:primary:CIRCUIT_OPEN");
  }

  @Test
  void badRequestsDoNotCountAgainstTheBreakerAndAreNotRetried() throws Exception {
    ScriptedModelClient bad =
        new ScriptedModelClient(
            "a", r -> new ProviderException(ProviderException.Kind.BAD_REQUEST, 400, "no"));
    ResilientModelCaller caller =
        new ResilientModelCaller(
            Map.of("a", bad),
            fastPolicy().attemptsPerModel(3).breakerWindow(2).breakerMinimumCalls(2).build(),
            scheduler,
            Clock.systemUTC(),
            (m, k) -> {});

    for (int i = 0; i < 3; i++) {
      List<CallAttempt> calls = new ArrayList<>();
      Throwable t =
          caller
              .call(List.of(PRIMARY), request(), (c, r) -> calls.add(c))
              .handle((v, e) -> e)
              .get(5, TimeUnit.SECONDS);
      assertThat(((ProviderException) t).kind()).isEqualTo(ProviderException.Kind.BAD_REQUEST);
      assertThat(calls).hasSize(1);
    }
    assertThat(caller.breaker(PRIMARY).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void aLongRetryAfterFallsBackAtOnceInsteadOfWaiting() throws Exception {
    ScriptedModelClient limited =
        new ScriptedModelClient(
            "a",
            r ->
                new ProviderException(
                    ProviderException.Kind.RATE_LIMITED,
                    429,
                    Duration.ofMinutes(2),
                    "slow down",
                    null));
    ScriptedModelClient healthy =
        new ScriptedModelClient("b", r -> ScriptedModelClient.text(r.model(), "ok"));
    ResilientModelCaller caller =
        new ResilientModelCaller(
            Map.of("a", limited, "b", healthy),
            fastPolicy()
                .attemptsPerModel(3)
                .maxRetryAfter(Duration.ofSeconds(5))
                .breakerWindow(20)
                .breakerMinimumCalls(20)
                .build(),
            scheduler,
            Clock.systemUTC(),
            (m, k) -> {});

    List<CallAttempt> calls = new ArrayList<>();
    ResilientModelCaller.Served s =
        caller
            .call(List.of(PRIMARY, FALLBACK), request(), (c, r) -> calls.add(c))
            .get(5, TimeUnit.SECONDS);

    assertThat(s.model()).isEqualTo(FALLBACK);
    assertThat(limited.requests).hasSize(1);
  }

  @Test
  void aProviderRateLimitThrottlesWithoutSendingAndTheNextProviderServes() throws Exception {
    ScriptedModelClient a =
        new ScriptedModelClient("a", r -> ScriptedModelClient.text(r.model(), "ok"));
    ScriptedModelClient b =
        new ScriptedModelClient("b", r -> ScriptedModelClient.text(r.model(), "ok"));
    // 60 requests a minute = 1 a second, and no waiting for a permit
    ResilientModelCaller caller =
        new ResilientModelCaller(
            Map.of("a", a, "b", b),
            fastPolicy()
                .attemptsPerModel(1)
                .breakerWindow(20)
                .breakerMinimumCalls(20)
                .providerLimits(Map.of("a", new ResilienceSettings.RateLimits(60, 0)))
                .build(),
            scheduler,
            Clock.systemUTC(),
            (m, k) -> skipped.add(m.id() + ":" + k));

    ResilientModelCaller.Served first =
        caller.call(List.of(PRIMARY, FALLBACK), request(), (c, r) -> {}).get(5, TimeUnit.SECONDS);
    ResilientModelCaller.Served second =
        caller.call(List.of(PRIMARY, FALLBACK), request(), (c, r) -> {}).get(5, TimeUnit.SECONDS);

    assertThat(first.model()).isEqualTo(PRIMARY);
    assertThat(second.model()).isEqualTo(FALLBACK);
    assertThat(skipped).containsExactly("a:primary:THROTTLED");
  }
}
