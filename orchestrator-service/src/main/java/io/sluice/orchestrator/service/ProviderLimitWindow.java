package io.sluice.orchestrator.service;

import java.time.Clock;
import java.time.Instant;

import io.sluice.orchestrator.catalog.DeploymentLimits;

/**
 * The fixed windows a deployment's provider quota is counted in, each under its own Redis key
 * {@code <prefix>{<deployment>}:<suffix>:<stamp>}, where the stamp is the epoch minute, hour or day (UTC) of the clock.
 * {@code provider-limit.lua} computes the same keys from Redis' {@code TIME}; this side names them for the admin view
 * and the tests.
 */
public enum ProviderLimitWindow {
    REQUESTS_PER_MINUTE("rpm", "minute", "requests", 60),
    TOKENS_PER_MINUTE("tpm", "minute", "tokens", 60),
    REQUESTS_PER_HOUR("rph", "hour", "requests", 3_600),
    REQUESTS_PER_DAY("rpd", "day", "requests", 86_400),
    TOKENS_PER_DAY("tpd", "day", "tokens", 86_400);

    private final String suffix;
    private final String period;
    private final String unit;
    private final long seconds;

    ProviderLimitWindow(String suffix, String period, String unit, long seconds) {
        this.suffix = suffix;
        this.period = period;
        this.unit = unit;
        this.seconds = seconds;
    }

    /** The key's window name ({@code rpm}, {@code rph}, ...), as the script returns it for a refusal. */
    public String suffix() {
        return suffix;
    }

    /** minute, hour or day. */
    public String period() {
        return period;
    }

    /** requests or tokens. */
    public String unit() {
        return unit;
    }

    /** The deployment's limit in this window; 0: the window is not limited. */
    public long limit(DeploymentLimits limits) {
        return switch (this) {
            case REQUESTS_PER_MINUTE -> limits.requestsPerMinute();
            case TOKENS_PER_MINUTE -> limits.tokensPerMinute();
            case REQUESTS_PER_HOUR -> limits.requestsPerHour();
            case REQUESTS_PER_DAY -> limits.requestsPerDay();
            case TOKENS_PER_DAY -> limits.tokensPerDay();
        };
    }

    /** The number of the window the clock is in: epoch minute, hour or day. */
    public long stamp(Clock clock) {
        return Math.floorDiv(clock.millis(), seconds * 1000);
    }

    /** The counter of this window, now, for a deployment's key prefix ({@code <prefix>{<deployment>}}). */
    public String key(String deploymentKey, Clock clock) {
        return deploymentKey + ":" + suffix + ":" + stamp(clock);
    }

    /** When the current window ends and its quota is whole again. */
    public Instant resetsAt(Clock clock) {
        return Instant.ofEpochMilli((stamp(clock) + 1) * seconds * 1000);
    }

    public static ProviderLimitWindow ofSuffix(String suffix) {
        for (ProviderLimitWindow window : values()) {
            if (window.suffix.equals(suffix)) {
                return window;
            }
        }
        throw new IllegalArgumentException("no provider-limit window " + suffix);
    }
}
