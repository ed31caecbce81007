package io.sluice.quota.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.entity.CacheSettings;
import io.sluice.quota.entity.MemorySettings;
import io.sluice.quota.entity.Plan;
import io.sluice.quota.entity.Tenant;
import io.sluice.quota.repository.PlanRepository;
import io.sluice.quota.repository.TenantRepository;

/**
 * Creates, reads and changes tenants: their plan, their overrides of its limits and of its conversation-memory policy,
 * their USD budgets and their response-cache settings.
 */
@ApplicationScoped
public class TenantService {
    static final int MAX_NAME_LENGTH = 200;

    private final TenantRepository tenants;
    private final PlanRepository plans;
    private final KeyInvalidationPublisher invalidations;
    private final Clock clock;

    public TenantService(TenantRepository tenants, PlanRepository plans, KeyInvalidationPublisher invalidations,
            Clock clock) {
        this.tenants = tenants;
        this.plans = plans;
        this.invalidations = invalidations;
        this.clock = clock;
    }

    /**
     * Creates a tenant on an existing plan, with the response-cache settings given (none: the defaults) and the
     * memory overrides given (none: the plan's).
     */
    public Uni<TenantView> create(String name, String plan, CacheChanges cache, MemoryChanges memory) {
        String tenantName = requireName(name);
        String planName = requirePlanName(plan);
        // PostgreSQL keeps microseconds; truncating here makes the response match every later read.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // The count answers the common case without a failed insert; the unique constraint settles concurrent creates
        // of one name.
        return Panache.withTransaction(() -> existingPlan(planName)
                .flatMap(existingPlan -> tenants.count("name", tenantName)
                        .flatMap(existing -> existing > 0
                                ? Uni.createFrom().failure(tenantExists(tenantName))
                                : tenants.persistAndFlush(withSettings(
                                        Tenant.create(tenantName, existingPlan.name, now), cache, memory)))
                        .map(created -> new TenantView(created, existingPlan))))
                .onFailure(UniqueViolation::matches).transform(e -> tenantExists(tenantName))
                .invoke(created -> Log.infof("Created tenant %s on plan %s", created.tenant().id, created.plan().name));
    }

    public Uni<List<TenantView>> list() {
        return Panache.withSession(() -> plans.listByName().flatMap(allPlans -> {
            Map<String, Plan> byName = allPlans.stream().collect(Collectors.toMap(plan -> plan.name,
                    Function.identity()));
            return tenants.listOldestFirst().map(all -> all.stream()
                    .map(tenant -> new TenantView(tenant, byName.get(tenant.plan)))
                    .toList());
        }));
    }

    public Uni<TenantView> get(UUID id) {
        return Panache.withSession(() -> tenants.findById(id)
                .onItem().ifNull().failWith(() -> unknownTenant(id))
                .flatMap(tenant -> plans.findById(tenant.plan).map(plan -> new TenantView(tenant, plan))));
    }

    /**
     * Changes what is given and leaves the rest, then tells the gateways that the tenant's cached grants are stale.
     *
     * @param plan the new plan's name (any case); null to keep the plan
     */
    public Uni<TenantView> update(UUID id, String plan, LimitChanges overrides, BudgetChanges budgets,
            CacheChanges cache, MemoryChanges memory) {
        if (plan == null && overrides.isEmpty() && budgets.isEmpty() && cache.isEmpty() && memory.isEmpty()) {
            throw ApiException.badRequest("invalid_value", null,
                    "Nothing to change: send at least one of plan, overrides, budgets, cache and memory");
        }
        String planName = plan == null ? null : requirePlanName(plan);
        return Panache.withTransaction(() -> tenants.findForUpdate(id)
                .onItem().ifNull().failWith(() -> unknownTenant(id))
                .flatMap(tenant -> (planName == null ? plans.findById(tenant.plan) : existingPlan(planName))
                        .map(newPlan -> {
                            if (newPlan != null) {
                                tenant.plan = newPlan.name;
                            }
                            tenant.overrides(overrides.applyTo(tenant.overrides()));
                            tenant.budgets(budgets.applyTo(tenant.budgets()));
                            tenant.cache(cache.applyTo(tenant.cache()));
                            tenant.memory(memory.applyTo(tenant.memory()));
                            return new TenantView(tenant, newPlan);
                        })))
                .invoke(updated -> Log.infof("Updated tenant %s: plan %s, overrides %s, budgets %s, cache %s,"
                        + " memory %s", updated.tenant().id, updated.tenant().plan, updated.tenant().overrides(),
                        updated.tenant().budgets(), updated.tenant().cache(), updated.tenant().memory()))
                .call(updated -> invalidations.tenantChanged(updated.tenant().id));
    }

    private static Tenant withSettings(Tenant tenant, CacheChanges cache, MemoryChanges memory) {
        tenant.cache(cache.applyTo(CacheSettings.NONE));
        tenant.memory(memory.applyTo(MemorySettings.NONE));
        return tenant;
    }

    /** The plan named {@code name} ignoring case; fails with 400 if there is none. */
    private Uni<Plan> existingPlan(String name) {
        return plans.findByNameIgnoringCase(name).onItem().ifNull().failWith(() -> ApiException.badRequest(
                "invalid_value", "plan", "Unknown plan '" + name + "'; GET /admin/plans lists the plans"));
    }

    private static ApiException tenantExists(String name) {
        return new ApiException(409, ApiError.invalidRequest("tenant_exists", "name",
                "A tenant named '" + name + "' already exists"));
    }

    static ApiException unknownTenant(UUID id) {
        return ApiException.notFound("No tenant with id " + id);
    }

    private static String requireName(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty()) {
            throw ApiException.badRequest("invalid_value", "name", "Tenant name must not be blank");
        }
        if (stripped.length() > MAX_NAME_LENGTH) {
            throw ApiException.badRequest("invalid_value", "name",
                    "Tenant name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        return stripped;
    }

    private static String requirePlanName(String plan) {
        String stripped = plan == null ? "" : plan.strip();
        if (stripped.isEmpty() || stripped.length() > PlanService.MAX_NAME_LENGTH) {
            throw ApiException.badRequest("invalid_value", "plan",
                    "plan must name a plan; GET /admin/plans lists the plans");
        }
        return stripped;
    }
}
