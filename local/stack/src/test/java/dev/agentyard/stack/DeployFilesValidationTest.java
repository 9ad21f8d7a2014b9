package dev.agentyard.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deploy files against their published schemas: {@code deploy/docker-compose.yml} against the
 * Compose Specification's JSON schema, every document of {@code deploy/k8s} against the Kubernetes
 * OpenAPI schema or the Strimzi / Prometheus-operator CRD schema of its kind. The validator is
 * {@code deploy/validate} (Node.js, packages pinned by its lock file, installed with {@code npm ci}
 * into target/ — the machine's Node.js and the npm registry); a copy of the files with mistakes
 * planted in them must be refused, so a validator that passes everything fails this test.
 */
class DeployFilesValidationTest {

  static final Path WORK = Path.of("target/deploy-validate").toAbsolutePath();

  record Run(int exit, String output) {}

  @BeforeAll
  static void install() throws Exception {
    Path source = DeployFiles.DEPLOY.resolve("validate");
    Files.createDirectories(WORK.resolve("schemas"));
    byte[] lock = Files.readAllBytes(source.resolve("package-lock.json"));
    Path installed = WORK.resolve("node_modules/.package-lock.json");
    boolean fresh =
        !Files.isRegularFile(WORK.resolve("package-lock.json"))
            || !java.util.Arrays.equals(lock, Files.readAllBytes(WORK.resolve("package-lock.json")))
            || !Files.isRegularFile(installed);
    for (String f :
        List.of("package.json", "package-lock.json", "validate.mjs", "schemas/compose-spec.json")) {
      Files.copy(source.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    if (fresh) {
      Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
      assertThat(npm.exit()).as("npm ci in %s:\n%s", WORK, npm.output()).isZero();
    }
  }

  static Run run(List<String> command, int seconds) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          command.get(0)
              + " is not on the PATH: the deploy files are validated with Node.js and npm (the"
              + " machine's own; install Node.js 20 or later)",
          e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " did not finish in " + seconds + " s: " + out);
    }
    return new Run(p.exitValue(), out);
  }

  static Run validate(Path compose, Path k8s) throws Exception {
    return run(List.of("node", "validate.mjs", compose.toString(), k8s.toString()), 120);
  }

  static long documents(Path dir) throws IOException {
    long n = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        n += DeployFiles.yamlDocuments(f).size();
      }
    }
    return n;
  }

  @Test
  void theComposeFileAndEveryKubernetesManifestMatchTheirSchemas() throws Exception {
    Path k8s = DeployFiles.DEPLOY.resolve("k8s");
    Run r = validate(DeployFiles.DEPLOY.resolve("docker-compose.yml"), k8s);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("VALID: " + (documents(k8s) + 1) + " document(s)");
  }

  @Test
  void mistakesPlantedInACopyAreEachFound() throws Exception {
    Path bad = Files.createDirectories(WORK.resolve("planted/k8s"));
    String compose = Files.readString(DeployFiles.DEPLOY.resolve("docker-compose.yml"));
    Path composeCopy = WORK.resolve("planted/docker-compose.yml");
    Files.writeString(
        composeCopy,
        compose.replaceFirst("(?m)^services:\n", "services:\n  broken:\n    ports: 8080\n"));
    List<String> planted = new ArrayList<>();
    try (Stream<Path> files = Files.list(DeployFiles.DEPLOY.resolve("k8s"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        String text = Files.readString(f);
        String changed =
            text.replaceFirst("replicas: (\\d+)", "replicas: \"$1 pods\"")
                .replaceFirst("partitions: (\\d+)", "partitions: many")
                .replaceFirst("type: scram-sha-512", "type: scram-sha-9");
        if (!changed.equals(text)) {
          planted.add(f.getFileName().toString());
        }
        Files.writeString(bad.resolve(f.getFileName()), changed);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Files.writeString(
        bad.resolve("unknown.yaml"),
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaWidget\nmetadata:\n  name: w\n");
    Run r = validate(composeCopy, bad);
    assertThat(r.exit()).as(r.output()).isEqualTo(1);
    assertThat(r.output())
        .contains("/services/broken/ports must be array")
        .containsPattern("Deployment/[a-z-]+: /spec/replicas must be integer")
        .containsPattern("KafkaTopic/[a-z.0-9]+: /spec/partitions must be integer")
        .containsPattern("KafkaUser/[a-z-]+: /spec/authentication/type must be equal to one of")
        .contains("no schema for kind KafkaWidget");
    assertThat(planted).contains("services.yaml", "topics.yaml", "users.yaml");
  }
}
