package dev.agentyard.runtime.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretRedactorTest {

  @Test
  void removesTheShapesCredentialsTake() {
    String text =
        "401 from https://svc:hunter22@api.example/v1 with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def "
            + "x-api-key: sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA and key sk-proj-BBBBBBBBBBBBBBBBBBBBBB, password=p4ss; "
            + "{\"api_key\": \"k-123456\"}";
    String out = SecretRedactor.redact(text);
    assertThat(out)
        .doesNotContain(
            "hunter22",
            "eyJhbGciOiJIUzI1NiJ9",
            "sk-ant-api03-AAAA",
            "sk-proj-BBBB",
            "p4ss",
            "k-123456")
        .contains("401 from https://svc:[redacted]@api.example/v1");
  }

  @Test
  void leavesOrdinaryTextAlone() {
    String text = "Cannot decode Avro payload on topic 'agent.tasks.v1' with schema id 7";
    assertThat(SecretRedactor.redact(text)).isEqualTo(text);
  }
}
