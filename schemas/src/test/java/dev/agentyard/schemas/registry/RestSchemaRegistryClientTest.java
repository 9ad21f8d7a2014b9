package dev.agentyard.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

  private static final Schema SCHEMA =
      SchemaBuilder.record("Probe")
          .namespace("dev.agentyard.test")
          .fields()
          .requiredString("id")
          .endRecord();

  private final RecordingRegistryServer server = new RecordingRegistryServer();
  private final List<Duration> sleeps = new ArrayList<>();

  @AfterEach
  void stop() {
    server.close();
  }

  private RestSchemaRegistryClient client(Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>(extra);
    props.putIfAbsent(RegistryClientConfig.URL, server.url());
    return new RestSchemaRegistryClient(RegistryClientConfig.fromMap(props), sleeps::add);
  }

  @Test
  void sendsBasicAuthFromUserInfo() {
    try (var c =
        client(
            Map.of(
                "basic.auth.credentials.source",
                "USER_INFO",
                "basic.auth.user.info",
                "svc-router:pa55word"))) {
      assertThat(c.register("t-value", SCHEMA)).isEqualTo(7);
    }
    assertThat(server.requests.get(0).header("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("svc-router:pa55word".getBytes()));
  }

  @Test
  void sendsBasicAuthFromUrlUserInfoAndStripsItFromTheRequestUrl() {
    String url = server.url().replace("http://", "http://svc:url%3Apass@");
    try (var c = client(Map.of(RegistryClientConfig.URL, url))) {
      c.register("t-value", SCHEMA);
    }
    assertThat(server.requests.get(0).header("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("svc:url:pass".getBytes()));
  }

  @Test
  void sendsBasicAuthInheritedFromSaslJaasConfig() {
    String jaas =
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"key1\" password=\"secret1\";";
    try (var c =
        client(Map.of("basic.auth.credentials.source", "SASL_INHERIT", "sasl.jaas.config", jaas))) {
      c.register("t-value", SCHEMA);
    }
    assertThat(server.requests.get(0).header("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("key1:secret1".getBytes()));
  }

  @Test
  void sendsBearerTokenWithConfluentCloudHeaders() {
    try (var c =
        client(
            Map.of(
                "bearer.auth.credentials.source",
                "STATIC_TOKEN",
                "bearer.auth.token",
                "tok-123",
                "bearer.auth.logical.cluster",
                "lsrc-abc",
                "bearer.auth.identity.pool.id",
                "pool-9"))) {
      c.register("t-value", SCHEMA);
    }
    RecordingRegistryServer.Request r = server.requests.get(0);
    assertThat(r.header("Authorization")).isEqualTo("Bearer tok-123");
    assertThat(r.header("target-sr-cluster")).isEqualTo("lsrc-abc");
    assertThat(r.header("Confluent-Identity-Pool-Id")).isEqualTo("pool-9");
  }

  @Test
  void sendsNoAuthorizationWithoutCredentials() {
    try (var c = client(Map.of())) {
      c.register("t-value", SCHEMA);
    }
    assertThat(server.requests.get(0).header("Authorization")).isNull();
  }

  @Test
  void speaksTheConfluentRestApi() {
    server
        .then(200, "{\"id\":3}")
        .then(
            200,
            "{\"subject\":\"t-value\",\"version\":2,\"id\":3,\"schema\":" + quoted(SCHEMA) + "}")
        .then(200, "{\"schema\":" + quoted(SCHEMA) + "}")
        .then(200, "{\"is_compatible\":true}")
        .then(200, "{\"compatibility\":\"BACKWARD\"}")
        .then(200, "{\"compatibilityLevel\":\"FULL\"}")
        .then(200, "[\"a-value\",\"b-value\"]");
    try (var c = client(Map.of())) {
      assertThat(c.register("t-value", SCHEMA)).isEqualTo(3);
      assertThat(c.latestVersion("t-value"))
          .isEqualTo(new RegisteredSchema("t-value", 2, 3, SCHEMA));
      assertThat(c.getById(3)).isEqualTo(SCHEMA);
      assertThat(c.isCompatible("t-value", SCHEMA)).isTrue();
      c.setCompatibility(Optional.empty(), CompatibilityLevel.BACKWARD);
      assertThat(c.getCompatibility(Optional.of("t-value"))).isEqualTo(CompatibilityLevel.FULL);
      assertThat(c.subjects()).containsExactly("a-value", "b-value");
    }
    assertThat(server.requests)
        .extracting(r -> r.method() + " " + r.path())
        .containsExactly(
            "POST /subjects/t-value/versions",
            "GET /subjects/t-value/versions/latest",
            "GET /schemas/ids/3",
            "POST /compatibility/subjects/t-value/versions/latest",
            "PUT /config",
            "GET /config/t-value",
            "GET /subjects");
    assertThat(server.requests.get(0).header("Content-Type"))
        .isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(server.requests.get(0).body()).contains("\"schema\"").doesNotContain("schemaType");
  }

  @Test
  void retriesServerErrorsWithBackoffThenSucceeds() {
    server
        .then(503, "{\"error_code\":50003,\"message\":\"overloaded\"}")
        .then(500, "oops")
        .then(200, "{\"id\":11}");
    try (var c = client(Map.of("max.retries", 3, "retries.wait.ms", 100))) {
      assertThat(c.register("t-value", SCHEMA)).isEqualTo(11);
    }
    assertThat(server.requests).hasSize(3);
    assertThat(sleeps)
        .hasSize(2)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(50), Duration.ofMillis(200)));
  }

  @Test
  void doesNotRetryClientErrors() {
    server.otherwise(404, "{\"error_code\":40403,\"message\":\"Schema 5 not found\"}");
    try (var c = client(Map.of("max.retries", 3))) {
      assertThatThrownBy(() -> c.getById(5))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> {
                assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                assertThat(e.httpStatus()).isEqualTo(404);
              })
          .hasMessageContaining("fetch schema id 5");
    }
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void givesUpAfterMaxRetriesAsUnavailable() {
    server.otherwise(503, "{\"error_code\":50003,\"message\":\"down\"}");
    try (var c = client(Map.of("max.retries", 2))) {
      assertThatThrownBy(() -> c.register("t-value", SCHEMA))
          .isInstanceOf(RegistryUnavailableException.class)
          .hasMessageContaining("after 3 attempts");
    }
    assertThat(server.requests).hasSize(3);
  }

  @Test
  void failsOverToTheNextUrlWhenOneIsUnreachable() {
    String dead = "http://127.0.0.1:" + deadPort();
    try (var c =
        client(Map.of(RegistryClientConfig.URL, dead + "," + server.url(), "max.retries", 1))) {
      assertThat(c.register("t-value", SCHEMA)).isEqualTo(7);
    }
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void unreachableRegistryErrorNamesNoCredentials() {
    String dead = "http://admin:hunter2@127.0.0.1:" + deadPort();
    try (var c = client(Map.of(RegistryClientConfig.URL, dead, "max.retries", 1))) {
      assertThatThrownBy(() -> c.register("t-value", SCHEMA))
          .isInstanceOf(RegistryUnavailableException.class)
          .hasMessageContaining("unreachable")
          .hasMessageNotContaining("hunter2")
          .hasMessageNotContaining("admin:");
    }
  }

  @Test
  void configToStringHidesSecrets() {
    RegistryClientConfig c =
        RegistryClientConfig.fromMap(
            Map.of(
                RegistryClientConfig.URL,
                "https://u:urlsecret@registry.example:8081",
                "basic.auth.credentials.source",
                "USER_INFO",
                "basic.auth.user.info",
                "svc:topsecret"));
    assertThat(c.toString())
        .doesNotContain("topsecret")
        .doesNotContain("urlsecret")
        .contains("registry.example");
  }

  @Test
  void rejectsBadConfigNamingTheKey() {
    assertThatThrownBy(() -> RegistryClientConfig.fromMap(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(
            () -> RegistryClientConfig.fromMap(Map.of(RegistryClientConfig.URL, "ftp://x")))
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromMap(
                    Map.of(RegistryClientConfig.URL, "http://x", "max.retries", "many")))
        .hasMessageContaining("max.retries");
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromMap(
                    Map.of(
                        RegistryClientConfig.URL,
                        "http://x",
                        "basic.auth.credentials.source",
                        "USER_INFO",
                        "basic.auth.user.info",
                        "no-colon-secret")))
        .hasMessageContaining("basic.auth.user.info")
        .hasMessageNotContaining("no-colon-secret");
  }

  private static String quoted(Schema s) {
    return new TextNode(s.toString()).toString();
  }

  private static int deadPort() {
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
