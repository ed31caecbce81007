package io.sluice.orchestrator.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Retries, fallbacks and circuit breakers around every call to a deployment. */
@ConfigMapping(prefix = "sluice.routing")
public interface RoutingConfig {

    /** Rounds of retries over the alias chain after every candidate failed with a retryable outcome. */
    @WithDefault("3")
    int maxRetries();

    /** Backoff before the first retry; doubled for each further one (1 s, 2 s, 4 s by default). */
    @WithDefault("1s")
    Duration initialBackoff();

    @WithDefault("30s")
    Duration maxBackoff();

    /** Random share (0..1) of each backoff added or removed, so that clients do not retry in lock-step. */
    @WithDefault("0.2")
    double jitter();

    /** Longest cool-down a provider's Retry-After may impose on a deployment. */
    @WithDefault("30s")
    Duration retryAfterCap();

    /** Everything (attempts, backoffs, fallbacks) for one client request happens within this. */
    @WithDefault("180s")
    Duration overallDeadline();

    CircuitBreaker circuitBreaker();

    interface CircuitBreaker {
        /** Calls in the rolling window the failure ratio is computed over. */
        @WithDefault("5")
        int requestVolumeThreshold();

        @WithDefault("1.0")
        double failureRatio();

        /** How long an open breaker stays open before letting trial calls through. */
        @WithDefault("60s")
        Duration delay();

        /** Successful trial calls needed to close a half-open breaker. */
        @WithDefault("2")
        int successThreshold();
    }
}
