package io.sluice.quota.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.ModelName;
import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.config.KeysConfig;
import io.sluice.quota.entity.ApiKey;
import io.sluice.quota.entity.ApiKeyStatus;
import io.sluice.quota.entity.CacheSettings;
import io.sluice.quota.entity.PartialLimits;
import io.sluice.quota.repository.ApiKeyRepository;
import io.sluice.quota.repository.TenantRepository;

/**
 * Issues, lists, limits, rotates and revokes the inference keys of tenants. Every change to what a key may do is
 * announced to the gateways after it is committed.
 */
@ApplicationScoped
public class ApiKeyService {
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_MODELS = 100;
    static final long MAX_GRACE_SECONDS = Duration.ofDays(365).toSeconds();

    private final ApiKeyRepository keys;
    private final TenantRepository tenants;
    private final ApiKeyGenerator generator;
    private final KeyInvalidationPublisher invalidations;
    private final KeysConfig config;
    private final Clock clock;

    public ApiKeyService(ApiKeyRepository keys, TenantRepository tenants, ApiKeyGenerator generator,
            KeyInvalidationPublisher invalidations, KeysConfig config, Clock clock) {
        this.keys = keys;
        this.tenants = tenants;
        this.generator = generator;
        this.invalidations = invalidations;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Issues a key for a tenant.
     *
     * @param models the models the key may call; null for all
     * @param expiresAt when the key stops working; null for never
     * @param limits the key's own limits on top of the tenant's
     * @param cache the key's own response-cache settings (what it does not set, it inherits from the tenant)
     */
    public Uni<IssuedApiKey> issue(UUID tenantId, String name, List<String> models, Instant expiresAt,
            LimitChanges limits, CacheChanges cache) {
        Instant now = now();
        ApiKey key = newKey(tenantId, optionalName(name), allowedModels(models), futureExpiry(expiresAt, now),
                limits.applyTo(PartialLimits.NONE), cache.applyTo(CacheSettings.NONE), now);
        ApiKeyGenerator.GeneratedKey generated = generateInto(key);

        return Panache.withTransaction(() -> tenants.findById(tenantId)
                .onItem().ifNull().failWith(() -> TenantService.unknownTenant(tenantId))
                .flatMap(tenant -> keys.persist(key)))
                .invoke(saved -> Log.infof("Issued API key %s for tenant %s", saved.id, saved.tenantId))
                .map(saved -> new IssuedApiKey(saved, generated.plaintext()));
    }

    @WithSession
    public Uni<List<ApiKey>> listForTenant(UUID tenantId) {
        return tenants.findById(tenantId)
                .onItem().ifNull().failWith(() -> TenantService.unknownTenant(tenantId))
                .flatMap(tenant -> keys.listByTenant(tenantId));
    }

    /**
     * Revokes a key. Revoking a revoked key changes nothing but announces the revocation again, which retries an
     * announcement that Redis missed.
     */
    public Uni<ApiKey> revoke(UUID keyId) {
        return Panache.withTransaction(() -> existingKey(keyId)
                .invoke(key -> {
                    if (key.revoke(now())) {
                        Log.infof("Revoked API key %s of tenant %s", key.id, key.tenantId);
                    }
                }))
                .call(invalidations::keyChanged);
    }

    /** Sets or unsets limits and response-cache settings of the key itself; what is not named stays as it is. */
    public Uni<ApiKey> update(UUID keyId, LimitChanges limits, CacheChanges cache) {
        if (limits.isEmpty() && cache.isEmpty()) {
            throw ApiException.badRequest("invalid_value", "limits",
                    "Nothing to change: name at least one limit or cache setting (null unsets it)");
        }
        return Panache.withTransaction(() -> keys.findForUpdate(keyId)
                .onItem().ifNull().failWith(() -> unknownKey(keyId))
                .invoke(key -> {
                    key.limits(limits.applyTo(key.limits()));
                    key.cache(cache.applyTo(key.cache()));
                }))
                .invoke(key -> Log.infof("Changed API key %s: limits %s, cache %s", key.id, key.limits(),
                        key.cache()))
                .call(invalidations::keyChanged);
    }

    /**
     * Replaces a usable key by a new one with the same tenant, name, models, limits, cache settings and expiry. The
     * old key keeps working for the grace period (or until its own earlier expiry), so clients can switch without an
     * outage.
     *
     * @param graceSeconds how long the old key keeps working; null for {@code sluice.keys.rotation-grace}, 0 to stop
     *        it at once
     */
    public Uni<RotatedApiKey> rotate(UUID keyId, Long graceSeconds) {
        Duration grace = graceOrDefault(graceSeconds);
        Instant now = now();
        return Panache.withTransaction(() -> keys.findForUpdate(keyId)
                .onItem().ifNull().failWith(() -> unknownKey(keyId))
                .flatMap(previous -> {
                    requireRotatable(previous, now);
                    ApiKey replacement = newKey(previous.tenantId, previous.name, previous.allowedModels,
                            previous.expiresAt, previous.limits(), previous.cache(), now);
                    ApiKeyGenerator.GeneratedKey generated = generateInto(replacement);
                    previous.replaceWith(replacement, now.plus(grace));
                    return keys.persist(replacement)
                            .map(saved -> new RotatedApiKey(new IssuedApiKey(saved, generated.plaintext()), previous));
                }))
                .invoke(rotated -> Log.infof("Rotated API key %s of tenant %s to %s; the old key works until %s",
                        rotated.previous().id, rotated.previous().tenantId, rotated.replacement().key().id,
                        rotated.previous().expiresAt))
                .call(rotated -> invalidations.keyChanged(rotated.previous()));
    }

    private Uni<ApiKey> existingKey(UUID keyId) {
        return keys.findById(keyId).onItem().ifNull().failWith(() -> unknownKey(keyId));
    }

    private ApiKeyGenerator.GeneratedKey generateInto(ApiKey key) {
        ApiKeyGenerator.GeneratedKey generated = generator.generate();
        key.keyHash = generated.sha256Hex();
        key.prefix = ApiKeyGenerator.PREFIX;
        key.last4 = generated.last4();
        return generated;
    }

    private static ApiKey newKey(UUID tenantId, String name, String[] models, Instant expiresAt, PartialLimits limits,
            CacheSettings cache, Instant now) {
        ApiKey key = new ApiKey();
        key.id = UUID.randomUUID();
        key.tenantId = tenantId;
        key.name = name;
        key.allowedModels = models;
        key.expiresAt = expiresAt;
        key.limits(limits);
        key.cache(cache);
        key.status = ApiKeyStatus.ACTIVE;
        key.createdAt = now;
        return key;
    }

    private static void requireRotatable(ApiKey key, Instant now) {
        if (key.status == ApiKeyStatus.REVOKED) {
            throw conflict("key_revoked", "API key " + key.id + " is revoked; issue a new key instead");
        }
        if (key.isExpiredAt(now)) {
            throw conflict("key_expired", "API key " + key.id + " has expired; issue a new key instead");
        }
        if (key.replacedBy != null) {
            throw conflict("key_already_rotated",
                    "API key " + key.id + " was already rotated to " + key.replacedBy + "; rotate that key instead");
        }
    }

    private Duration graceOrDefault(Long graceSeconds) {
        if (graceSeconds == null) {
            return config.rotationGrace();
        }
        if (graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
            throw ApiException.badRequest("invalid_value", "grace_seconds",
                    "grace_seconds must be from 0 (the old key stops at once) to " + MAX_GRACE_SECONDS);
        }
        return Duration.ofSeconds(graceSeconds);
    }

    /** PostgreSQL keeps microseconds; truncating here makes every response match every later read. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static ApiException unknownKey(UUID keyId) {
        return ApiException.notFound("No API key with id " + keyId);
    }

    private static ApiException conflict(String code, String message) {
        return new ApiException(409, ApiError.invalidRequest(code, null, message));
    }

    private static String optionalName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String stripped = name.strip();
        if (stripped.length() > MAX_NAME_LENGTH) {
            throw ApiException.badRequest("invalid_value", "name",
                    "Key name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        return stripped;
    }

    private static String[] allowedModels(List<String> models) {
        if (models == null) {
            return null;
        }
        if (models.isEmpty()) {
            throw ApiException.badRequest("invalid_value", "models",
                    "models must name at least one model; omit it to allow every model");
        }
        if (models.size() > MAX_MODELS) {
            throw ApiException.badRequest("invalid_value", "models", "models may name at most " + MAX_MODELS);
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String model : models) {
            // The gateway relays the allow-list in a header and matches it against validated request models.
            if (model == null || !ModelName.isValid(model.strip())) {
                throw ApiException.badRequest("invalid_value", "models", "Every model must be 1 to "
                        + ModelName.MAX_LENGTH + " characters, each a letter, a digit or one of . _ : / @ + -");
            }
            distinct.add(model.strip());
        }
        return distinct.toArray(String[]::new);
    }

    private static Instant futureExpiry(Instant expiresAt, Instant now) {
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ApiException.badRequest("invalid_value", "expires_at", "expires_at must be in the future");
        }
        return expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS);
    }
}
