package dev.agentyard.tools.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.router.RouterConfig;
import dev.agentyard.router.classify.BundledModel;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The generator makes the corpus the router is built from, and the model built from it passes the
 * accuracy bar.
 */
class CorpusToolsTest {

  static final List<LabelledDocument> CORPUS = Corpus.bundled();

  @Test
  void theGeneratorReproducesTheCorpusInTheRepository() {
    List<LabelledDocument> regenerated =
        CorpusGenerator.generate(CorpusGenerator.DEFAULT_SEED, CorpusGenerator.DEFAULT_COUNTS);
    Map<String, LabelledDocument> bundled =
        CORPUS.stream().collect(Collectors.toMap(LabelledDocument::id, d -> d));
    assertThat(regenerated).hasSameSizeAs(CORPUS);
    for (LabelledDocument d : regenerated) {
      LabelledDocument b = bundled.get(d.id());
      assertThat(b).as(d.id()).isNotNull();
      assertThat(List.of(b.label(), b.template(), b.split(), b.mediaType()))
          .as(d.id())
          .isEqualTo(List.of(d.label(), d.template(), d.split(), d.mediaType()));
      if (d.pdf()) {
        assertThat(RouterConfig.DEFAULT_PDF.extract(b.bytes()))
            .as(d.id())
            .isEqualTo(RouterConfig.DEFAULT_PDF.extract(d.bytes()));
      } else {
        assertThat(new String(b.bytes(), StandardCharsets.UTF_8))
            .as(d.id())
            .isEqualTo(new String(d.bytes(), StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void classifiesTheHeldOutSplitAtLeastNinetyFivePercentRight() {
    Evaluation e = Evaluation.of(BundledModel.load(), CORPUS, RouterConfig.DEFAULT_PDF, 0.6);
    assertThat(e.total()).isGreaterThanOrEqualTo(100);
    assertThat(e.accuracy()).isGreaterThanOrEqualTo(0.95);
    for (String label : e.labels()) {
      assertThat(e.recall(label)).as("recall of %s", label).isGreaterThanOrEqualTo(0.85);
      assertThat(e.precision(label)).as("precision of %s", label).isGreaterThanOrEqualTo(0.85);
    }
    assertThat(e.format(Map.of("other", "triage")))
        .contains("confusion matrix")
        .contains("accuracy");
  }
}
