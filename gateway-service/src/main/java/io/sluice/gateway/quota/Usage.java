package io.sluice.gateway.quota;

/**
 * Tokens of one request, estimated before it runs or counted after it ran; {@code cachedInputTokens} are the part of
 * the input the provider served from its prompt cache (cheaper, still counted against token quotas).
 */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens) {

    public Usage(long inputTokens, long outputTokens) {
        this(inputTokens, outputTokens, 0);
    }

    public long total() {
        return inputTokens + outputTokens;
    }
}
