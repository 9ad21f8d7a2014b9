package dev.agentyard.workers.provider;

import dev.agentyard.runtime.pricing.PriceTable;

/**
 * A route's options for each of its model calls.
 *
 * @param cacheTtl the prompt-cache lifetime asked for the system prompt: {@code 5m} (the default,
 *     writes at 1.25 x input) or {@code 1h} (writes at 2 x input; worth it when the prefix is
 *     reused for longer than 5 minutes)
 * @param thinkingBudget extended thinking's budget in tokens, 0 = off (Anthropic; at least 1024,
 *     and below the call's max tokens); thinking is billed as output
 * @param serviceTier the price table tier the calls are made at ({@value PriceTable#STANDARD},
 *     {@code batch}, {@code flex}, {@code priority}, {@code data-residency}); sent to the provider
 *     where it has a request field for it
 */
public record CallOptions(String cacheTtl, int thinkingBudget, String serviceTier) {

  public static final CallOptions DEFAULT = new CallOptions("5m", 0, PriceTable.STANDARD);

  public CallOptions {
    if (!cacheTtl.equals("5m") && !cacheTtl.equals("1h")) {
      throw new IllegalArgumentException("cache TTL must be 5m or 1h, got '" + cacheTtl + "'");
    }
    if (thinkingBudget != 0 && thinkingBudget < 1024) {
      throw new IllegalArgumentException(
          "a thinking budget is 0 (off) or at least 1024 tokens, got " + thinkingBudget);
    }
    serviceTier = serviceTier == null || serviceTier.isBlank() ? PriceTable.STANDARD : serviceTier;
  }
}
