package io.sluice.quota.rest.dto;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.sluice.contracts.KeyGrant.MemoryPolicy;
import io.sluice.quota.service.TenantView;

/**
 * A tenant: its plan, its overrides of the plan's limits, its budgets, and the limits that result (the plan's with
 * the overrides applied), which the gateway enforces; its response-cache settings as set ({@code cache}, null fields
 * unset) and the policy its keys get unless they set their own ({@code effective_cache}: defaults filled in, the TTL
 * capped by the plan, the plan's byte budget); its conversation-memory overrides ({@code memory}, null fields unset)
 * and the policy in effect ({@code effective_memory}: each override, else the plan's).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TenantResponse(UUID id, String name, String plan, LimitsResponse overrides, BudgetsResponse budgets,
        LimitsResponse effectiveLimits, CacheSettingsResponse cache, CachePolicyResponse effectiveCache,
        MemorySettingsResponse memory, MemoryPolicy effectiveMemory, Instant createdAt) {

    public static TenantResponse from(TenantView view) {
        var tenant = view.tenant();
        return new TenantResponse(tenant.id, tenant.name, tenant.plan, LimitsResponse.from(tenant.overrides()),
                BudgetsResponse.from(tenant.budgets()), LimitsResponse.from(view.effectiveLimits()),
                CacheSettingsResponse.from(tenant.cache()), CachePolicyResponse.from(view.effectiveCache()),
                MemorySettingsResponse.from(tenant.memory()), view.effectiveMemory(), tenant.createdAt);
    }
}
