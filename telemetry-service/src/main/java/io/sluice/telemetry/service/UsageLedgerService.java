package io.sluice.telemetry.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.sluice.contracts.UsageEvent;
import io.sluice.telemetry.entity.UsageRecord;
import io.sluice.telemetry.metrics.LedgerMetrics;
import io.sluice.telemetry.pricing.LedgerPricing;
import io.sluice.telemetry.pricing.PricedUsage;
import io.sluice.telemetry.repository.UsageRecordRepository;
import io.sluice.telemetry.repository.UsageRecordWriter;
import io.smallrye.mutiny.Uni;

/** The usage ledger: one priced row per request, whatever the number of times its event arrives. */
@ApplicationScoped
public class UsageLedgerService {
    private final UsageRecordWriter writer;
    private final UsageRecordRepository repository;
    private final LedgerPricing pricing;
    private final LedgerMetrics metrics;

    public UsageLedgerService(UsageRecordWriter writer, UsageRecordRepository repository, LedgerPricing pricing,
            LedgerMetrics metrics) {
        this.writer = writer;
        this.repository = repository;
        this.pricing = pricing;
        this.metrics = metrics;
    }

    /**
     * Prices a batch of events and writes it in one transaction; events whose request id is already recorded are
     * skipped. The returned Uni completes only after the commit, so the caller may acknowledge the batch then.
     * Cost is counted in the metrics for new rows only, so a redelivery never counts twice.
     *
     * @return the number of new rows
     */
    public Uni<Integer> record(List<UsageEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        // One event per request id: a batch may hold the same event twice (a producer retry).
        Map<String, PricedUsage> byRequestId = new LinkedHashMap<>();
        for (UsageEvent event : events) {
            byRequestId.putIfAbsent(event.requestId(), pricing.price(event));
        }
        List<PricedUsage> batch = new ArrayList<>(byRequestId.values());
        return writer.insertNew(batch).map(inserted -> {
            List<PricedUsage> newRows = batch.stream().filter(row -> inserted.contains(row.event().requestId()))
                    .toList();
            metrics.recorded(newRows, newRows.size(), events.size() - newRows.size());
            return newRows.size();
        });
    }

    @WithSession
    public Uni<UsageRecord> find(String requestId) {
        return repository.findByRequestId(requestId);
    }
}
