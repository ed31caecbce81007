package io.sluice.quota.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import io.sluice.contracts.KeyGrant.CacheMode;
import io.sluice.contracts.KeyGrant.CacheNamespaces;

/**
 * Response-cache settings of a tenant or a key, each of which may be unset ({@code null}): an unset tenant field takes
 * the default (mode off, TTL 3600 s, namespaces per tenant), an unset key field inherits its tenant's. The columns
 * have the same names in both tables.
 */
@Embeddable
public record CacheSettings(
        @Column(name = "cache_mode") CacheMode mode,
        @Column(name = "cache_ttl_seconds") Long ttlSeconds,
        @Column(name = "cache_namespaces") CacheNamespaces namespaces) {

    public static final CacheSettings NONE = new CacheSettings(null, null, null);

    /** Hibernate loads an embeddable whose columns are all NULL as null; this turns that back into "none set". */
    public static CacheSettings orNone(CacheSettings settings) {
        return settings == null ? NONE : settings;
    }

    public CacheSettings withMode(CacheMode value) {
        return new CacheSettings(value, ttlSeconds, namespaces);
    }

    public CacheSettings withTtlSeconds(Long value) {
        return new CacheSettings(mode, value, namespaces);
    }

    public CacheSettings withNamespaces(CacheNamespaces value) {
        return new CacheSettings(mode, ttlSeconds, value);
    }

    /** Each field of these settings, or of {@code fallback} where this one is unset. */
    public CacheSettings orElse(CacheSettings fallback) {
        return new CacheSettings(mode != null ? mode : fallback.mode,
                ttlSeconds != null ? ttlSeconds : fallback.ttlSeconds,
                namespaces != null ? namespaces : fallback.namespaces);
    }
}
