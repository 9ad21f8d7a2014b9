package dev.agentyard.workers.tools;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Approving or declining a loan: irreversible, so offered to the model but never executed by the
 * agent. When the model calls it, the task goes to the review topic with the proposed decision.
 */
public final class ApproveLoanTool implements Tool {

  @Override
  public String name() {
    return "approve_loan";
  }

  @Override
  public String description() {
    return "Records a final credit decision on a loan application. Irreversible: a human confirms it.";
  }

  @Override
  public JsonNode inputSchema() {
    return ToolRegistry.schema("""
        {"type":"object","required":["applicationId","decision","rationale"],
         "properties":{"applicationId":{"type":"string"},"decision":{"enum":["approve","decline"]},
                       "amount":{"type":"number","minimum":0},"rationale":{"type":"string"}}}""");
  }

  @Override
  public boolean irreversible() {
    return true;
  }

  @Override
  public JsonNode execute(JsonNode input, ToolContext context) {
    throw new IllegalStateException("approve_loan is irreversible and is never executed by an agent");
  }
}
