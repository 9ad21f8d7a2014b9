package dev.agentyard.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void mapsEnvironmentNamesToDottedKeys() {
    assertThat(ConfigLoader.envToKey("AGENTYARD_KAFKA_BOOTSTRAP_SERVERS"))
        .isEqualTo("kafka.bootstrap.servers");
    assertThat(ConfigLoader.envToKey("AGENTYARD_KAFKA_PRODUCER_LINGER_MS"))
        .isEqualTo("kafka.producer.linger.ms");
    assertThat(ConfigLoader.envToKey("AGENTYARD_ROUTES_LOAN__DOCS_TOPIC"))
        .isEqualTo("routes.loan-docs.topic");
  }

  @Test
  void environmentOverridesFileOverridesDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("router.properties");
    Files.writeString(file, "kafka.bootstrap.servers=file:9092\nhttp.port=8081\n");
    Map<String, String> env =
        Map.of(
            "AGENTYARD_CONFIG_FILE", file.toString(),
            "AGENTYARD_HTTP_PORT", "9090",
            "PATH", "/usr/bin");

    Map<String, String> config =
        ConfigLoader.load(Map.of("http.port", "8080", "http.host", "127.0.0.1"), env);

    assertThat(config)
        .containsEntry("kafka.bootstrap.servers", "file:9092")
        .containsEntry("http.port", "9090")
        .containsEntry("http.host", "127.0.0.1")
        .doesNotContainKey("path")
        .doesNotContainKey("config.file");
  }

  @Test
  void bareSettingsAreToldApartFromAnEffectiveConfiguration() {
    Map<String, String> defaults = Map.of("http.port", "8082", "router.routes", "income");
    ConfigLoader.requireEffective(
        defaults, ConfigLoader.overlay(defaults, Map.of("http.port", "0")));
    assertThatThrownBy(() -> ConfigLoader.requireEffective(defaults, Map.of("http.port", "0")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("router.routes")
        .hasMessageContaining("effective configuration");
  }

  @Test
  void unreadableFileNamesTheVariable(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Map.of(), Map.of("AGENTYARD_CONFIG_FILE", dir.resolve("missing").toString())))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("AGENTYARD_CONFIG_FILE");
  }

  @Test
  void typedReadsNameTheBadKeyAndHideSecrets() {
    ConfigValues c =
        new ConfigValues(
            Map.of(
                "workers.max-in-flight", "lots",
                "provider.api.key", "sk-live-123",
                "retry.backoff", "5 minutes",
                "routes", "income, banking,,identity"));
    assertThatThrownBy(() -> c.intValue("workers.max-in-flight", 1, 1, 100))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("workers.max-in-flight")
        .hasMessageContaining("lots");
    assertThatThrownBy(() -> c.intValue("provider.api.key", 1, 1, 100))
        .hasMessageContaining("provider.api.key")
        .hasMessageNotContaining("sk-live-123");
    assertThatThrownBy(() -> c.duration("retry.backoff", Duration.ZERO))
        .hasMessageContaining("retry.backoff");
    assertThatThrownBy(() -> c.required("kafka.bootstrap.servers"))
        .hasMessageContaining("kafka.bootstrap.servers");
    assertThat(c.list("routes", List.of())).containsExactly("income", "banking", "identity");
    assertThat(c.toString()).doesNotContain("sk-live-123").contains("[hidden]");
  }

  @Test
  void parsesDurations() {
    ConfigValues c =
        new ConfigValues(Map.of("a", "250ms", "b", "30s", "c", "5m", "d", "PT2H", "e", "1d"));
    assertThat(c.duration("a", null)).isEqualTo(Duration.ofMillis(250));
    assertThat(c.duration("b", null)).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.duration("c", null)).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.duration("d", null)).isEqualTo(Duration.ofHours(2));
    assertThat(c.duration("e", null)).isEqualTo(Duration.ofDays(1));
    assertThat(c.duration("missing", Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void parsesListsOfDurationsNamingTheKeyOfABadItem() {
    ConfigValues c = new ConfigValues(Map.of("delays", "10s, 1m,,10m", "bad", "10s,soon"));
    assertThat(c.durations("delays", List.of()))
        .containsExactly(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10));
    assertThat(c.durations("missing", List.of(Duration.ofSeconds(1))))
        .containsExactly(Duration.ofSeconds(1));
    assertThatThrownBy(() -> c.durations("bad", List.of()))
        .hasMessageContaining("bad")
        .hasMessageContaining("soon");
  }

  @Test
  void masksEverySecretLookingKey() {
    Map<String, String> masked =
        Secrets.mask(
            Map.of(
                "kafka.common.sasl.jaas.config", "PlainLoginModule required password=\"p\";",
                "registry.basic.auth.user.info", "u:p",
                "provider.anthropic.api-key", "sk-ant-1",
                "registry.bearer.auth.token", "t",
                "kafka.bootstrap.servers", "b:9092"));
    assertThat(masked).containsEntry("kafka.bootstrap.servers", "b:9092");
    assertThat(masked.values()).filteredOn(v -> !v.equals("b:9092")).containsOnly(Secrets.HIDDEN);
  }
}
