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
 * @param assistantTurns assistant messages already in the conversation (0 on the first call)
 * @param tools names of the tools offered
 * @param maxTokens most output tokens allowed
 */
record Conversation(
    String model,
    String systemText,
    String cacheablePrefix,
    String allText,
    String firstUserText,
    int assistantTurns,
    List<String> tools,
    long maxTokens) {}
