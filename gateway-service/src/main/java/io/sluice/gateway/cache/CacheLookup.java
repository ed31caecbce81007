package io.sluice.gateway.cache;

/**
 * What a lookup found.
 *
 * @param hit the stored answer that serves the request; null for a miss
 * @param kind {@code exact} or {@code semantic}: how the hit was found, or which lookup missed
 * @param asked the question's embedding when the semantic lookup made one (storing the answer reuses it); else null
 */
public record CacheLookup(ResponseCacheStore.Hit hit, String kind, float[] asked) {
    static final String EXACT = "exact";
    static final String SEMANTIC = "semantic";

    static CacheLookup miss(String kind) {
        return new CacheLookup(null, kind, null);
    }

    public CacheOutcome outcome() {
        return hit != null ? CacheOutcome.HIT : CacheOutcome.MISS;
    }
}
