package io.sluice.quota.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import io.sluice.contracts.KeyGrant.MemoryPolicy;

/**
 * A tenant's overrides of its plan's conversation-memory policy, each of which may be unset ({@code null}: the plan's
 * applies).
 */
@Embeddable
public record MemorySettings(
        @Column(name = "memory_max_items") Integer maxItems,
        @Column(name = "memory_retention_days") Integer retentionDays) {

    public static final MemorySettings NONE = new MemorySettings(null, null);

    /** Hibernate loads an embeddable whose columns are all NULL as null; this turns that back into "none set". */
    public static MemorySettings orNone(MemorySettings settings) {
        return settings == null ? NONE : settings;
    }

    public MemorySettings withMaxItems(Integer value) {
        return new MemorySettings(value, retentionDays);
    }

    public MemorySettings withRetentionDays(Integer value) {
        return new MemorySettings(maxItems, value);
    }

    /** Each field of these settings, or of {@code fallback} where this one is unset. */
    public MemoryPolicy orElse(MemoryPolicy fallback) {
        return new MemoryPolicy(maxItems != null ? maxItems : fallback.maxItems(),
                retentionDays != null ? retentionDays : fallback.retentionDays());
    }
}
