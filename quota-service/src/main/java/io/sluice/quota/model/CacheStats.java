package io.sluice.quota.model;

/**
 * A tenant's response cache as the gateway's counters describe it (names from
 * {@link io.sluice.contracts.cache.CacheKeys}); a counter the gateway has not written yet counts 0.
 *
 * @param entries the answers stored (members of the LRU set)
 * @param bytes the bytes they occupy, as the gateway accounts them
 * @param savedMicroUsd what the hits would have cost upstream, in micro-USD
 */
public record CacheStats(long entries, long bytes, long hits, long misses, long savedMicroUsd, long evictions) {
}
