package io.sluice.quota.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.contracts.KeyGrant.CacheMode;
import io.sluice.contracts.KeyGrant.CacheNamespaces;
import io.sluice.contracts.KeyGrant.CachePolicy;

/**
 * The response cache in effect: every setting resolved (defaults filled in), the TTL capped by the plan, and the
 * plan's byte budget per tenant.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CachePolicyResponse(CacheMode mode, long ttlSeconds, CacheNamespaces namespaces, long maxBytes) {

    /** Null for a null policy (a tenant whose plan is missing). */
    public static CachePolicyResponse from(CachePolicy policy) {
        return policy == null ? null
                : new CachePolicyResponse(policy.mode(), policy.ttlSeconds(), policy.namespaces(), policy.maxBytes());
    }
}
