package io.sluice.gateway.service;

/** The outcome of one quota check, with what the rate-limit headers report. */
public record RateDecision(boolean admitted, long limit, long remaining, long resetSeconds, boolean degraded) {

    /** Used when Redis cannot answer and the policy is to fail open. */
    public static RateDecision degradedAdmit(long limit) {
        return new RateDecision(true, limit, limit, 60, true);
    }
}
