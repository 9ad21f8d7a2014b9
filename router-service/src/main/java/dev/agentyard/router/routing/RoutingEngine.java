package dev.agentyard.router.routing;

import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.ReviewReason;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.RoutingMethod;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.router.RouterMetrics;
import dev.agentyard.router.classify.Classification;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.router.content.LoadedDocument;
import dev.agentyard.router.guard.InjectionScreen;
import dev.agentyard.runtime.control.ControlState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Utils;

/**
 * Decides where one task goes; pure apart from the control state it reads and the meters it counts.
 * In order: kill switches (task, tenant) → prompt-injection screen → route choice (trusted triage
 * verdict, else an upstream hint for a registered route, else the classifier, with low-confidence
 * documents sent to triage) → the chosen route must be enabled and not paused or killed → model
 * tier by route and document size → fan-out copies to secondary routes.
 */
public final class RoutingEngine {

  /** Stage name in review items raised here. */
  public static final String STAGE = "router";

  private final RouteTable routes;
  private final Supplier<DocumentClassifier> classifiers;
  private final InjectionScreen screen;
  private final ControlState control;
  private final RouterMetrics metrics;
  private final Clock clock;

  /** An engine that always classifies with one model. */
  public RoutingEngine(
      RouteTable routes,
      DocumentClassifier classifier,
      InjectionScreen screen,
      ControlState control,
      RouterMetrics metrics,
      Clock clock) {
    this(routes, () -> classifier, screen, control, metrics, clock);
  }

  /**
   * @param classifiers the model in force (read once per decision: a promotion or rollback takes
   *     effect at the next task)
   */
  public RoutingEngine(
      RouteTable routes,
      Supplier<DocumentClassifier> classifiers,
      InjectionScreen screen,
      ControlState control,
      RouterMetrics metrics,
      Clock clock) {
    this.routes = routes;
    this.classifiers = classifiers;
    this.screen = screen;
    this.control = control;
    this.metrics = metrics;
    this.clock = clock;
  }

  public RouteTable routes() {
    return routes;
  }

  /**
   * @param triage the triage verdict when the task comes back from triage (a trusted hint); empty
   *     for a task as submitted
   */
  public RoutingDecision route(
      TaskSubmitted task, LoadedDocument doc, Optional<TriageVerdict> triage) {
    String extracted = doc.extracted() ? doc.text() : null;
    Optional<ControlCommand> kill =
        control
            .active(ControlScope.TASK, task.getTaskId())
            .or(() -> control.active(ControlScope.TENANT, task.getTenant()))
            .filter(c -> c.getAction() == ControlAction.KILL);
    if (kill.isPresent()) {
      return review(
          task,
          extracted,
          null,
          ReviewReason.KILL_SWITCH,
          "killed before routing: " + describe(kill.get()));
    }

    List<InjectionScreen.Finding> findings = screen.screen(doc.text());
    if (!findings.isEmpty()) {
      metrics.injection(findings.stream().map(InjectionScreen.Finding::rule).distinct().toList());
      return review(
          task,
          extracted,
          null,
          ReviewReason.INJECTION_SUSPECTED,
          "possible prompt injection, never sent to a model: "
              + findings.stream().map(Object::toString).collect(Collectors.joining("; ")));
    }

    Choice choice;
    if (triage.isPresent()) {
      TriageVerdict v = triage.get();
      Optional<RouteSpec> r = routes.get(v.route());
      if (r.isEmpty() || v.route().equals(routes.triageRoute())) {
        return review(
            task,
            extracted,
            null,
            ReviewReason.LOW_CONFIDENCE,
            "triage ("
                + v.model()
                + ") found no specialist route: "
                + v.route()
                + " ("
                + v.reason()
                + ")");
      }
      if (v.confidence() < routes.triageMinConfidence()) {
        return review(
            task,
            extracted,
            v.route(),
            ReviewReason.LOW_CONFIDENCE,
            String.format(
                Locale.ROOT,
                "triage (%s) suggested %s with confidence %.2f, below %.2f: %s",
                v.model(),
                v.route(),
                v.confidence(),
                routes.triageMinConfidence(),
                v.reason()));
      }
      // the model in force names itself on every routed task, whoever decided
      choice =
          new Choice(r.get(), RoutingMethod.TRIAGE, v.confidence(), classifiers.get().version());
    } else {
      DocumentClassifier classifier = classifiers.get();
      Classification c = classifier.classify(doc.text());
      metrics.classified(c);
      Optional<RouteSpec> hinted =
          Optional.ofNullable(task.getRouteHint())
              .filter(h -> routes.honourHints())
              .flatMap(routes::get);
      if (task.getRouteHint() != null && hinted.isEmpty()) {
        metrics.hintRejected();
      }
      if (hinted.isPresent()) {
        RouteSpec h = hinted.get();
        double conf =
            h.classes().isEmpty()
                ? 1.0
                : h.classes().stream().mapToDouble(c::scoreOf).max().orElse(0);
        choice = new Choice(h, RoutingMethod.ROUTE_HINT, conf, classifier.version());
      } else {
        Optional<RouteSpec> byClass = routes.decidedBy(c.label(), c.confidence());
        if (byClass.isPresent()) {
          choice =
              new Choice(
                  byClass.get(), RoutingMethod.CLASSIFIER, c.confidence(), classifier.version());
        } else {
          choice =
              new Choice(
                  routes.triage(), RoutingMethod.CLASSIFIER, c.confidence(), classifier.version());
        }
      }
    }

    RouteSpec route = choice.route();
    Optional<Blocked> blocked = blocked(route);
    if (blocked.isPresent()) {
      return review(
          task,
          extracted,
          route.name(),
          blocked.get().reason(),
          blocked.get().detail()
              + String.format(
                  Locale.ROOT,
                  " (chosen by %s, confidence %.2f)",
                  choice.method(),
                  choice.confidence()));
    }

    long now = clock.millis();
    List<RoutedTask> out = new ArrayList<>();
    out.add(
        routed(
            task,
            route,
            choice.method(),
            choice.confidence(),
            choice.classifierVersion(),
            null,
            now,
            extracted,
            doc));
    if (!route.name().equals(routes.triageRoute())) {
      for (RouteSpec.FanOut f : route.fanOut()) {
        RouteSpec secondary = routes.get(f.route()).orElseThrow();
        if (!sampled(task.getCorrelationId(), f)) {
          continue;
        }
        if (blocked(secondary).isPresent()) {
          metrics.fanOutSkipped(secondary.name());
          continue;
        }
        out.add(
            routed(
                task,
                secondary,
                RoutingMethod.FAN_OUT,
                choice.confidence(),
                choice.classifierVersion(),
                route.name(),
                now,
                extracted,
                doc));
      }
    }
    return new RoutingDecision.Routed(out);
  }

  /** Why a route cannot take work now. */
  private record Blocked(ReviewReason reason, String detail) {}

  private Optional<Blocked> blocked(RouteSpec route) {
    if (!route.enabled()) {
      return Optional.of(
          new Blocked(
              ReviewReason.ROUTE_DISABLED,
              "route " + route.name() + " is disabled in the router configuration"));
    }
    return control
        .active(ControlScope.ROUTE, route.name())
        .filter(c -> c.getAction() == ControlAction.PAUSE || c.getAction() == ControlAction.KILL)
        .map(
            c ->
                c.getAction() == ControlAction.KILL
                    ? new Blocked(
                        ReviewReason.KILL_SWITCH,
                        "route " + route.name() + " is killed: " + describe(c))
                    : new Blocked(
                        ReviewReason.ROUTE_DISABLED,
                        "route " + route.name() + " is paused: " + describe(c)));
  }

  private static String describe(ControlCommand c) {
    return c.getAction()
        + " "
        + c.getScope().name().toLowerCase(Locale.ROOT)
        + ":"
        + c.getTarget()
        + " by "
        + c.getIssuedBy()
        + " ("
        + c.getReason()
        + ")";
  }

  /**
   * Whether an application's documents go to a secondary route: by a hash of the correlation id, so
   * every document of a sampled application goes, and a replay decides the same.
   */
  static boolean sampled(String correlationId, RouteSpec.FanOut f) {
    if (f.share() >= 1) {
      return true;
    }
    if (f.share() <= 0) {
      return false;
    }
    int h =
        Utils.toPositive(
            Utils.murmur2((correlationId + "|" + f.route()).getBytes(StandardCharsets.UTF_8)));
    return h / (double) Integer.MAX_VALUE < f.share();
  }

  private RoutedTask routed(
      TaskSubmitted task,
      RouteSpec route,
      RoutingMethod method,
      double confidence,
      String version,
      String primary,
      long now,
      String extracted,
      LoadedDocument doc) {
    var decision =
        dev.agentyard.avro.RoutingDecision.newBuilder()
            .setMethod(method)
            .setConfidence(confidence)
            .setClassifierVersion(version)
            .setPrimaryRoute(primary)
            .build();
    RoutedTask r =
        RoutedTask.newBuilder()
            .setTaskId(task.getTaskId())
            .setRoute(route.name())
            .setModelTier(route.tierFor(doc.text().length()))
            .setDecision(decision)
            .setRoutedAt(Instant.ofEpochMilli(now))
            .setExtractedText(extracted)
            .setTask(task)
            .build();
    metrics.routed(route.name(), r.getModelTier(), method);
    return r;
  }

  private RoutingDecision.Review review(
      TaskSubmitted task, String extracted, String route, ReviewReason reason, String detail) {
    metrics.review(reason);
    String id =
        "rv-"
            + UUID.nameUUIDFromBytes(
                (task.getTaskId() + "|" + STAGE + "|" + reason).getBytes(StandardCharsets.UTF_8));
    return new RoutingDecision.Review(
        ReviewItem.newBuilder()
            .setReviewId(id)
            .setTaskId(task.getTaskId())
            .setCorrelationId(task.getCorrelationId())
            .setTenant(task.getTenant())
            .setRoute(route)
            .setReason(reason)
            .setDetail(detail)
            .setStage(STAGE)
            .setCreatedAt(clock.instant())
            .setTask(task)
            .setExtractedText(extracted)
            .build());
  }

  /**
   * Builds a review item for a task outside a routing decision (e.g. triage that never answered).
   */
  public RoutingDecision.Review reviewOf(
      TaskSubmitted task, String extractedText, String route, ReviewReason reason, String detail) {
    return review(task, extractedText, route, reason, detail);
  }

  private record Choice(
      RouteSpec route, RoutingMethod method, double confidence, String classifierVersion) {}
}
