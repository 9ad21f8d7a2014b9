package dev.agentyard.simulator;

import java.util.Locale;

/** A failure the simulator can inject, as a real provider shows it. */
public enum FaultKind {
  /** 429 with a retry-after header. */
  RATE_LIMIT("429"),
  /** 500 internal error. */
  SERVER_ERROR("500"),
  /** 503 service unavailable. */
  UNAVAILABLE("503"),
  /** 529 overloaded (Anthropic's own status). */
  OVERLOADED("529"),
  /** The response never comes within any sane timeout (the server abandons the call). */
  TIMEOUT("timeout"),
  /** The connection is closed without a response. */
  RESET("reset"),
  /** 200 with a body that is not valid JSON. */
  MALFORMED("malformed"),
  /**
   * The model declines on content policy (200; stop_reason refusal / finish_reason content_filter).
   */
  REFUSAL("refusal"),
  /** 400: the prompt exceeds the model's context window. */
  CONTEXT_LENGTH("context");

  private final String marker;

  FaultKind(String marker) {
    this.marker = marker;
  }

  /** The word used in {@code [[sim:<marker>]]} prompt markers and in config keys. */
  public String marker() {
    return marker;
  }

  public static FaultKind fromMarker(String s) {
    for (FaultKind k : values()) {
      if (k.marker.equals(s) || k.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(s)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown fault '" + s + "'");
  }

  /** Whether a provider bills the call (only answered calls are billed). */
  public boolean billed() {
    return this == REFUSAL;
  }
}
