package dev.agentyard.simulator;

import java.util.List;

/**
 * A request in provider-neutral form: what the engine needs to decide and bill the answer.
 *
 * @param model the model asked for
 * @param systemText the whole system prompt
 * @param cacheablePrefix the part of the prompt the provider may cache (empty: none)
 * @param allText every token-bearing part of the request, for counting input tokens
 * @param firstUserText the first user message: identifies the conversation across turns and retries
 * @param toolTurns assistant messages with tool calls already in the conversation (0 on the first
 *     call): the scripted steps done
 * @param tools names of the tools offered
 * @param maxTokens most output tokens allowed
 * @param stream whether the answer is to be streamed (server-sent events)
 * @param thinkingBudget extended thinking's budget tokens, 0 when off
 * @param cacheTtl the lifetime asked for the cached prefix: {@code 5m} or {@code 1h}
 */
record Conversation(
    String model,
    String systemText,
    String cacheablePrefix,
    String allText,
    String firstUserText,
    int toolTurns,
    List<String> tools,
    long maxTokens,
    boolean stream,
    long thinkingBudget,
    String cacheTtl) {}
