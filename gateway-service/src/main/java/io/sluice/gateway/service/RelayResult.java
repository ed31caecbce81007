package io.sluice.gateway.service;

import io.sluice.contracts.UsageEvent;

/**
 * How a forwarded request ended, as far as billing, metrics and the ledger need to know.
 *
 * @param cachedTokens prompt tokens the provider served from its prompt cache (part of {@code promptTokens})
 * @param firstEventAtNanos {@link System#nanoTime()} when the first stream event reached the client; 0 if none
 */
public record RelayResult(int status, UsageEvent.Outcome outcome, int promptTokens, int completionTokens,
        int cachedTokens, String provider, String deployment, long firstEventAtNanos) {
    public static final int CLIENT_CLOSED_REQUEST = 499;

    public static RelayResult failed(int status) {
        return new RelayResult(status, UsageEvent.Outcome.ERROR, 0, 0, 0, null, null, 0);
    }

    /**
     * The client closed its connection before the answer reached it: recorded as 499, as nginx and Envoy log it,
     * so a client that gives up is not counted as a server error.
     */
    public static RelayResult clientClosed() {
        return new RelayResult(CLIENT_CLOSED_REQUEST, UsageEvent.Outcome.INCOMPLETE, 0, 0, 0, null, null, 0);
    }

    public static RelayResult rejected(int status) {
        return new RelayResult(status, UsageEvent.Outcome.REJECTED, 0, 0, 0, null, null, 0);
    }
}
