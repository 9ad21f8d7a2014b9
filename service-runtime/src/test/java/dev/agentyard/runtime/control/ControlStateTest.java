package dev.agentyard.runtime.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ControlStateTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
  final ControlState state = new ControlState(clock);

  void apply(ControlScope scope, String target, ControlAction action, Instant expires) {
    state.apply(
        ControlState.key(scope, target),
        ControlCommand.newBuilder()
            .setCommandId("c")
            .setScope(scope)
            .setTarget(target)
            .setAction(action)
            .setReason("test")
            .setIssuedBy("test")
            .setIssuedAt(clock.instant())
            .setExpiresAt(expires)
            .build());
  }

  @Test
  void aPausedRouteTakesNoWorkUntilResumed() {
    apply(ControlScope.ROUTE, "income", ControlAction.PAUSE, null);
    assertThat(state.routePaused("income")).isTrue();
    assertThat(state.routePaused("banking")).isFalse();
    assertThat(state.killed("t-1", "acme", "income"))
        .isFalse(); // paused, not killed: running loops finish
    apply(ControlScope.ROUTE, "income", ControlAction.RESUME, null);
    assertThat(state.routePaused("income")).isFalse();
  }

  @Test
  void killsCoverTaskTenantRouteAndGlobalAndAKilledRouteAlsoStopsConsuming() {
    apply(ControlScope.TASK, "t-1", ControlAction.KILL, null);
    apply(ControlScope.TENANT, "evil-corp", ControlAction.KILL, null);
    assertThat(state.killed("t-1", "acme", "income")).isTrue();
    assertThat(state.killed("t-2", "evil-corp", "income")).isTrue();
    assertThat(state.killed("t-2", "acme", "income")).isFalse();
    apply(ControlScope.ROUTE, "fraud", ControlAction.KILL, null);
    assertThat(state.killed("t-3", "acme", "fraud")).isTrue();
    assertThat(state.routePaused("fraud")).isTrue();
    apply(ControlScope.GLOBAL, "*", ControlAction.KILL, null);
    assertThat(state.killed("t-9", "acme", "banking")).isTrue();
  }

  @Test
  void aCommandLapsesAtItsExpiryAndATombstoneLiftsIt() {
    apply(ControlScope.ROUTE, "income", ControlAction.PAUSE, clock.instant().plusSeconds(60));
    assertThat(state.routePaused("income")).isTrue();
    clock.advance(Duration.ofSeconds(61));
    assertThat(state.routePaused("income")).isFalse();

    apply(ControlScope.ROUTE, "banking", ControlAction.PAUSE, null);
    state.apply("route:banking", null);
    assertThat(state.routePaused("banking")).isFalse();
  }
}
