package io.sluice.quota.entity;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A customer of the gateway: owns API keys, is on one plan, may override that plan's limits and conversation-memory
 * policy, have USD budgets and response-cache settings.
 */
@Entity
@Table(name = "tenants")
public class Tenant {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String name;

    /** Name of a row of the plans table. */
    @Column(nullable = false)
    public String plan;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Per-limit overrides of the plan; null when none is set (Hibernate's reading of all-NULL columns). */
    @Embedded
    private PartialLimits overrides;

    /** Null when neither budget is set. */
    @Embedded
    private UsdBudgets budgets;

    /** Response-cache settings; null when none is set (the defaults apply). */
    @Embedded
    private CacheSettings cache;

    /** Overrides of the plan's conversation-memory policy; null when none is set. */
    @Embedded
    private MemorySettings memory;

    public PartialLimits overrides() {
        return PartialLimits.orNone(overrides);
    }

    public void overrides(PartialLimits overrides) {
        this.overrides = overrides;
    }

    public UsdBudgets budgets() {
        return UsdBudgets.orNone(budgets);
    }

    public void budgets(UsdBudgets budgets) {
        this.budgets = budgets;
    }

    public CacheSettings cache() {
        return CacheSettings.orNone(cache);
    }

    public void cache(CacheSettings cache) {
        this.cache = cache;
    }

    public MemorySettings memory() {
        return MemorySettings.orNone(memory);
    }

    public void memory(MemorySettings memory) {
        this.memory = memory;
    }

    public static Tenant create(String name, String plan, Instant now) {
        Tenant tenant = new Tenant();
        tenant.id = UUID.randomUUID();
        tenant.name = name;
        tenant.plan = plan;
        tenant.createdAt = now;
        return tenant;
    }
}
