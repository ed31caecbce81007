package io.sluice.quota.service;

import io.sluice.contracts.KeyGrant.CachePolicy;
import io.sluice.contracts.KeyGrant.MemoryPolicy;
import io.sluice.quota.entity.ApiKey;
import io.sluice.quota.entity.Plan;
import io.sluice.quota.entity.Tenant;
import io.sluice.quota.model.CachePolicies;
import io.sluice.quota.model.Limits;

/** What a usable key entitles its holder to: its tenant, the tenant's plan, and from them the effective limits. */
public record UsableKey(ApiKey key, Tenant tenant, Plan plan) {

    /** The tenant's limits: its plan's, with the tenant's overrides applied. */
    public Limits tenantLimits() {
        return plan.limits().overriddenBy(tenant.overrides());
    }

    /** The response cache for the key: its own settings, else its tenant's, within the plan's caps. */
    public CachePolicy cachePolicy() {
        return CachePolicies.forKey(key.cache(), tenant.cache(), plan.cacheCaps());
    }

    /** The tenant's conversation memory: its overrides, else its plan's. */
    public MemoryPolicy memoryPolicy() {
        return tenant.memory().orElse(plan.memoryPolicy());
    }
}
