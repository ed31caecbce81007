package io.sluice.quota.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.KeyGrant.MemoryPolicy;
import io.sluice.contracts.rest.ApiException;
import io.sluice.quota.entity.MemorySettings;
import io.sluice.quota.entity.PartialLimits;
import io.sluice.quota.entity.Plan;
import io.sluice.quota.model.CacheCaps;
import io.sluice.quota.model.LimitField;
import io.sluice.quota.model.Limits;
import io.sluice.quota.repository.PlanRepository;
import io.sluice.quota.repository.TenantRepository;

/** Lists plans and creates or replaces them; a replaced plan's new limits and caps reach every gateway at once. */
@ApplicationScoped
public class PlanService {
    static final int MAX_NAME_LENGTH = 40;
    static final String CACHE_MAX_TTL_SECONDS = "cache_max_ttl_seconds";
    static final String CACHE_MAX_BYTES = "cache_max_bytes";
    static final String MEMORY_MAX_ITEMS = "memory_max_items";
    static final String MEMORY_RETENTION_DAYS = "memory_retention_days";
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
     * @param cacheMaxTtlSeconds the response-cache TTL cap; null keeps the plan's (a new plan's: 3600)
     * @param cacheMaxBytes the response-cache byte budget per tenant; null keeps the plan's (a new plan's: 1 MiB)
     * @param memoryMaxItems items a conversation keeps; null keeps the plan's (a new plan's: the default, 100)
     * @param memoryRetentionDays days stored conversation state lives; null keeps the plan's (a new plan's: 30)
     */
    public Uni<PlanChange> put(String name, PartialLimits requested, Long cacheMaxTtlSeconds, Long cacheMaxBytes,
            Long memoryMaxItems, Long memoryRetentionDays) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid_value", "name", "A plan name is 1 to " + MAX_NAME_LENGTH
                    + " upper-case letters, digits or underscores, e.g. TEAM_2");
        }
        Limits limits = complete(requested);
        validTtlCap(cacheMaxTtlSeconds);
        validBytesCap(cacheMaxBytes);
        // The fields given, each absent one the plan's (a new plan's: the default).
        MemorySettings memory = new MemorySettings(MemoryChanges.maxItems(memoryMaxItems, MEMORY_MAX_ITEMS),
                MemoryChanges.retentionDays(memoryRetentionDays, MEMORY_RETENTION_DAYS));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Plan plan = Plan.create(name, limits, caps(cacheMaxTtlSeconds, cacheMaxBytes, CacheCaps.DEFAULT),
                memory.orElse(MemoryPolicy.DEFAULT), now);
        return Panache.withTransaction(() -> plans.insertIfAbsent(plan)
                .flatMap(inserted -> (inserted ? Uni.createFrom().item(plan) : plans.findForUpdate(name)
                        .invoke(stored -> stored.replace(limits,
                                caps(cacheMaxTtlSeconds, cacheMaxBytes, stored.cacheCaps()),
                                memory.orElse(stored.memoryPolicy()), now)))
                        .flatMap(stored -> tenants.idsOnPlan(name)
                                .map(tenantIds -> new PlanChange(stored, inserted, tenantIds)))))
                .invoke(change -> Log.infof("%s plan %s: %s, %s, %s (%d tenants on it)",
                        change.created() ? "Created" : "Replaced", name, limits, change.plan().cacheCaps(),
                        change.plan().memoryPolicy(),
                        change.tenantIds().size()))
                .call(change -> change.tenantIds().isEmpty() ? Uni.createFrom().voidItem()
                        : invalidations.planChanged(name));
    }

    /** The caps given, each absent one taken from {@code current}. */
    private static CacheCaps caps(Long maxTtlSeconds, Long maxBytes, CacheCaps current) {
        return new CacheCaps(maxTtlSeconds == null ? current.maxTtlSeconds() : maxTtlSeconds,
                maxBytes == null ? current.maxBytes() : maxBytes);
    }

    private static void validTtlCap(Long value) {
        if (value != null && (value < 1 || value > CacheCaps.MAX_TTL_SECONDS)) {
            throw ApiException.badRequest("invalid_value", CACHE_MAX_TTL_SECONDS, CACHE_MAX_TTL_SECONDS
                    + " must be a whole number of seconds from 1 to " + CacheCaps.MAX_TTL_SECONDS);
        }
    }

    private static void validBytesCap(Long value) {
        if (value != null && (value < 0 || value > CacheCaps.MAX_BYTES)) {
            throw ApiException.badRequest("invalid_value", CACHE_MAX_BYTES, CACHE_MAX_BYTES
                    + " must be a whole number of bytes from 0 (no caching on the plan) to " + CacheCaps.MAX_BYTES);
        }
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
