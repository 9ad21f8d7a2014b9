package dev.agentyard.workers.provider;

/**
 * What the worker does with a call's outcome, by its meaning rather than its wire format: the one
 * decision the calling policy and the agent loop both follow (docs/agent-workers.md, "Stop reasons
 * and errors").
 */
public enum Disposition {
  /** A final answer: validated against the route's schema. */
  ANSWER,
  /** The model asks for tools: they run and the loop goes on. */
  RUN_TOOLS,
  /** The provider paused a long turn: the content goes back as is and the model goes on. */
  CONTINUE_TURN,
  /** Cut off at the output budget: asked once more with twice the budget, then a person. */
  RETRY_LARGER_BUDGET,
  /** The context window is too small: the next model of the chain with a larger one. */
  LARGER_CONTEXT_MODEL,
  /** Refused on content policy: a review item carrying the provider's category. */
  REVIEW_REFUSAL,
  /** A transient failure: the same model after a backoff, then the next model. */
  RETRY_SAME_MODEL,
  /** This model cannot serve now (credential, or the provider said not to retry): the next one. */
  NEXT_MODEL,
  /**
   * The provider's quota or credit ran out: the provider is paused (an alert), the next model of
   * another provider serves, the task waits on the retry ladder if none can.
   */
  PAUSE_PROVIDER,
  /** The request itself is wrong: retrying cannot help. */
  FAIL;

  /** What to do with an answer. */
  public static Disposition of(ChatResponse response) {
    return switch (response.finish()) {
      case END_TURN -> ANSWER;
      case TOOL_USE -> RUN_TOOLS;
      case PAUSE_TURN -> CONTINUE_TURN;
      case MAX_TOKENS -> RETRY_LARGER_BUDGET;
      case CONTEXT_WINDOW_EXCEEDED -> LARGER_CONTEXT_MODEL;
      case REFUSAL -> REVIEW_REFUSAL;
    };
  }

  /** What to do with a failed call. */
  public static Disposition of(ProviderException e) {
    return switch (e.kind()) {
      case QUOTA_EXHAUSTED -> PAUSE_PROVIDER;
      case CONTEXT_LENGTH -> LARGER_CONTEXT_MODEL;
      case AUTHENTICATION, CIRCUIT_OPEN, THROTTLED -> NEXT_MODEL;
      case RATE_LIMITED, SERVER_ERROR, TIMEOUT, CONNECTION, MALFORMED_RESPONSE, CONFLICT ->
          e.retryableOnSameModel() ? RETRY_SAME_MODEL : NEXT_MODEL;
      case BAD_REQUEST -> e.retryableOnSameModel() ? RETRY_SAME_MODEL : FAIL;
      // never a call's failure: a run stopped at a budget ends before any model is tried
      case BUDGET_EXHAUSTED -> FAIL;
    };
  }
}
