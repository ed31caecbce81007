package io.sluice.quota.service;

import io.sluice.quota.config.PlansConfig.PlanLimits;
import io.sluice.quota.entity.ApiKey;
import io.sluice.quota.entity.Tenant;

/** What a usable key entitles its holder to: the tenant and the limits of the tenant's plan. */
public record UsableKey(ApiKey key, Tenant tenant, PlanLimits limits) {
}
