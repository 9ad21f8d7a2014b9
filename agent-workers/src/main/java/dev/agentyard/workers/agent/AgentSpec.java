package dev.agentyard.workers.agent;

import dev.agentyard.workers.provider.CallOptions;
import dev.agentyard.workers.resilience.ModelRef;
import java.time.Duration;
import java.util.List;

/**
 * How a route's agent works: its static (cacheable) system prompt, its model chain, the tools it
 * may call (least privilege), its budgets and the schema its answer must match.
 *
 * @param route the route
 * @param systemPrompt the system prompt, identical on every call so providers can cache it
 * @param models primary model first, then fallbacks in order
 * @param tools the allowlist: a tool not here is never executed
 * @param maxTurns most model turns (answered calls) per task
 * @param maxToolCalls most tool executions per task
 * @param costCapMicroUsd most a task may spend, in micro-USD, counting earlier attempts
 * @param tokenCap most tokens a task may use (0 = no cap besides cost)
 * @param timeout wall time from the start of an attempt to the last turn
 * @param maxOutputTokens most output tokens per call
 * @param output the answer's schema
 * @param options per-call options: cache lifetime, extended thinking, service tier
 * @param checkedFigures numeric fields of the answer that must be figures of the document (or a
 *     pay-period amount of one annualised): an injected or invented figure goes to review
 */
public record AgentSpec(
    String route,
    String systemPrompt,
    List<ModelRef> models,
    List<String> tools,
    int maxTurns,
    int maxToolCalls,
    long costCapMicroUsd,
    long tokenCap,
    Duration timeout,
    int maxOutputTokens,
    OutputValidator output,
    CallOptions options,
    List<String> checkedFigures) {

  /** A spec whose calls use the default options. */
  public AgentSpec(
      String route,
      String systemPrompt,
      List<ModelRef> models,
      List<String> tools,
      int maxTurns,
      int maxToolCalls,
      long costCapMicroUsd,
      long tokenCap,
      Duration timeout,
      int maxOutputTokens,
      OutputValidator output) {
    this(
        route,
        systemPrompt,
        models,
        tools,
        maxTurns,
        maxToolCalls,
        costCapMicroUsd,
        tokenCap,
        timeout,
        maxOutputTokens,
        output,
        CallOptions.DEFAULT,
        List.of());
  }

  public AgentSpec {
    options = options == null ? CallOptions.DEFAULT : options;
    checkedFigures = checkedFigures == null ? List.of() : List.copyOf(checkedFigures);
    models = List.copyOf(models);
    tools = List.copyOf(tools);
    if (models.isEmpty()) {
      throw new IllegalArgumentException("route " + route + " needs at least one model");
    }
  }

  /**
   * The spec for a task the router gave a model tier: the chain starts at the first model of at
   * least that tier (the rest stay as fallbacks). UNKNOWN, or a tier no model reaches, keeps the
   * route's chain as configured.
   */
  public AgentSpec forTier(dev.agentyard.avro.ModelTier tier) {
    if (tier == null || tier == dev.agentyard.avro.ModelTier.UNKNOWN) {
      return this;
    }
    for (int i = 0; i < models.size(); i++) {
      if (models.get(i).tier().ordinal() >= tier.ordinal()) {
        return i == 0
            ? this
            : new AgentSpec(
                route,
                systemPrompt,
                models.subList(i, models.size()),
                tools,
                maxTurns,
                maxToolCalls,
                costCapMicroUsd,
                tokenCap,
                timeout,
                maxOutputTokens,
                output,
                options,
                checkedFigures);
      }
    }
    return this;
  }
}
