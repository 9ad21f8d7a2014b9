package dev.agentyard.workers.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Approving or declining a loan: irreversible, so offered to the model but executed only under a
 * reviewer's approval grant for exactly this call. Without one, the task goes to the review topic
 * with the proposed decision. Executing records the decision with the grant id as its reference,
 * the idempotency key a downstream loan system de-duplicates on.
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
    return ToolRegistry.schema(
        """
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
    if (context.approvalGrantId() == null) {
      throw new IllegalStateException(
          "approve_loan is irreversible and is never executed without a reviewer's approval grant");
    }
    ObjectNode out = ToolRegistry.json().createObjectNode();
    out.put("recorded", true);
    out.put("applicationId", input.path("applicationId").asText());
    out.put("decision", input.path("decision").asText());
    out.put("reference", context.approvalGrantId());
    return out;
  }
}
