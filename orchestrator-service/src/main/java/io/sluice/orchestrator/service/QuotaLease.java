package io.sluice.orchestrator.service;

/**
 * The part of one deployment's provider quota that this replica took from Redis for the current window and has not
 * spent yet. Redis counted the whole block when it granted it, so spending it locally needs no round trip and can
 * never take the replicas together over the quota; what is left unspent when the window turns is lost (at most one
 * block per replica and window).
 */
final class QuotaLease {
    private long window = Long.MIN_VALUE;
    private long expiresAtMillis;
    private long requests;
    private long tokens;

    /** Spends one request and {@code callTokens} tokens of the block, if it still holds them and has not expired. */
    synchronized boolean tryTake(long callTokens, long nowMillis) {
        if (nowMillis >= expiresAtMillis || requests < 1 || tokens < callTokens) {
            return false;
        }
        requests--;
        tokens -= callTokens;
        return true;
    }

    /**
     * Keeps what Redis granted beyond the call that asked for it, until {@code expiresAtMillis} (the end of Redis'
     * window {@code window}, on this replica's clock). A grant for a later window replaces the block; a late answer
     * for an earlier one is ignored.
     */
    synchronized void keep(long window, long expiresAtMillis, long requests, long tokens) {
        if (window < this.window) {
            return;
        }
        if (window > this.window) {
            this.window = window;
            this.requests = 0;
            this.tokens = 0;
        }
        this.expiresAtMillis = expiresAtMillis;
        this.requests += requests;
        this.tokens += tokens;
    }

    /** Forgets the block (admin reset), so that the next call asks Redis. */
    synchronized void drop() {
        requests = 0;
        tokens = 0;
        expiresAtMillis = 0;
    }
}
