package dev.agentyard.schemas;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.BudgetAlert;
import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetLedgerState;
import dev.agentyard.avro.BudgetReply;
import dev.agentyard.avro.BudgetRequest;
import dev.agentyard.avro.ClassifierModel;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.DlqAuditEvent;
import dev.agentyard.avro.DlqDisposition;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.RouteCostWindow;
import dev.agentyard.avro.RouteLabel;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.RunJournalEntry;
import dev.agentyard.avro.TaskSubmitted;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Every top-level event Agentyard publishes: the contracts the evolution guard protects. */
public final class EventSchemas {

  /** The event classes, in the order of the flow. */
  public static final List<Class<? extends SpecificRecord>> EVENTS =
      List.of(
          TaskSubmitted.class,
          RoutedTask.class,
          ReviewItem.class,
          AgentResult.class,
          ModelUsage.class,
          RunJournalEntry.class,
          RouteCostWindow.class,
          BudgetAlert.class,
          BudgetDefinition.class,
          BudgetRequest.class,
          BudgetReply.class,
          BudgetLedgerState.class,
          ControlCommand.class,
          DlqAuditEvent.class,
          DlqDisposition.class,
          RouteLabel.class,
          ClassifierModel.class);

  private EventSchemas() {}

  /** The current schema of an event class. */
  public static Schema schemaOf(Class<? extends SpecificRecord> event) {
    return SpecificData.get().getSchema(event);
  }
}
