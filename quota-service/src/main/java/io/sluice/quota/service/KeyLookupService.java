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
import io.sluice.quota.entity.ApiKey;
import io.sluice.quota.entity.Plan;
import io.sluice.quota.entity.Tenant;
import io.sluice.quota.repository.ApiKeyRepository;
import io.sluice.quota.repository.PlanRepository;
import io.sluice.quota.repository.TenantRepository;

/** Answers the gateway's question on a key-cache miss: whose key is this hash, and what may it do? */
@ApplicationScoped
public class KeyLookupService {
    private static final int SHA256_HEX_LENGTH = 64;

    private final ApiKeyRepository keys;
    private final TenantRepository tenants;
    private final PlanRepository plans;
    private final Clock clock;

    public KeyLookupService(ApiKeyRepository keys, TenantRepository tenants, PlanRepository plans, Clock clock) {
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
                .flatMap(key -> tenants.findById(key.tenantId)
                        .flatMap(tenant -> plans.findById(tenant.plan).map(plan -> grant(key, tenant, plan)))));
    }

    private static UsableKey grant(ApiKey key, Tenant tenant, Plan plan) {
        if (plan == null) {
            // Only possible for a plan dropped from configuration before it was ever seeded: an operator error.
            Log.errorf("Tenant %s is on plan '%s', which the plans table lacks; PUT /admin/plans/%s restores it",
                    tenant.id, tenant.plan, tenant.plan);
            throw new ApiException(500, ApiError.of("server_error", "unknown_plan",
                    "The tenant's plan does not exist"));
        }
        return new UsableKey(key, tenant, plan);
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
