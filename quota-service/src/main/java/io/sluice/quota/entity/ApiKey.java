package io.sluice.quota.entity;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An inference key of a tenant. Holds the SHA-256 of the key, never the key: the gateway authenticates by hashing
 * what the client presents and looking the hash up.
 */
@Entity
@Table(name = "api_keys")
public class ApiKey {

    @Id
    public UUID id;

    /** Plain column rather than an association: lookups load the tenant explicitly, no lazy proxies. */
    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;

    public String name;

    /** Lower-case hex SHA-256 of the plaintext key. */
    @Column(name = "key_hash", nullable = false, unique = true, length = 64, columnDefinition = "char(64)")
    public String keyHash;

    @Column(nullable = false)
    public String prefix;

    @Column(nullable = false)
    public String last4;

    /** Models this key may call; null means all. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "allowed_models", columnDefinition = "text[]")
    public String[] allowedModels;

    @Column(nullable = false)
    public ApiKeyStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** The key that replaced this one when it was rotated; null if it never was. */
    @Column(name = "replaced_by")
    public UUID replacedBy;

    /** The key's own limits on top of its tenant's; null when none is set (all-NULL columns). */
    @Embedded
    private PartialLimits limits;

    public PartialLimits limits() {
        return PartialLimits.orNone(limits);
    }

    public void limits(PartialLimits limits) {
        this.limits = limits;
    }

    /** The key's own response-cache settings; null when none is set (all-NULL columns): the tenant's apply. */
    @Embedded
    private CacheSettings cache;

    public CacheSettings cache() {
        return CacheSettings.orNone(cache);
    }

    public void cache(CacheSettings cache) {
        this.cache = cache;
    }

    /** Whether a request at {@code now} may use this key. */
    public boolean isUsableAt(Instant now) {
        return status == ApiKeyStatus.ACTIVE && !isExpiredAt(now);
    }

    /** Whether the key's expiry has passed at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    /**
     * Records that {@code replacement} replaces this key, which keeps working until {@code graceEnd} or its own
     * earlier expiry: rotation never extends a key's life.
     */
    public void replaceWith(ApiKey replacement, Instant graceEnd) {
        replacedBy = replacement.id;
        if (expiresAt == null || graceEnd.isBefore(expiresAt)) {
            expiresAt = graceEnd;
        }
    }

    /** Revokes the key at {@code now}; returns false, changing nothing, if it was already revoked. */
    public boolean revoke(Instant now) {
        if (status == ApiKeyStatus.REVOKED) {
            return false;
        }
        status = ApiKeyStatus.REVOKED;
        revokedAt = now;
        return true;
    }
}
