package io.sluice.telemetry.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.sluice.telemetry.entity.UsageRecord;
import io.smallrye.mutiny.Uni;

/** Look-ups of single ledger rows; batches are written by {@link UsageRecordWriter}. */
@ApplicationScoped
public class UsageRecordRepository implements PanacheRepositoryBase<UsageRecord, Long> {

    public Uni<UsageRecord> findByRequestId(String requestId) {
        return find("requestId", requestId).firstResult();
    }
}
