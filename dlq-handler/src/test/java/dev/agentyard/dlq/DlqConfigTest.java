package dev.agentyard.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentyard.runtime.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DlqConfigTest {

  static final String KEY = "signing-key-that-is-long-enough-0123456789";

  Map<String, String> base() {
    Map<String, String> m = new HashMap<>();
    m.put("kafka.bootstrap.servers", "b:9092");
    m.put("schema.registry.url", "http://r:8081");
    return m;
  }

  @Test
  void readsDefaultsAndOverrides() {
    Map<String, String> m = base();
    m.put("dlq.replay.max-replays", "5");
    DlqConfig c = DlqConfig.withDefaults(m, Map.of());
    assertThat(c.maxReplays()).isEqualTo(5);
    assertThat(c.ratePerSecond()).isEqualTo(50);
    assertThat(c.httpPort()).isEqualTo(8084);
    assertThat(c.approvalKey()).isEmpty();
    assertThat(c.apiTokens()).isEmpty();
  }

  @Test
  void tokensComeFromAFileByOperatorAndTheSigningKeyFromTheEnvironment(@TempDir Path dir)
      throws Exception {
    Path tokens =
        Files.writeString(
            dir.resolve("tokens"),
            "# on-call\nalice: alice-token-0123456789\nci:ci-token-0123456789abcdef\n"
                + "rita:rita-token-0123456789:reviewer\n");
    Map<String, String> m = base();
    m.put(DlqConfig.TOKEN_FILE, tokens.toString());
    DlqConfig c = DlqConfig.withDefaults(m, Map.of("AGENTYARD_APPROVAL_SIGNING_KEY", KEY));
    assertThat(c.apiTokens()).containsOnlyKeys("alice", "ci", "rita");
    assertThat(c.apiRoles().get("alice")).containsExactlyInAnyOrder("reviewer", "operator");
    assertThat(c.apiRoles().get("rita")).containsExactly("reviewer");
    assertThat(c.apiTokens().get("rita")).isEqualTo("rita-token-0123456789");
    assertThat(c.approvalKey()).isPresent();
  }

  @Test
  void toStringHidesTokensAndTheSigningKey() {
    Map<String, String> m = base();
    m.put(DlqConfig.TOKEN, "super-secret-token-value-1");
    m.put("approval.signing-key", KEY);
    m.put("registry.basic.auth.user.info", "user:registry-password-9");
    String shown = DlqConfig.withDefaults(m, Map.of()).toString();
    assertThat(shown)
        .doesNotContain("super-secret-token-value-1")
        .doesNotContain(KEY)
        .doesNotContain("registry-password-9")
        .contains("[hidden]");
  }

  @Test
  void refusesAShortTokenOrKeyNamingTheKeyNotTheSecret() {
    Map<String, String> m = base();
    m.put(DlqConfig.TOKEN, "short-token");
    assertThatThrownBy(() -> DlqConfig.withDefaults(m, Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(DlqConfig.TOKEN)
        .hasMessageNotContaining("short-token");
    Map<String, String> k = base();
    k.put("approval.signing-key", "too-short");
    assertThatThrownBy(() -> DlqConfig.withDefaults(k, Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("approval.signing-key")
        .hasMessageNotContaining("too-short");
  }
}
