package io.sluice.gateway.quota;

/** Tokens of one request, estimated before it runs or counted after it ran. */
public record Usage(long inputTokens, long outputTokens) {
    public long total() {
        return inputTokens + outputTokens;
    }
}
