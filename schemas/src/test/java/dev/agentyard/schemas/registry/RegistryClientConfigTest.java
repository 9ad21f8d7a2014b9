package dev.agentyard.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryClientConfigTest {

  @Test
  void confluentsPrefixedNamesAreReadAsThePlainOnes() {
    RegistryClientConfig c =
        RegistryClientConfig.fromMap(
            Map.of(
                "schema.registry.url", "https://127.0.0.1:8081/apis/ccompat/v7",
                "schema.registry.basic.auth.credentials.source", "USER_INFO",
                "schema.registry.basic.auth.user.info", "agent-workers:s3cret"));
    assertThat(c.authHeaders())
        .containsEntry("Authorization", "Basic YWdlbnQtd29ya2VyczpzM2NyZXQ=");
    assertThat(c.sslContext()).as("no truststore: the JVM's").isEmpty();
  }

  @Test
  void aPemTruststoreIsTrustedAndABadOneIsRefusedByName(@TempDir Path dir) throws Exception {
    // a real CA certificate (made here with the JDK's keytool)
    Path store = dir.resolve("ca.p12");
    Path pem = dir.resolve("ca.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    for (String[] cmd :
        new String[][] {
          {
            keytool,
            "-genkeypair",
            "-alias",
            "ca",
            "-keyalg",
            "RSA",
            "-dname",
            "CN=test CA",
            "-ext",
            "bc:c",
            "-keystore",
            store.toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit"
          },
          {
            keytool,
            "-exportcert",
            "-rfc",
            "-alias",
            "ca",
            "-keystore",
            store.toString(),
            "-storepass",
            "changeit",
            "-file",
            pem.toString()
          }
        }) {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as(out).isZero();
    }
    RegistryClientConfig c =
        RegistryClientConfig.fromMap(
            Map.of(
                "schema.registry.url", "https://127.0.0.1:8081",
                "schema.registry.ssl.truststore.location", pem.toString(),
                "schema.registry.ssl.truststore.type", "PEM"));
    assertThat(c.sslContext()).isPresent();

    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromMap(
                    Map.of(
                        "schema.registry.url", "https://127.0.0.1:8081",
                        "ssl.truststore.location", notPem.toString(),
                        "ssl.truststore.type", "PEM")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ssl.truststore.location");
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromMap(
                    Map.of(
                        "schema.registry.url", "https://127.0.0.1:8081",
                        "ssl.endpoint.identification.algorithm", "")))
        .isInstanceOf(ConfigException.class);
  }
}
