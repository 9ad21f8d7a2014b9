package dev.agentyard.dlq;

import dev.agentyard.runtime.metrics.Meters;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every meter of the dlq-handler. Operator actions are rare and each matters, so they are counted
 * by action and outcome; records by what happened to them; the HTTP API by status.
 */
public final class DlqMetrics {

  public static final String ACTIONS = "agentyard.dlq.actions";
  public static final String RECORDS = "agentyard.dlq.records";
  public static final String HTTP_REQUESTS = "agentyard.dlq.http.requests";

  private final Meters meters;

  public DlqMetrics(MeterRegistry registry) {
    this.meters = new Meters(registry);
  }

  /**
   * An audited action ended: {@code action} as in DlqAction, {@code outcome} as in AuditOutcome.
   */
  public void action(String action, String outcome) {
    meters
        .counter(
            ACTIONS,
            "Operator actions on dead letters and review items, by action and outcome",
            "action",
            action,
            "outcome",
            outcome)
        .increment();
  }

  /** Records an action touched: {@code replayed}, {@code parked}, {@code refused}. */
  public void records(String what, long n) {
    meters.counter(RECORDS, "Dead letters replayed, parked or refused", "what", what).increment(n);
  }

  /** An HTTP API request ended with a status ({@code 401} for a missing or wrong token). */
  public void http(int status) {
    meters
        .counter(HTTP_REQUESTS, "HTTP API requests by status", "status", Integer.toString(status))
        .increment();
  }
}
