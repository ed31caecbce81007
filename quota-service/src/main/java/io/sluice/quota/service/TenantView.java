package io.sluice.quota.service;

import io.sluice.contracts.KeyGrant.CachePolicy;
import io.sluice.contracts.KeyGrant.MemoryPolicy;
import io.sluice.quota.entity.Plan;
import io.sluice.quota.entity.Tenant;
import io.sluice.quota.model.CachePolicies;
import io.sluice.quota.model.Limits;

/**
 * A tenant with its plan, from which its effective limits follow.
 *
 * @param plan the tenant's plan; null only if the plans table lacks it (a plan removed from configuration before it
 *        was ever seeded), which {@code PUT /admin/plans/{name}} repairs
 */
public record TenantView(Tenant tenant, Plan plan) {

    /** The plan's limits with the tenant's overrides applied; null without a plan. */
    public Limits effectiveLimits() {
        return plan == null ? null : plan.limits().overriddenBy(tenant.overrides());
    }

    /** The response-cache policy of the tenant's keys that set none of their own; null without a plan. */
    public CachePolicy effectiveCache() {
        return plan == null ? null : CachePolicies.forTenant(tenant.cache(), plan.cacheCaps());
    }

    /** The conversation-memory policy: the tenant's overrides, else its plan's; null without a plan. */
    public MemoryPolicy effectiveMemory() {
        return plan == null ? null : tenant.memory().orElse(plan.memoryPolicy());
    }
}
