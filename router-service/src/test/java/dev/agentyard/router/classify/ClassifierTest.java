package dev.agentyard.router.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.router.Fixtures;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.router.corpus.CorpusGenerator;
import dev.agentyard.router.corpus.LabelledDocument;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClassifierTest {

  @Test
  void theBundledCorpusIsLargeVariedAndLabelled() {
    List<LabelledDocument> corpus = Fixtures.CORPUS;
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(300);
    assertThat(corpus.stream().map(LabelledDocument::label).distinct())
        .containsExactlyInAnyOrder("income", "banking", "identity", "property", "other");
    assertThat(corpus.stream().map(LabelledDocument::template).distinct().count())
        .isGreaterThanOrEqualTo(20);
    assertThat(corpus.stream().filter(LabelledDocument::pdf).count()).isGreaterThanOrEqualTo(30);
    long test = corpus.stream().filter(d -> d.split().equals(LabelledDocument.TEST)).count();
    assertThat(test).isBetween(corpus.size() / 6L, corpus.size() / 3L);
    assertThat(corpus.stream().map(LabelledDocument::id).distinct().count())
        .isEqualTo(corpus.size());
  }

  @Test
  void theGeneratorReproducesTheCorpusInTheRepository() {
    List<LabelledDocument> regenerated =
        CorpusGenerator.generate(CorpusGenerator.DEFAULT_SEED, CorpusGenerator.DEFAULT_COUNTS);
    Map<String, LabelledDocument> bundled =
        Fixtures.CORPUS.stream().collect(Collectors.toMap(LabelledDocument::id, d -> d));
    assertThat(regenerated).hasSameSizeAs(Fixtures.CORPUS);
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
    Evaluation e =
        Evaluation.of(Fixtures.classifier(), Fixtures.CORPUS, RouterConfig.DEFAULT_PDF, 0.6);
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

  @Test
  void trainingIsDeterministicSoTheVersionNamesTheModel() {
    DocumentClassifier again = ClassifierTrainer.train(Fixtures.CORPUS, RouterConfig.DEFAULT_PDF);
    assertThat(again.version())
        .isEqualTo(Fixtures.classifier().version())
        .startsWith("doccat-maxent-");
    String text = Fixtures.text("appraisal", 0);
    assertThat(again.classify(text).confidence())
        .isEqualTo(Fixtures.classifier().classify(text).confidence());
  }

  @Test
  void tokensFoldDigitsAndCase() {
    assertThat(Tokens.of("W-2 Wages: $84,200.00 ＦＵＬＬ", 100))
        .containsExactly("w", "0", "wages", "00", "000", "00", "full");
    assertThat(Tokens.of("a b c d", 2)).containsExactly("a", "b");
  }
}
