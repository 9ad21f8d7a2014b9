package dev.agentyard.router.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.router.Fixtures;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.router.corpus.LabelledDocument;
import java.util.List;
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

  /**
   * Training is deterministic, so the model built with the router is the one its corpus trains, and
   * its version names it.
   */
  @Test
  void theBundledModelIsTheOneTheCorpusTrains() {
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
