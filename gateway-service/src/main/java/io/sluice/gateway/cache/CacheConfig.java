package io.sluice.gateway.cache;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The gateway's side of the response cache. Whether a key's answers are cached, for how long and within which byte
 * budget is the key's {@link io.sluice.contracts.KeyGrant.CachePolicy}, set through quota-service's admin API.
 */
@ConfigMapping(prefix = "sluice.cache")
public interface CacheConfig {

    /**
     * Longest wait for a lookup: a slower (or unreachable) Redis makes the request a miss, answered by a provider,
     * never an error.
     */
    @WithDefault("50ms")
    Duration lookupTimeout();

    /** Largest answer stored; a larger one is relayed and not cached (nor held beyond this while relayed). */
    @WithDefault("1048576")
    int maxEntryBytes();

    /**
     * Least cosine similarity at which the semantic mode may reuse an answer for a rephrased question (besides its
     * lexical guards): {@link io.sluice.gateway.cache.semantic.RephrasingRule}. Lower finds more rephrasings and
     * risks answering a related but different question. The default is {@code RephrasingRule.DEFAULT_THRESHOLD}
     * (a test keeps them equal; the semantic package depends on this one, not the reverse).
     */
    @WithDefault("0.85")
    double semanticThreshold();
}
