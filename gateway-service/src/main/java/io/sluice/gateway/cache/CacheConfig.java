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
}
