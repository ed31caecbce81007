package io.sluice.telemetry.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.logging.Log;
import io.sluice.contracts.UsageEvent;
import io.sluice.telemetry.config.LedgerConfig;
import io.sluice.telemetry.entity.UsageRecord;
import io.sluice.telemetry.metrics.LedgerMetrics;
import io.sluice.telemetry.pricing.LedgerPricing;
import io.sluice.telemetry.pricing.PricedUsage;
import io.sluice.telemetry.repository.DataErrors;
import io.sluice.telemetry.repository.RowError;
import io.sluice.telemetry.repository.UsageRecordRepository;
import io.sluice.telemetry.repository.UsageRecordWriter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** The usage ledger: one priced row per request, whatever the number of times its event arrives. */
@ApplicationScoped
public class UsageLedgerService {
    private final UsageRecordWriter writer;
    private final UsageRecordRepository repository;
    private final LedgerPricing pricing;
    private final LedgerMetrics metrics;
    private final LedgerConfig config;

    public UsageLedgerService(UsageRecordWriter writer, UsageRecordRepository repository, LedgerPricing pricing,
            LedgerMetrics metrics, LedgerConfig config) {
        this.writer = writer;
        this.repository = repository;
        this.pricing = pricing;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Prices a batch of events and writes it in one transaction; events whose request id is already recorded are
     * skipped. The returned Uni completes only after the commit, so the caller may acknowledge the batch then.
     * Cost is counted in the metrics for new rows only, so a redelivery never counts twice.
     *
     * <p>An event PostgreSQL cannot store (a {@linkplain DataErrors data error}) is a property of that event, not of
     * the batch: the batch is then written again row by row, each row in its own transaction, and the events that
     * still fail are returned as rejected while the others are recorded. Any other failure (PostgreSQL down, a
     * timeout) fails the Uni, with nothing rejected, so that the caller retries the whole batch later.
     */
    public Uni<LedgerWrite> record(List<UsageEvent> events) {
        // One event per request id: a batch may hold the same event twice (a producer retry).
        Map<String, PricedUsage> byRequestId = new LinkedHashMap<>();
        Map<String, RowError> rejected = new HashMap<>();
        for (UsageEvent event : events) {
            String requestId = event.requestId();
            if (byRequestId.containsKey(requestId) || rejected.containsKey(requestId)) {
                continue;
            }
            try {
                byRequestId.put(requestId, pricing.price(event));
            } catch (RuntimeException e) {
                rejected.put(requestId, RowError.invalid(e));
            }
        }
        List<PricedUsage> batch = new ArrayList<>(byRequestId.values());
        return insert(batch)
                .onFailure(DataErrors::isDataError).recoverWithUni(failure -> {
                    Log.warnf("PostgreSQL refused a usage batch of %d rows with %s; writing it row by row",
                            batch.size(), DataErrors.describe(failure));
                    return insertRowByRow(batch, rejected);
                })
                .map(inserted -> {
                    List<PricedUsage> newRows = batch.stream()
                            .filter(row -> inserted.contains(row.event().requestId())).toList();
                    long rejectedEvents = events.stream().filter(event -> rejected.containsKey(event.requestId()))
                            .count();
                    int duplicates = (int) (events.size() - newRows.size() - rejectedEvents);
                    metrics.recorded(newRows, newRows.size(), duplicates);
                    return new LedgerWrite(newRows.size(), duplicates, Map.copyOf(rejected));
                });
    }

    /** Each row alone, one after the other; a row failing with a data error is added to {@code rejected}. */
    private Uni<Set<String>> insertRowByRow(List<PricedUsage> batch, Map<String, RowError> rejected) {
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(row -> insert(List.of(row))
                        .onFailure(DataErrors::isDataError).recoverWithItem(failure -> {
                            rejected.put(row.event().requestId(), DataErrors.classify(failure).orElseThrow());
                            return Set.of();
                        }))
                .collect().in(HashSet::new, Set::addAll);
    }

    private Uni<Set<String>> insert(List<PricedUsage> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return writer.insertNew(rows).ifNoItem().after(config.commandTimeout()).fail();
    }

    @WithSession
    public Uni<UsageRecord> find(String requestId) {
        return repository.findByRequestId(requestId);
    }
}
