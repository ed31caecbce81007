package io.sluice.quota.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.sluice.quota.entity.Tenant;

@ApplicationScoped
public class TenantRepository implements PanacheRepositoryBase<Tenant, UUID> {

    public Uni<List<Tenant>> listOldestFirst() {
        return listAll(Sort.by("createdAt").and("name"));
    }

    /** The tenant, row-locked until the transaction ends, so that concurrent partial updates do not lose each other. */
    public Uni<Tenant> findForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public Uni<List<UUID>> idsOnPlan(String plan) {
        return getSession().flatMap(session -> session
                .createSelectionQuery("select t.id from Tenant t where t.plan = :plan", UUID.class)
                .setParameter("plan", plan)
                .getResultList());
    }
}
