package dev.agentyard.runtime.control;

import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.runtime.kafka.TopicFollower;
import dev.agentyard.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest control command per target, from the compacted {@code agent.control.v1}: what is
 * paused and what is killed. A PAUSE stops a route's consumption (its work waits in Kafka); a KILL
 * stops running agent loops at their next turn, and a killed route also stops consuming. RESUME, a
 * tombstone or an expiry lifts the command.
 */
public final class ControlState {

  private static final Logger log = LoggerFactory.getLogger(ControlState.class);

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

  /**
   * A follower (not yet started) that applies every record of {@code agent.control.v1} from its
   * beginning to this state; an unreadable command is logged and skipped (a control record must
   * never stop a service).
   */
  public TopicFollower follower(
      String name, Consumer<byte[], byte[]> consumer, Deserializer<ControlCommand> reader) {
    return new TopicFollower(
        name,
        consumer,
        Topics.CONTROL.name(),
        null,
        r -> {
          try {
            String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            apply(
                key,
                r.value() == null ? null : reader.deserialize(r.topic(), r.headers(), r.value()));
          } catch (RuntimeException e) {
            log.error("Unreadable control command at {}@{}; ignored", r.partition(), r.offset(), e);
          }
        });
  }

  /** The command in force for a target now (not lifted, not expired), if any. */
  public Optional<ControlCommand> active(ControlScope scope, String target) {
    ControlCommand c = byKey.get(key(scope, target));
    if (c == null
        || c.getAction() == ControlAction.RESUME
        || c.getAction() == ControlAction.UNKNOWN) {
      return Optional.empty();
    }
    Instant expires = c.getExpiresAt();
    return expires == null || clock.instant().isBefore(expires) ? Optional.of(c) : Optional.empty();
  }

  /** True when the route must not take new work: paused or killed, by route or globally. */
  public boolean routePaused(String route) {
    return active(ControlScope.ROUTE, route, ControlAction.PAUSE)
        || active(ControlScope.ROUTE, route, ControlAction.KILL)
        || active(ControlScope.GLOBAL, "*", ControlAction.PAUSE)
        || active(ControlScope.GLOBAL, "*", ControlAction.KILL);
  }

  /**
   * True when the tenant must not spend: paused (the cost aggregator's after-the-fact budget trip,
   * or an operator) or killed. Workers check it before every model call.
   */
  public boolean tenantPaused(String tenant) {
    return active(ControlScope.TENANT, tenant, ControlAction.PAUSE)
        || active(ControlScope.TENANT, tenant, ControlAction.KILL);
  }

  /** True when a kill command covers the task: by task id, tenant, route or globally. */
  public boolean killed(String taskId, String tenant, String route) {
    return active(ControlScope.TASK, taskId, ControlAction.KILL)
        || active(ControlScope.TENANT, tenant, ControlAction.KILL)
        || active(ControlScope.ROUTE, route, ControlAction.KILL)
        || active(ControlScope.GLOBAL, "*", ControlAction.KILL);
  }

  private boolean active(ControlScope scope, String target, ControlAction action) {
    return active(scope, target).filter(c -> c.getAction() == action).isPresent();
  }

  /** The record key the cost aggregator and the CLI use: {@code route:income}, {@code task:t-1}. */
  public static String key(ControlScope scope, String target) {
    return scope.name().toLowerCase(Locale.ROOT) + ":" + target;
  }
}
