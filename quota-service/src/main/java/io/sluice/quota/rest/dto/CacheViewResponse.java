package io.sluice.quota.rest.dto;

import java.math.BigDecimal;
import java.util.UUID;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.quota.model.CacheStats;
import io.sluice.quota.service.ResponseCacheService.CacheView;

/**
 * A tenant's response cache: how many answers it holds and their bytes, hits and misses since the counters began,
 * what the hits saved in upstream cost (USD, to the micro-dollar), LRU evictions, and the policy its keys get unless
 * they set their own.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CacheViewResponse(String object, UUID tenantId, long entries, long bytes, long hits, long misses,
        BigDecimal savedUsd, long evictions, CachePolicyResponse policy) {

    public static CacheViewResponse from(CacheView view) {
        CacheStats stats = view.stats();
        return new CacheViewResponse("response_cache", view.tenant().tenant().id, stats.entries(), stats.bytes(),
                stats.hits(), stats.misses(), BigDecimal.valueOf(stats.savedMicroUsd(), 6), stats.evictions(),
                CachePolicyResponse.from(view.tenant().effectiveCache()));
    }
}
