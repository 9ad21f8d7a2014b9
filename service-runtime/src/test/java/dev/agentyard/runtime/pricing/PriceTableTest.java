package dev.agentyard.runtime.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentyard.runtime.config.InvalidConfigException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PriceTableTest {

  private final PriceTable table =
      new PriceTable(
          "v1", Map.of("sonnet", new ModelPrice(3_000_000, 15_000_000, 300_000, 3_750_000)));

  @Test
  void pricesEachTokenKindAtItsOwnRate() {
    // 1000 in × $3 + 200 out × $15 + 8000 cache reads × $0.30 + 1500 cache writes × $3.75 (per
    // million)
    assertThat(table.cost("sonnet", 1_000, 200, 8_000, 1_500))
        .contains(3_000L + 3_000L + 2_400L + 5_625L);
  }

  @Test
  void roundsHalfUpPerCall() {
    assertThat(table.cost("sonnet", 0, 0, 1, 0)).contains(0L); // 0.3 micro-USD
    assertThat(table.cost("sonnet", 0, 0, 2, 0)).contains(1L); // 0.6
    assertThat(table.cost("sonnet", 0, 0, 5, 0)).contains(2L); // 1.5 rounds up
  }

  @Test
  void hasNoPriceForAnUnknownModel() {
    assertThat(table.cost("mystery", 1, 1, 1, 1)).isEmpty();
  }

  @Test
  void loadsTheBundledTable() {
    PriceTable bundled = PriceTable.bundled();
    assertThat(bundled.version()).isNotBlank();
    assertThat(bundled.models()).contains("claude-haiku-4-5", "gpt-4o-mini");
  }

  @Test
  void rejectsAnIncompleteModelNamingIt() {
    Properties p = new Properties();
    p.setProperty("version", "x");
    p.setProperty("model.m.input", "1");
    assertThatThrownBy(() -> PriceTable.fromProperties(p, "test"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("model.m");
  }
}
