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

  @Test
  void pricesOneHourCacheWritesApartFromFiveMinuteWrites() {
    // 2,210 one-hour writes at 2 x input (USD 6) and 1,000 five-minute writes at USD 3.75
    assertThat(table.cost("sonnet", new BilledTokens(0, 0, 0, 1_000, 2_210), PriceTable.STANDARD))
        .contains(3_750L + 13_260L);
    // the 4-argument price derives the 1-hour rate as twice the input rate
    assertThat(new ModelPrice(3_000_000, 15_000_000, 300_000, 3_750_000).cacheWrite1hPerMTok())
        .isEqualTo(6_000_000);
  }

  @Test
  void aPromptAboveTheLongContextThresholdIsBilledAtTheLongRatesForEveryToken() {
    Properties p = new Properties();
    p.setProperty("version", "lc");
    p.setProperty("model.m.input", "3000000");
    p.setProperty("model.m.output", "15000000");
    p.setProperty("model.m.cache-read", "300000");
    p.setProperty("model.m.cache-write", "3750000");
    p.setProperty("model.m.long-context.above", "200000");
    p.setProperty("model.m.long-context.input", "6000000");
    p.setProperty("model.m.long-context.output", "22500000");
    p.setProperty("model.m.long-context.cache-read", "600000");
    p.setProperty("model.m.long-context.cache-write", "7500000");
    PriceTable t = PriceTable.fromProperties(p, "test");
    // 150K input + 50K cache reads = 200K: not above, standard rates
    assertThat(t.cost("m", new BilledTokens(150_000, 1_000, 50_000, 0, 0), PriceTable.STANDARD))
        .contains(450_000L + 15_000L + 15_000L);
    // one more cache-read token crosses it: every token at the long rates
    assertThat(t.cost("m", new BilledTokens(150_000, 1_000, 50_001, 0, 0), PriceTable.STANDARD))
        .contains(900_000L + 22_500L + 30_001L);
    // the long-context 1-hour write rate defaults to twice the long input rate
    assertThat(t.longContext("m").orElseThrow().price().cacheWrite1hPerMTok())
        .isEqualTo(12_000_000);
  }

  @Test
  void aServiceTierScalesTheWholeCallAndAModelMayOverrideIt() {
    Properties p = new Properties();
    p.setProperty("version", "tiers");
    p.setProperty("model.m.input", "1000000");
    p.setProperty("model.m.output", "5000000");
    p.setProperty("model.m.cache-read", "100000");
    p.setProperty("model.m.cache-write", "1250000");
    p.setProperty("model.old.input", "1000000");
    p.setProperty("model.old.output", "5000000");
    p.setProperty("model.old.cache-read", "100000");
    p.setProperty("model.old.cache-write", "1250000");
    p.setProperty("tier.batch.percent", "50");
    p.setProperty("tier.data-residency.percent", "110");
    p.setProperty("model.old.tier.data-residency.percent", "100");
    PriceTable t = PriceTable.fromProperties(p, "test");
    BilledTokens call = new BilledTokens(1_000, 101, 0, 0, 0); // 1,505 micro-USD standard
    assertThat(t.cost("m", call, PriceTable.STANDARD)).contains(1_505L);
    assertThat(t.cost("m", call, "batch")).contains(753L); // 752.5 rounds up, once, per call
    assertThat(t.cost("m", call, "data-residency")).contains(1_656L); // 1,655.5
    assertThat(t.cost("old", call, "data-residency")).contains(1_505L);
    assertThat(t.cost("m", call, "priority")).as("a tier the table does not know").isEmpty();
    assertThat(t.tiers()).contains("standard", "batch", "data-residency");
  }

  @Test
  void theBundledTableHasCurrentModelsWithTheirTiers() {
    PriceTable bundled = PriceTable.bundled();
    assertThat(bundled.models())
        .contains("claude-opus-4-6", "claude-sonnet-4-6", "gpt-5", "gpt-5.4");
    assertThat(bundled.longContext("claude-sonnet-4-5")).isPresent();
    assertThat(bundled.longContext("gpt-5.4").orElseThrow().above()).isEqualTo(272_000);
    assertThat(bundled.tiers()).contains("batch", "flex", "priority", "data-residency");
  }
}
