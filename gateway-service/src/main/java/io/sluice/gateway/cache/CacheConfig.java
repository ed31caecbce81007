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

    /** The replica's Bloom filter of stored entries, which answers most misses without Redis. */
    PresenceFilter presenceFilter();

    interface PresenceFilter {
        /** Off: every lookup reads Redis. */
        @WithDefault("true")
        boolean enabled();

        /** The filter's size in bits (2^25 = 4 MiB of heap: 0.005% false positives at a million entries). */
        @WithDefault("33554432")
        long bits();

        /** How often the filter is rebuilt from the tenants' entries, shedding expired, evicted and cleared ones. */
        @WithDefault("5m")
        Duration rebuildInterval();

        /** More entries than this in Redis and the filter stays off (it would rarely say "absent"). */
        @WithDefault("5000000")
        long maxEntries();
    }
}
