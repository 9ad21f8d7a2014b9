package dev.agentyard.router.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.avro.ClassifierEvaluation;
import dev.agentyard.avro.LabelSource;
import dev.agentyard.avro.RouteLabel;
import dev.agentyard.router.Fixtures;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.router.classify.ClassifierTrainer;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.router.corpus.LabelledDocument;
import dev.agentyard.router.routing.RouteTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrainingTest {

  static final RouteTable ROUTES = RouterConfig.withDefaults(Map.of()).routes();
  static final List<LabelledDocument> GOLDEN =
      Fixtures.CORPUS.stream().filter(d -> d.split().equals(LabelledDocument.TEST)).toList();

  static RouteLabel label(String taskId, String route, LabelSource source, String text) {
    return RouteLabel.newBuilder()
        .setTaskId(taskId)
        .setTenant("acme-bank")
        .setRoute(route)
        .setSource(source)
        .setLabelledBy(source == LabelSource.REVIEWER ? "cli:ana" : "anthropic:claude-haiku-4-5")
        .setText(text)
        .setLabelledAt(Instant.parse("2026-12-05T10:00:00Z"))
        .build();
  }

  @Test
  void aReviewersDecisionOutranksTheTriageModelsAndRoutesWithoutAClassTeachNothing() {
    List<RouteLabel> labels =
        List.of(
            label("t1", "income", LabelSource.REVIEWER, "pay letter"),
            label("t1", "banking", LabelSource.TRIAGE, "pay letter"),
            label("t2", "banking", LabelSource.TRIAGE, "statement"),
            label("t2", "property", LabelSource.TRIAGE, "hoa statement"),
            label("t3", "fraud", LabelSource.REVIEWER, "no class"),
            label("t4", "none", LabelSource.TRIAGE, "newsletter"));
    List<RouteLabel> latest = Retraining.latestPerTask(labels, ROUTES);
    assertThat(latest)
        .extracting(RouteLabel::getTaskId, RouteLabel::getRoute)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("t1", "income"),
            org.assertj.core.groups.Tuple.tuple("t2", "property"),
            org.assertj.core.groups.Tuple.tuple("t4", "none"));
    assertThat(Retraining.asTraining(latest, ROUTES))
        .extracting(LabelledDocument::label)
        .containsExactly("income", "property", "other");
  }

  @Test
  void theGateRefusesACandidateTaughtWrongLabelsAndPassesOneTaughtRightOnes() {
    DocumentClassifier inForce = Fixtures.classifier();
    ClassifierEvaluation current =
        Retraining.evaluate(inForce, GOLDEN, ROUTES, RouterConfig.DEFAULT_PDF);

    // a reviewer (or a triage model) that calls every bank statement an identity document
    List<RouteLabel> wrong = new ArrayList<>();
    List<RouteLabel> right = new ArrayList<>();
    for (LabelledDocument d : Fixtures.CORPUS) {
      if (d.split().equals(LabelledDocument.TRAIN) && !d.label().equals("other")) {
        String text = ClassifierTrainer.text(d, RouterConfig.DEFAULT_PDF);
        right.add(label("r-" + d.id(), d.label(), LabelSource.TRIAGE, text));
        if (d.label().equals("banking")) {
          wrong.add(label("w-" + d.id(), "identity", LabelSource.REVIEWER, text));
        }
      }
    }
    DocumentClassifier poisoned =
        Retraining.train(
            Fixtures.CORPUS, Retraining.asTraining(wrong, ROUTES), RouterConfig.DEFAULT_PDF);
    ClassifierEvaluation bad =
        Retraining.evaluate(poisoned, GOLDEN, ROUTES, RouterConfig.DEFAULT_PDF);
    Retraining.Gate refused = Retraining.gate(bad, current, 0.02);
    assertThat(bad.getPrecision()).isLessThan(current.getPrecision());
    assertThat(refused.promote()).isFalse();
    assertThat(refused.reason()).startsWith("less precise than the model in force");

    DocumentClassifier taught =
        Retraining.train(
            Fixtures.CORPUS, Retraining.asTraining(right, ROUTES), RouterConfig.DEFAULT_PDF);
    ClassifierEvaluation good =
        Retraining.evaluate(taught, GOLDEN, ROUTES, RouterConfig.DEFAULT_PDF);
    assertThat(taught.version()).isNotEqualTo(inForce.version());
    assertThat(Retraining.gate(good, current, 0.02).promote())
        .as("%s vs %s", Retraining.describe(good), Retraining.describe(current))
        .isTrue();
  }

  @Test
  void aCandidateThatBuysPrecisionByDecidingNothingIsRefused() {
    ClassifierEvaluation current = eval(200, 180, 178);
    assertThat(Retraining.gate(eval(200, 10, 10), current, 0.02).reason())
        .startsWith("decides less locally");
    assertThat(Retraining.gate(eval(200, 178, 177), current, 0.02).promote())
        .as("1 point less local share, more precise: within the allowed drop")
        .isTrue();
    assertThat(Retraining.gate(eval(200, 190, 187), current, 0.02).promote()).isFalse();
  }

  private static ClassifierEvaluation eval(int docs, int decided, int correct) {
    return ClassifierEvaluation.newBuilder()
        .setGoldenSet("g")
        .setDocuments(docs)
        .setDecided(decided)
        .setCorrect(correct)
        .setPrecision(correct / (double) decided)
        .setLocalShare(decided / (double) docs)
        .build();
  }
}
