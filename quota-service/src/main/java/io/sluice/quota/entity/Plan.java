package io.sluice.quota.entity;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.sluice.contracts.KeyGrant.MemoryPolicy;
import io.sluice.quota.model.CacheCaps;
import io.sluice.quota.model.Limits;

/**
 * A plan (tier), its limits, its response-cache caps and its conversation-memory policy: the live values, seeded from {@code sluice.plans} and changed
 * through the admin API.
 */
@Entity
@Table(name = "plans")
public class Plan {

    @Id
    public String name;

    @Column(name = "requests_per_minute", nullable = false)
    public long requestsPerMinute;

    @Column(name = "requests_per_hour", nullable = false)
    public long requestsPerHour;

    @Column(name = "requests_per_day", nullable = false)
    public long requestsPerDay;

    @Column(name = "tokens_per_day", nullable = false)
    public long tokensPerDay;

    /** The longest TTL a tenant on the plan may give its cached answers. */
    @Column(name = "cache_max_ttl_seconds", nullable = false)
    public long cacheMaxTtlSeconds;

    /** The bytes of cached answers each tenant on the plan may keep; 0 keeps the cache off. */
    @Column(name = "cache_max_bytes", nullable = false)
    public long cacheMaxBytes;

    /** Items a conversation or response chain of a tenant on the plan keeps, unless the tenant overrides it. */
    @Column(name = "memory_max_items", nullable = false)
    public int memoryMaxItems;

    /** Days stored conversation state lives after its last write, unless the tenant overrides it. */
    @Column(name = "memory_retention_days", nullable = false)
    public int memoryRetentionDays;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Plan create(String name, Limits limits, CacheCaps cacheCaps, MemoryPolicy memory, Instant now) {
        Plan plan = new Plan();
        plan.name = name;
        plan.replace(limits, cacheCaps, memory, now);
        return plan;
    }

    /** Sets every limit, cap and policy of the plan. */
    public void replace(Limits limits, CacheCaps cacheCaps, MemoryPolicy memory, Instant now) {
        requestsPerMinute = limits.requestsPerMinute();
        requestsPerHour = limits.requestsPerHour();
        requestsPerDay = limits.requestsPerDay();
        tokensPerDay = limits.tokensPerDay();
        cacheMaxTtlSeconds = cacheCaps.maxTtlSeconds();
        cacheMaxBytes = cacheCaps.maxBytes();
        memoryMaxItems = memory.maxItems();
        memoryRetentionDays = memory.retentionDays();
        updatedAt = now;
    }

    public Limits limits() {
        return new Limits(requestsPerMinute, requestsPerHour, requestsPerDay, tokensPerDay);
    }

    public CacheCaps cacheCaps() {
        return new CacheCaps(cacheMaxTtlSeconds, cacheMaxBytes);
    }

    public MemoryPolicy memoryPolicy() {
        return new MemoryPolicy(memoryMaxItems, memoryRetentionDays);
    }
}
