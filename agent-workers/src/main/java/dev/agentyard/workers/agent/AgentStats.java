package dev.agentyard.workers.agent;

import dev.agentyard.avro.ModelTier;
import dev.agentyard.avro.StopReason;
import dev.agentyard.workers.provider.TokenUsage;

/**
 * What an agent run did, for the result, review item or dead letter.
 *
 * @param stopReason why it stopped
 * @param turns model turns taken
 * @param toolCalls tools executed
 * @param hallucinatedToolCalls tool calls refused because the tool is not on the allowlist
 * @param modelCalls calls sent, including retries and fallbacks
 * @param tokens billed tokens over all calls
 * @param costMicroUsd cost of this attempt's calls
 * @param provider provider of the last answering model (empty if none answered)
 * @param model last answering model (empty if none answered)
 * @param tier its tier
 * @param fallbackUsed whether a fallback model answered any turn
 * @param approvalGrantId the approval grant the run used for an irreversible action, or null
 */
public record AgentStats(
    StopReason stopReason,
    int turns,
    int toolCalls,
    int hallucinatedToolCalls,
    int modelCalls,
    TokenUsage tokens,
    long costMicroUsd,
    String provider,
    String model,
    ModelTier tier,
    boolean fallbackUsed,
    String approvalGrantId) {}
