package io.sluice.quota.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.sluice.quota.entity.Plan;

@ApplicationScoped
public class PlanRepository implements PanacheRepositoryBase<Plan, String> {

    public Uni<List<Plan>> listByName() {
        return listAll(Sort.by("name"));
    }

    /** The plan whose name equals {@code name} ignoring case, so "pro" finds "PRO"; null if none. */
    public Uni<Plan> findByNameIgnoringCase(String name) {
        return find("lower(name) = lower(?1)", Sort.by("name"), name).firstResult();
    }

    /**
     * Inserts the plan unless a plan of that name exists, in one statement, so that replicas seeding at the same time
     * or concurrent PUTs of a new plan never collide on the primary key.
     *
     * @return whether the plan was inserted
     */
    public Uni<Boolean> insertIfAbsent(Plan plan) {
        return getSession().flatMap(session -> session.createNativeQuery("""
                INSERT INTO {h-schema}plans
                    (name, requests_per_minute, requests_per_hour, requests_per_day, tokens_per_day,
                     cache_max_ttl_seconds, cache_max_bytes, memory_max_items, memory_retention_days, updated_at)
                VALUES (:name, :rpm, :rph, :rpd, :tpd, :cacheTtl, :cacheBytes, :memoryItems, :memoryDays, :updatedAt)
                ON CONFLICT (name) DO NOTHING""")
                .setParameter("name", plan.name)
                .setParameter("rpm", plan.requestsPerMinute)
                .setParameter("rph", plan.requestsPerHour)
                .setParameter("rpd", plan.requestsPerDay)
                .setParameter("tpd", plan.tokensPerDay)
                .setParameter("cacheTtl", plan.cacheMaxTtlSeconds)
                .setParameter("cacheBytes", plan.cacheMaxBytes)
                .setParameter("memoryItems", plan.memoryMaxItems)
                .setParameter("memoryDays", plan.memoryRetentionDays)
                .setParameter("updatedAt", plan.updatedAt)
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /** The plan, row-locked until the transaction ends, so that concurrent PUTs of one plan do not interleave. */
    public Uni<Plan> findForUpdate(String name) {
        return findById(name, LockModeType.PESSIMISTIC_WRITE);
    }
}
