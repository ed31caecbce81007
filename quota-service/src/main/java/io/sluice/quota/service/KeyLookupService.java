package io.sluice.quota.service;

import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.config.PlansConfig;
import io.sluice.quota.config.PlansConfig.PlanLimits;
import io.sluice.quota.entity.ApiKey;
import io.sluice.quota.entity.Tenant;
import io.sluice.quota.repository.ApiKeyRepository;
import io.sluice.quota.repository.TenantRepository;

/** Answers the gateway's question on a key-cache miss: whose key is this hash, and what may it do? */
@ApplicationScoped
public class KeyLookupService {
    private static final int SHA256_HEX_LENGTH = 64;

    private final ApiKeyRepository keys;
    private final TenantRepository tenants;
    private final PlansConfig plans;
    private final Clock clock;

    public KeyLookupService(ApiKeyRepository keys, TenantRepository tenants, PlansConfig plans, Clock clock) {
        this.keys = keys;
        this.tenants = tenants;
        this.plans = plans;
        this.clock = clock;
    }

    /** The grant of an active, unexpired key; fails with 404 for an unknown, revoked or expired one. */
    public Uni<UsableKey> lookup(String sha256Hex) {
        String hash = normalisedHash(sha256Hex);
        return Panache.withSession(() -> keys.findByHash(hash)
                .map(key -> key != null && key.isUsableAt(clock.instant()) ? key : null)
                .onItem().ifNull().failWith(KeyLookupService::unusableKey)
                .flatMap(key -> tenants.findById(key.tenantId).map(tenant -> grant(key, tenant))));
    }

    private UsableKey grant(ApiKey key, Tenant tenant) {
        PlanLimits limits = plans.plans().get(tenant.plan);
        if (limits == null) {
            // The plan was removed from configuration while tenants are still on it: an operator error.
            Log.errorf("Tenant %s is on plan '%s', which is not configured under sluice.plans", tenant.id, tenant.plan);
            throw new ApiException(500, ApiError.of("server_error", "unknown_plan",
                    "The tenant's plan is not configured"));
        }
        return new UsableKey(key, tenant, limits);
    }

    private static String normalisedHash(String sha256Hex) {
        if (sha256Hex == null || sha256Hex.length() != SHA256_HEX_LENGTH
                || !sha256Hex.chars().allMatch(HexFormat::isHexDigit)) {
            throw ApiException.badRequest("invalid_value", "key_hash",
                    "The key hash must be the 64 hex characters of a SHA-256 digest");
        }
        return sha256Hex.toLowerCase(Locale.ROOT);
    }

    private static ApiException unusableKey() {
        return new ApiException(404, ApiError.authentication("Unknown, revoked or expired API key"));
    }
}
