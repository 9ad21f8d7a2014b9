package dev.agentyard.simulator;

import java.util.Locale;

/**
 * A failure or an unusual answer the simulator can serve, as a real provider shows it (the shapes
 * of docs/provider-simulator.md). Each has a marker for {@code [[sim:<marker>]]} in a prompt and
 * for {@code sim.model.<m>.fault.<marker>} rates.
 */
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
  /** 400: the prompt exceeds the model's context window ("prompt is too long: N > M"). */
  CONTEXT_LENGTH("context"),
  /**
   * 400, Anthropic's other form: "input length and `max_tokens` exceed context limit: N + M > L"
   * (OpenAI-format: the same as {@link #CONTEXT_LENGTH}).
   */
  CONTEXT_LIMIT("context-limit"),
  /**
   * Out of quota or credit: OpenAI's 429 {@code insufficient_quota}, Anthropic's 400 "credit
   * balance is too low".
   */
  QUOTA("quota"),
  /** Anthropic's 402 {@code billing_error} (OpenAI-format: 429 insufficient_quota). */
  BILLING("402"),
  /** 408 request timeout. */
  REQUEST_TIMEOUT("408"),
  /** 409 conflict. */
  CONFLICT("409"),
  /** 200 whose body is an error object (overloaded / server_error). */
  ERROR_IN_200("error-200"),
  /**
   * A streamed answer that stops after its first content block with an error event (overloaded);
   * billed for what was streamed. Not streaming: a reset.
   */
  STREAM_ERROR("stream-error"),
  /**
   * A streamed answer whose connection closes after its first content block, without an error;
   * billed for what was streamed. Not streaming: a reset.
   */
  STREAM_CUT("stream-cut"),
  /** An answer with Anthropic's stop_reason pause_turn (OpenAI-format: a normal answer). */
  PAUSE("pause"),
  /**
   * An answer cut off by the model's context window: Anthropic's model_context_window_exceeded
   * (OpenAI-format: finish_reason length).
   */
  WINDOW("window"),
  /** An answer cut off at max tokens (stop_reason max_tokens / finish_reason length). */
  TRUNCATE("truncate");

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

  /** True when the fault is an answer the provider bills (200 with a stop reason). */
  public boolean answered() {
    return this == REFUSAL || this == PAUSE || this == WINDOW || this == TRUNCATE;
  }

  /** True when a streamed answer is served and then broken off after its first block. */
  public boolean breaksStream() {
    return this == STREAM_ERROR || this == STREAM_CUT;
  }

  /** Whether a provider bills the call (only answered calls are billed). */
  public boolean billed() {
    return answered();
  }
}
