package dev.agentyard.workers.provider;

/**
 * Tokens a provider billed for one call. {@code input} excludes cache reads and writes, whatever
 * the provider's own convention (OpenAI's {@code prompt_tokens} includes cached tokens; they are
 * subtracted here so one price table applies to both).
 */
public record TokenUsage(long input, long output, long cacheRead, long cacheWrite) {

  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0);

  public long total() {
    return input + output + cacheRead + cacheWrite;
  }

  public TokenUsage plus(TokenUsage o) {
    return new TokenUsage(
        input + o.input, output + o.output, cacheRead + o.cacheRead, cacheWrite + o.cacheWrite);
  }
}
