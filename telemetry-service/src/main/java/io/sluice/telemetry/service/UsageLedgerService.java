package io.sluice.telemetry.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.sluice.contracts.UsageEvent;
import io.sluice.telemetry.entity.UsageRecord;
import io.sluice.telemetry.metrics.LedgerMetrics;
import io.sluice.telemetry.repository.UsageRecordRepository;
import io.smallrye.mutiny.Uni;

/** The usage ledger: one row per request, whatever the number of times its event arrives. */
@ApplicationScoped
public class UsageLedgerService {
    private final UsageRecordRepository repository;
    private final LedgerMetrics metrics;

    public UsageLedgerService(UsageRecordRepository repository, LedgerMetrics metrics) {
        this.repository = repository;
        this.metrics = metrics;
    }

    /**
     * Writes a batch of events in one transaction; events whose request id is already recorded are skipped.
     * The returned Uni completes only after the commit, so the caller may acknowledge the batch then.
     *
     * @return the number of new rows
     */
    public Uni<Integer> record(List<UsageEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.withTransaction(() -> repository.insertIgnoringDuplicates(events))
                .invoke(inserted -> metrics.recorded(inserted, events.size() - inserted));
    }

    @WithSession
    public Uni<UsageRecord> find(String requestId) {
        return repository.findByRequestId(requestId);
    }
}
