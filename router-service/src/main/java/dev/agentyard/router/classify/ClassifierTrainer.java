package dev.agentyard.router.classify;

import dev.agentyard.router.content.PdfText;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import opennlp.tools.doccat.BagOfWordsFeatureGenerator;
import opennlp.tools.doccat.DoccatFactory;
import opennlp.tools.doccat.DoccatModel;
import opennlp.tools.doccat.DocumentCategorizerME;
import opennlp.tools.doccat.DocumentSample;
import opennlp.tools.doccat.FeatureGenerator;
import opennlp.tools.doccat.NGramFeatureGenerator;
import opennlp.tools.util.ObjectStreamUtils;
import opennlp.tools.util.TrainingParameters;

/**
 * Trains the {@link DocumentClassifier} from the labelled corpus's training split. Maximum entropy
 * (GIS) is deterministic, so the same corpus gives the same model and the same version.
 */
public final class ClassifierTrainer {

  /** Training iterations of the maximum-entropy trainer. */
  public static final int ITERATIONS = 150;

  /** Features seen fewer times than this are dropped. */
  public static final int CUTOFF = 2;

  private ClassifierTrainer() {}

  /** Trains on the documents of the {@code train} split. */
  public static DocumentClassifier train(List<LabelledDocument> corpus, PdfText pdf) {
    List<LabelledDocument> train =
        corpus.stream().filter(d -> d.split().equals(LabelledDocument.TRAIN)).toList();
    if (train.isEmpty()) {
      throw new IllegalArgumentException("the corpus has no training documents");
    }
    List<DocumentSample> samples =
        train.stream()
            .map(
                d ->
                    new DocumentSample(
                        d.label(), Tokens.of(text(d, pdf), DocumentClassifier.MAX_TOKENS)))
            .toList();
    TrainingParameters params = TrainingParameters.defaultParams();
    params.put(TrainingParameters.ALGORITHM_PARAM, "MAXENT");
    params.put(TrainingParameters.ITERATIONS_PARAM, ITERATIONS);
    params.put(TrainingParameters.CUTOFF_PARAM, CUTOFF);
    try {
      DoccatModel model =
          DocumentCategorizerME.train(
              "en",
              ObjectStreamUtils.createObjectStream(samples),
              params,
              new DoccatFactory(
                  new FeatureGenerator[] {
                    new BagOfWordsFeatureGenerator(),
                    new NGramFeatureGenerator(2, 2),
                    new SubwordFeatureGenerator()
                  }));
      return new DocumentClassifier(model, "doccat-maxent-" + Corpus.fingerprint(corpus));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The text of a corpus document, extracted the same way the router extracts a task's document.
   */
  public static String text(LabelledDocument d, PdfText pdf) {
    return d.pdf() ? pdf.extract(d.bytes()) : new String(d.bytes(), StandardCharsets.UTF_8);
  }
}
