package io.sluice.orchestrator.config;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The providers' own quotas (requests and tokens per minute, requests per hour and per day, tokens per day, shared by every orchestrator replica through Redis) and
 * the per-deployment bulkhead. A deployment's own settings in the catalogue override these defaults.
 */
@ConfigMapping(prefix = "sluice.provider-limits")
public interface ProviderLimitsConfig {

    /** Quotas by provider type (openai, azure-openai, anthropic, gemini) for deployments that set none. */
    Map<String, ProviderDefaults> defaults();

    /** Calls in flight to one deployment at once, unless the deployment sets max-concurrency. */
    @WithDefault("256")
    int maxConcurrency();

    /** Requests that may wait at once for one deployment's quota window; beyond that they get a 429. */
    @WithDefault("1000")
    int maxWaiters();

    /** Longest a request waits for a quota window to turn, unless the deployment sets max-limit-wait. */
    @WithDefault("30s")
    Duration maxWait();

    /** An acquisition Redis has not answered in this time admits the call (fail-open). */
    @WithDefault("500ms")
    Duration redisTimeout();

    /**
     * Prefix of the counter keys: {@code <prefix>{<deployment>}:rpm:<epoch-minute>} (and {@code :tpm:}),
     * {@code :rph:<epoch-hour>}, {@code :rpd:<epoch-day>} and {@code :tpd:<epoch-day>}.
     */
    @WithDefault("sluice:pl:")
    String keyPrefix();

    /** How much of a deployment's quota a replica takes from Redis at once (see {@code QuotaLease}). */
    Lease lease();

    interface Lease {
        /**
         * Share of a deployment's per-minute quotas one replica takes per Redis call, in percent: the calls it covers
         * need no round trip. A replica leaves at most this much unspent when a window turns. 0: one call at a time.
         */
        @WithDefault("1")
        int percent();

        /** Most requests one block may hold, whatever the percentage gives. */
        @WithDefault("100")
        int maxRequests();
    }

    interface ProviderDefaults {
        int requestsPerMinute();

        OptionalLong tokensPerMinute();

        /**
         * Requests per hour and per day of the provider type, for deployments that set none of
         * {@code requests-per-minute}, {@code requests-per-hour}, {@code requests-per-day} themselves (a deployment
         * that states its own request rate states every window it wants). Unset: no such window.
         */
        OptionalLong requestsPerHour();

        OptionalLong requestsPerDay();

        /** Tokens per day of the provider type, for deployments that set no {@code tokens-per-day}. */
        OptionalLong tokensPerDay();
    }
}
