package dev.agentyard.cost;

import dev.agentyard.avro.BudgetAlert;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.RouteCostWindow;
import java.time.Duration;

/** What the cost processor emits: a closed window, a budget alert, or a pause command. */
sealed interface CostOutput {

  /** The final result of one window, for the topic of its size. */
  record Window(Duration size, RouteCostWindow window) implements CostOutput {}

  /** A budget threshold crossed. */
  record Alert(BudgetAlert alert) implements CostOutput {}

  /** A control command (the kill switch), keyed {@code <scope>:<target>}. */
  record Control(String key, ControlCommand command) implements CostOutput {}
}
