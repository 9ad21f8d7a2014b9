package dev.agentyard.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentyard.avro.ModelTier;
import dev.agentyard.router.routing.RouteSpec;
import dev.agentyard.runtime.config.InvalidConfigException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterConfigTest {

  static Map<String, String> base(String... kv) {
    Map<String, String> m =
        new HashMap<>(
            Map.of(
                "kafka.bootstrap.servers",
                "localhost:9092",
                "schema.registry.url",
                "http://localhost:8081"));
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void theLoanDefaultHasSixRoutesWithTiersFanOutAndTriage() {
    RouterConfig c = RouterConfig.withDefaults(base());
    assertThat(c.routes().byName())
        .containsOnlyKeys("income", "banking", "identity", "property", "fraud", "triage");
    assertThat(c.routes().triageRoute()).isEqualTo("triage");
    assertThat(c.routes().forClass("banking").orElseThrow().name()).isEqualTo("banking");
    assertThat(c.routes().forClass("other")).isEmpty();
    assertThat(c.routes().get("fraud").orElseThrow().classes()).isEmpty();
    RouteSpec property = c.routes().get("property").orElseThrow();
    assertThat(property.tier()).isEqualTo(ModelTier.MEDIUM);
    assertThat(property.tierFor(100)).isEqualTo(ModelTier.MEDIUM);
    assertThat(property.tierFor(60_000)).isEqualTo(ModelTier.LARGE);
    assertThat(c.routes().get("banking").orElseThrow().fanOut())
        .containsExactly(new RouteSpec.FanOut("fraud", 1.0));
    assertThat(property.topic()).isEqualTo("agent.route.property.v1");
    assertThat(c.limits().maxInlineBytes()).isEqualTo(1024 * 1024);
    assertThat(c.limits().fileRoots()).isEmpty();
    assertThat(c.toString()).contains("route.income").contains("fanOut");
  }

  @Test
  void badRouteConfigurationIsRefusedWithTheKey() {
    assertThatThrownBy(
            () -> RouterConfig.withDefaults(base("router.route.income.fan-out", "payroll")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("not registered");
    assertThatThrownBy(() -> RouterConfig.withDefaults(base("router.route.income.tier", "HUGE")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("router.route.income.tier");
    assertThatThrownBy(() -> RouterConfig.withDefaults(base("router.routes", "income,banking")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("triage");
    assertThatThrownBy(
            () -> RouterConfig.withDefaults(base("router.route.banking.classes", "income")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("claimed by routes income and banking");
    assertThatThrownBy(
            () -> RouterConfig.withDefaults(base("router.classifier.confidence-threshold", "1.5")))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> RouterConfig.withDefaults(base("router.routes", "Income,triage")))
        .isInstanceOf(InvalidConfigException.class);
  }

  @Test
  void toStringNeverShowsCredentials() {
    RouterConfig c =
        RouterConfig.withDefaults(
            base(
                "kafka.common.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"router\" password=\"hunter2-secret\";",
                "schema.registry.basic.auth.user.info",
                "router:registry-secret"));
    assertThat(c.toString()).doesNotContain("hunter2-secret").doesNotContain("registry-secret");
  }
}
