package dev.agentyard.workers.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Debt-to-income ratio: monthly debt payments over monthly gross income, with the usual
 * underwriting bands (up to 36 % acceptable, up to 43 % elevated, above 43 % high: the
 * qualified-mortgage guideline).
 */
public final class DebtToIncomeTool implements Tool {

  static final BigDecimal ACCEPTABLE = new BigDecimal("0.36");
  static final BigDecimal ELEVATED = new BigDecimal("0.43");

  @Override
  public String name() {
    return "compute_dti";
  }

  @Override
  public String description() {
    return "Computes the debt-to-income ratio from monthly debt payments and monthly or annual gross income, with its underwriting band.";
  }

  @Override
  public JsonNode inputSchema() {
    return ToolRegistry.schema(
        """
        {"type":"object","required":["monthlyDebtPayments"],
         "properties":{"monthlyDebtPayments":{"type":"number","minimum":0},
                       "monthlyGrossIncome":{"type":"number","exclusiveMinimum":0},
                       "annualGrossIncome":{"type":"number","exclusiveMinimum":0}},
         "anyOf":[{"required":["monthlyGrossIncome"]},{"required":["annualGrossIncome"]}]}""");
  }

  @Override
  public JsonNode execute(JsonNode input, ToolContext context) {
    BigDecimal debt = input.get("monthlyDebtPayments").decimalValue();
    BigDecimal monthly =
        input.hasNonNull("monthlyGrossIncome")
            ? input.get("monthlyGrossIncome").decimalValue()
            : input
                .get("annualGrossIncome")
                .decimalValue()
                .divide(BigDecimal.valueOf(12), 2, RoundingMode.HALF_UP);
    if (monthly.signum() <= 0) {
      throw new ToolException("monthly gross income must be positive");
    }
    BigDecimal dti = debt.divide(monthly, 4, RoundingMode.HALF_UP);
    String band =
        dti.compareTo(ACCEPTABLE) <= 0
            ? "acceptable"
            : dti.compareTo(ELEVATED) <= 0 ? "elevated" : "high";
    ObjectNode out = ToolRegistry.json().createObjectNode();
    out.put("monthlyGrossIncome", monthly);
    out.put("monthlyDebtPayments", debt);
    out.put("dti", dti);
    out.put("dtiPercent", dti.movePointRight(2).setScale(2, RoundingMode.HALF_UP));
    out.put("band", band);
    return out;
  }
}
