package io.sluice.quota.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.sluice.quota.entity.ApiKey;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, UUID> {

    public Uni<ApiKey> findByHash(String keyHash) {
        return find("keyHash", keyHash).firstResult();
    }

    public Uni<List<ApiKey>> listByTenant(UUID tenantId) {
        return list("tenantId", Sort.by("createdAt").and("id"), tenantId);
    }

    /** The key, row-locked until the transaction ends: two rotations of one key must not both replace it. */
    public Uni<ApiKey> findForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public Uni<List<UUID>> idsOfTenant(UUID tenantId) {
        return getSession().flatMap(session -> session
                .createSelectionQuery("select k.id from ApiKey k where k.tenantId = :tenantId", UUID.class)
                .setParameter("tenantId", tenantId)
                .getResultList());
    }
}
