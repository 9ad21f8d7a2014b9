package dev.agentyard.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentyard.avro.BudgetScope;
import dev.agentyard.runtime.config.InvalidConfigException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostAggregatorConfigTest {

  private static Map<String, String> base() {
    return new HashMap<>(
        Map.of("kafka.bootstrap.servers", "b:9092", "schema.registry.url", "http://r:8081"));
  }

  @Test
  void readsDefaultsAndBudgets() {
    Map<String, String> m = base();
    m.put("budget.route.income.daily", "50000000");
    m.put("budget.tenant.acme.bank.monthly", "900");
    m.put("budget.warning.percent", "75");
    CostAggregatorConfig c = CostAggregatorConfig.withDefaults(m);
    assertThat(c.windows())
        .containsExactly(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(1));
    assertThat(c.warningPercent()).isEqualTo(75);
    assertThat(c.budgets())
        .containsExactlyInAnyOrder(
            new Budget(BudgetScope.ROUTE, "income", Budget.Period.DAY, 50_000_000),
            new Budget(BudgetScope.TENANT, "acme.bank", Budget.Period.MONTH, 900));
    assertThat(c.windowTopic(Duration.ofDays(1))).isEqualTo("agent.cost.route.1d.v1");
  }

  @Test
  void rejectsBadValuesNamingTheKey() {
    Map<String, String> m = base();
    m.put("budget.route.income.weekly", "5");
    assertThatThrownBy(() -> CostAggregatorConfig.withDefaults(m))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("budget.route.income.weekly");
    Map<String, String> w = base();
    w.put("cost.windows", "7m");
    assertThatThrownBy(() -> CostAggregatorConfig.withDefaults(w))
        .hasMessageContaining("cost.windows");
    Map<String, String> r = base();
    r.put("schema.registry.url", " "); // set, but to nothing: the default does not stand in for it
    assertThatThrownBy(() -> CostAggregatorConfig.withDefaults(r))
        .hasMessageContaining("schema.registry.url");
  }
}
