package io.sluice.quota.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.cache.CacheKeys;
import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.model.CacheStats;
import io.sluice.quota.repository.ResponseCacheRepository;

/** The operator's view of a tenant's response cache, which the gateway keeps in Redis, and its clearing. */
@ApplicationScoped
public class ResponseCacheService {
    private final TenantService tenants;
    private final ResponseCacheRepository cache;

    public ResponseCacheService(TenantService tenants, ResponseCacheRepository cache) {
        this.tenants = tenants;
        this.cache = cache;
    }

    /** The tenant's cache figures and the policy its keys get unless they set their own; 404 for an unknown tenant. */
    public Uni<CacheView> view(UUID tenantId) {
        return tenants.get(tenantId).flatMap(view -> redis(cache.stats(tenantId.toString()))
                .map(stats -> new CacheView(view, stats)));
    }

    /**
     * Deletes the tenant's cached answers, all or one namespace's; 404 for an unknown tenant. No invalidation is
     * needed: the gateways read the cache from Redis on every request, and hold none of it themselves.
     *
     * @param namespace one namespace to clear, or null for all; validated before it reaches Redis or the log
     * @return how many entries were deleted
     */
    public Uni<Long> clear(UUID tenantId, String namespace) {
        if (namespace != null && !CacheKeys.isValidNamespace(namespace)) {
            throw ApiException.badRequest("invalid_value", "namespace",
                    "namespace must be 1 to 64 characters, each a letter, a digit or one of . _ -");
        }
        return tenants.get(tenantId).flatMap(view -> redis(cache.clear(tenantId.toString(), namespace)))
                // By tenant id and namespace only: entries are named after requests, which stay out of logs.
                .invoke(deleted -> Log.infof("Cleared %d response-cache entries of tenant %s (%s)", deleted, tenantId,
                        namespace == null ? "all namespaces" : "namespace " + namespace));
    }

    private static <T> Uni<T> redis(Uni<T> call) {
        return call.onFailure().transform(failure -> {
            Log.warnf("Redis, which holds the response cache, failed: %s", failure.toString());
            return new StoreUnavailableException("cache_store_unavailable",
                    "The response cache is unavailable right now; retry shortly");
        });
    }

    /** A tenant with its cache figures. */
    public record CacheView(TenantView tenant, CacheStats stats) {
    }
}
