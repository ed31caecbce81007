package io.sluice.quota.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.entity.ApiKey;
import io.sluice.quota.entity.ApiKeyStatus;
import io.sluice.quota.repository.ApiKeyRepository;
import io.sluice.quota.repository.TenantRepository;

/** Issues, lists and revokes the inference keys of tenants. */
@ApplicationScoped
public class ApiKeyService {
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_MODELS = 100;
    static final int MAX_MODEL_LENGTH = 200;

    private final ApiKeyRepository keys;
    private final TenantRepository tenants;
    private final ApiKeyGenerator generator;
    private final Clock clock;

    public ApiKeyService(ApiKeyRepository keys, TenantRepository tenants, ApiKeyGenerator generator, Clock clock) {
        this.keys = keys;
        this.tenants = tenants;
        this.generator = generator;
        this.clock = clock;
    }

    /**
     * Issues a key for a tenant.
     *
     * @param models the models the key may call; null for all
     * @param expiresAt when the key stops working; null for never
     */
    public Uni<IssuedApiKey> issue(UUID tenantId, String name, List<String> models, Instant expiresAt) {
        // PostgreSQL keeps microseconds; truncating here makes the response match every later read.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        ApiKey key = new ApiKey();
        key.id = UUID.randomUUID();
        key.tenantId = tenantId;
        key.name = optionalName(name);
        key.allowedModels = allowedModels(models);
        key.expiresAt = futureExpiry(expiresAt, now);
        key.status = ApiKeyStatus.ACTIVE;
        key.createdAt = now;

        ApiKeyGenerator.GeneratedKey generated = generator.generate();
        key.keyHash = generated.sha256Hex();
        key.prefix = ApiKeyGenerator.PREFIX;
        key.last4 = generated.last4();

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

    /** Revokes a key; revoking a revoked key changes nothing. */
    @WithTransaction
    public Uni<ApiKey> revoke(UUID keyId) {
        return keys.findById(keyId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("No API key with id " + keyId))
                .invoke(key -> {
                    if (key.revoke(clock.instant().truncatedTo(ChronoUnit.MICROS))) {
                        Log.infof("Revoked API key %s of tenant %s", key.id, key.tenantId);
                    }
                });
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
            if (model == null || model.isBlank() || model.strip().length() > MAX_MODEL_LENGTH) {
                throw ApiException.badRequest("invalid_value", "models",
                        "Every model must be a non-blank name of at most " + MAX_MODEL_LENGTH + " characters");
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
