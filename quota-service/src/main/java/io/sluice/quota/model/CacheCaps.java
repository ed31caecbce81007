package io.sluice.quota.model;

/**
 * What a plan allows its tenants' response caches: the longest TTL an entry may have, and the bytes of stored answers
 * each tenant may keep (the gateway evicts the least recently used beyond it; 0 keeps the cache off on the plan).
 */
public record CacheCaps(long maxTtlSeconds, long maxBytes) {
    /** The longest TTL anyone may ask for: a week. Answers older than that are rarely worth serving. */
    public static final long MAX_TTL_SECONDS = 604_800;
    /**
     * The largest byte budget accepted: 64 GiB, far beyond a sensible Redis share for one tenant, well within the
     * integers Lua computes exactly (2^53).
     */
    public static final long MAX_BYTES = 64L << 30;
    /** Caps of a plan that sets none: those of the smallest seeded plan. */
    public static final CacheCaps DEFAULT = new CacheCaps(3_600, 1L << 20);
}
