package io.sluice.quota.service;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.entity.PartialLimits;
import io.sluice.quota.entity.Plan;
import io.sluice.quota.model.LimitField;
import io.sluice.quota.model.Limits;
import io.sluice.quota.repository.PlanRepository;
import io.sluice.quota.repository.TenantRepository;

/** Lists plans and creates or replaces them; a replaced plan's new limits reach every gateway at once. */
@ApplicationScoped
public class PlanService {
    static final int MAX_NAME_LENGTH = 40;
    private static final Pattern NAME = Pattern.compile("[A-Z0-9_]{1," + MAX_NAME_LENGTH + "}");

    private final PlanRepository plans;
    private final TenantRepository tenants;
    private final KeyInvalidationPublisher invalidations;
    private final Clock clock;

    public PlanService(PlanRepository plans, TenantRepository tenants, KeyInvalidationPublisher invalidations,
            Clock clock) {
        this.plans = plans;
        this.tenants = tenants;
        this.invalidations = invalidations;
        this.clock = clock;
    }

    public Uni<List<Plan>> list() {
        return Panache.withSession(plans::listByName);
    }

    /**
     * Creates the plan or replaces all its limits, then tells the gateways, in one message for all its tenants.
     *
     * @param requested the four limits, all required
     */
    public Uni<PlanChange> put(String name, PartialLimits requested) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid_value", "name", "A plan name is 1 to " + MAX_NAME_LENGTH
                    + " upper-case letters, digits or underscores, e.g. TEAM_2");
        }
        Limits limits = complete(requested);
        Plan plan = Plan.create(name, limits, clock.instant().truncatedTo(ChronoUnit.MICROS));
        return Panache.withTransaction(() -> plans.insertIfAbsent(plan)
                .call(inserted -> inserted ? Uni.createFrom().voidItem() : plans.replaceLimits(plan))
                .flatMap(inserted -> tenants.idsOnPlan(name)
                        .map(tenantIds -> new PlanChange(plan, inserted, tenantIds))))
                .invoke(change -> Log.infof("%s plan %s: %s (%d tenants on it)",
                        change.created() ? "Created" : "Replaced", name, limits, change.tenantIds().size()))
                .call(change -> change.tenantIds().isEmpty() ? Uni.createFrom().voidItem()
                        : invalidations.planChanged(name));
    }

    private static Limits complete(PartialLimits requested) {
        PartialLimits given = PartialLimits.orNone(requested);
        return new Limits(
                LimitChanges.requireValidLimit(given.requestsPerMinute(), LimitField.REQUESTS_PER_MINUTE.jsonName()),
                LimitChanges.requireValidLimit(given.requestsPerHour(), LimitField.REQUESTS_PER_HOUR.jsonName()),
                LimitChanges.requireValidLimit(given.requestsPerDay(), LimitField.REQUESTS_PER_DAY.jsonName()),
                LimitChanges.requireValidLimit(given.tokensPerDay(), LimitField.TOKENS_PER_DAY.jsonName()));
    }
}
