package dev.agentyard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secured broker's and registry's settings never print a password. */
class SecuritySettingsTest {

  @Test
  void theBrokersAndTheRegistrysSecurityHideTheirPasswordsWhenPrinted(@TempDir Path dir) {
    LocalCertificates certificates = LocalCertificates.inDirectory(dir);
    LocalKafkaBroker.Security broker =
        new LocalKafkaBroker.Security(certificates, "agentyard-admin", "broker-s3cret-pw");
    ApicurioRegistry.Security registry =
        new ApicurioRegistry.Security(
            certificates, "registry-admin", Map.of("registry-admin", "registry-s3cret-pw"));

    assertThat(broker.toString())
        .contains("agentyard-admin")
        .doesNotContain("broker-s3cret-pw")
        .doesNotContain(certificates.storePassword());
    assertThat(registry.toString())
        .contains("registry-admin")
        .doesNotContain("registry-s3cret-pw")
        .doesNotContain(certificates.storePassword());
  }
}
