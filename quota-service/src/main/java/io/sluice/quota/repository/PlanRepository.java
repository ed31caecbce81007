package io.sluice.quota.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

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
                    (name, requests_per_minute, requests_per_hour, requests_per_day, tokens_per_day, updated_at)
                VALUES (:name, :rpm, :rph, :rpd, :tpd, :updatedAt)
                ON CONFLICT (name) DO NOTHING""")
                .setParameter("name", plan.name)
                .setParameter("rpm", plan.requestsPerMinute)
                .setParameter("rph", plan.requestsPerHour)
                .setParameter("rpd", plan.requestsPerDay)
                .setParameter("tpd", plan.tokensPerDay)
                .setParameter("updatedAt", plan.updatedAt)
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /** Replaces the limits of an existing plan with those of {@code plan}. */
    public Uni<Integer> replaceLimits(Plan plan) {
        return update("requestsPerMinute = ?1, requestsPerHour = ?2, requestsPerDay = ?3, tokensPerDay = ?4,"
                + " updatedAt = ?5 where name = ?6", plan.requestsPerMinute, plan.requestsPerHour,
                plan.requestsPerDay, plan.tokensPerDay, plan.updatedAt, plan.name);
    }
}
