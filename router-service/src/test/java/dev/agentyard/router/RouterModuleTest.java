package dev.agentyard.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentyard.router.classify.BundledModel;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which classifier the router's module builds: nothing here needs a cluster (nothing connects). */
class RouterModuleTest {

  @TempDir Path dir;

  private static RouterModule module(Map<String, String> settings) {
    RouterConfig config = RouterConfig.withDefaults(settings);
    return new RouterModule(config, new DefaultKafkaClients(config.kafka()), Clock.systemUTC());
  }

  @Test
  void byDefaultTheClassifierIsTheModelBuiltWithTheRouter() {
    try (RouterModule m = module(Map.of())) {
      assertThat(m.classifier().version()).isEqualTo(BundledModel.load().version());
    }
  }

  @Test
  void aModelFileReplacesIt() throws Exception {
    Path file = dir.resolve("router.bin");
    try (OutputStream out = Files.newOutputStream(file)) {
      BundledModel.load().save(out);
    }
    try (RouterModule m = module(Map.of("router.classifier.model-file", file.toString()))) {
      DocumentClassifier c = m.classifier();
      assertThat(c.version()).isEqualTo("doccat-file-router.bin");
      String text = Fixtures.text("appraisal", 0);
      assertThat(c.classify(text).label()).isEqualTo(Fixtures.classifier().classify(text).label());
    }
    Files.writeString(file, "not a model");
    try (RouterModule m = module(Map.of("router.classifier.model-file", file.toString()))) {
      assertThatThrownBy(m::classifier).hasMessageContaining("router.classifier.model-file");
    }
  }

  @Test
  void aCorpusDirectoryIsTrainedFromAtStartAndAMissingOneFailsClearly() {
    // the router's own corpus, as a directory: the same corpus trains the same model
    try (RouterModule m = module(Map.of("router.classifier.corpus-dir", "src/corpus"))) {
      assertThat(m.classifier().version()).isEqualTo(BundledModel.load().version());
    }
    try (RouterModule m =
        module(Map.of("router.classifier.corpus-dir", dir.resolve("absent").toString()))) {
      assertThatThrownBy(m::classifier)
          .hasMessageContaining("router.classifier.corpus-dir")
          .hasMessageContaining("index.tsv");
    }
  }

  /**
   * One stream thread per core, up to the tasks topic's partitions, unless the operator set {@code
   * kafka.streams.num.stream.threads}: the router's per-document work runs on the thread that
   * polled it, so one thread used one core of however many there were.
   */
  @Test
  void streamThreadsFollowTheCoresUpToThePartitionsUnlessSet() {
    assertThat(RouterModule.defaultStreamThreads(8, 4)).isEqualTo(4);
    assertThat(RouterModule.defaultStreamThreads(2, 4)).isEqualTo(2);
    assertThat(RouterModule.defaultStreamThreads(1, 4)).isEqualTo(1);
    assertThat(RouterModule.defaultStreamThreads(4, 1)).isEqualTo(1);
    int cores = Runtime.getRuntime().availableProcessors();
    try (RouterModule m = module(Map.of())) {
      assertThat(m.streamsProperties(64).get("num.stream.threads")).isEqualTo(Math.min(cores, 64));
    }
    try (RouterModule m = module(Map.of("kafka.streams.num.stream.threads", "3"))) {
      assertThat(m.streamsProperties(64).get("num.stream.threads")).isEqualTo("3");
    }
  }
}
