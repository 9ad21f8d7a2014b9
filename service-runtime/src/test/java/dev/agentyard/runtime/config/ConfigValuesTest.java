package dev.agentyard.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

  @Test
  void namesAreTheSortedBlocksUnderAPrefix() {
    ConfigValues c =
        new ConfigValues(
            Map.of(
                "worker.provider.openai.type",
                "openai",
                "worker.provider.anthropic.type",
                "anthropic",
                "worker.provider.anthropic.base-url",
                "https://api.anthropic.com/v1",
                "worker.provider.bare",
                "x",
                "worker.routes",
                "income"));
    assertThat(c.names("worker.provider.")).containsExactly("anthropic", "bare", "openai");
    assertThat(c.names("sim.script.")).isEmpty();
  }

  @Test
  void keysReadByRecordsEveryKeyAndPrefixACodePathReads() {
    ConfigValues c = new ConfigValues(Map.of("http.port", "8080", "kafka.producer.linger.ms", "5"));
    var keys =
        ConfigValues.keysReadBy(
            () -> {
              c.intValue("http.port", 0, 0, 65535);
              c.string("http.host", "127.0.0.1");
              c.withPrefix("kafka.producer.");
            });
    assertThat(keys).containsExactly("http.port", "http.host", "kafka.producer.*");
    assertThat(ConfigValues.keysReadBy(() -> {})).isEmpty();
  }
}
