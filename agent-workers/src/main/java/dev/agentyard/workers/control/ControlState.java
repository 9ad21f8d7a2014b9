package dev.agentyard.workers.control;

import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.workers.agent.KillSwitch;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest control command per target, from the compacted {@code agent.control.v1}: what is
 * paused and what is killed. A PAUSE stops a route's consumption (its work waits in Kafka); a KILL
 * stops running agent loops at their next turn, and a killed route also stops consuming. RESUME,
 * a tombstone or an expiry lifts the command.
 */
public final class ControlState implements KillSwitch {

  private final Map<String, ControlCommand> byKey = new ConcurrentHashMap<>();
  private final Clock clock;

  public ControlState(Clock clock) {
    this.clock = clock;
  }

  /** Applies one record of the control topic; a null command is a tombstone for the key. */
  public void apply(String key, ControlCommand command) {
    if (command == null) {
      byKey.remove(key);
    } else {
      byKey.put(key(command.getScope(), command.getTarget()), command);
    }
  }

  /** True when the route must not take new work: paused or killed, by route or globally. */
  public boolean routePaused(String route) {
    return active(ControlScope.ROUTE, route, ControlAction.PAUSE) || active(ControlScope.ROUTE, route, ControlAction.KILL)
        || active(ControlScope.GLOBAL, "*", ControlAction.PAUSE) || active(ControlScope.GLOBAL, "*", ControlAction.KILL);
  }

  @Override
  public boolean killed(String taskId, String tenant, String route) {
    return active(ControlScope.TASK, taskId, ControlAction.KILL) || active(ControlScope.TENANT, tenant, ControlAction.KILL)
        || active(ControlScope.ROUTE, route, ControlAction.KILL) || active(ControlScope.GLOBAL, "*", ControlAction.KILL);
  }

  private boolean active(ControlScope scope, String target, ControlAction action) {
    ControlCommand c = byKey.get(key(scope, target));
    if (c == null || c.getAction() != action) {
      return false;
    }
    Instant expires = c.getExpiresAt();
    return expires == null || clock.instant().isBefore(expires);
  }

  /** The record key the cost aggregator and the CLI use: {@code route:income}, {@code task:t-1}. */
  public static String key(ControlScope scope, String target) {
    return scope.name().toLowerCase(java.util.Locale.ROOT) + ":" + target;
  }
}
