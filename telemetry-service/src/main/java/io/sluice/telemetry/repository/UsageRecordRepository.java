package io.sluice.telemetry.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.sluice.contracts.UsageEvent;
import io.sluice.telemetry.entity.UsageRecord;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class UsageRecordRepository implements PanacheRepositoryBase<UsageRecord, Long> {

    private static final String[] COLUMNS = {
        "request_id", "tenant_id", "key_id", "model", "provider", "deployment", "prompt_tokens",
        "completion_tokens", "latency_ms", "status", "outcome", "stream", "created_at"};

    /** Keeps one statement far below PostgreSQL's 65,535 bind parameters. */
    static final int ROWS_PER_STATEMENT = 1_000;

    public Uni<UsageRecord> findByRequestId(String requestId) {
        return find("requestId", requestId).firstResult();
    }

    /**
     * Inserts one row per event and skips request ids already in the ledger, so that a redelivered event never
     * counts twice. Must run inside the caller's transaction.
     *
     * @return the number of rows actually inserted
     */
    public Uni<Integer> insertIgnoringDuplicates(List<UsageEvent> events) {
        // A stable order makes concurrent replicas lock the same request ids in the same order (no deadlocks).
        List<UsageEvent> ordered = events.stream().sorted(Comparator.comparing(UsageEvent::requestId)).toList();
        List<List<UsageEvent>> chunks = new ArrayList<>();
        for (int from = 0; from < ordered.size(); from += ROWS_PER_STATEMENT) {
            chunks.add(ordered.subList(from, Math.min(ordered.size(), from + ROWS_PER_STATEMENT)));
        }
        return Multi.createFrom().iterable(chunks)
                .onItem().transformToUniAndConcatenate(this::insertChunk)
                .collect().with(Collectors.summingInt(Integer::intValue));
    }

    private Uni<Integer> insertChunk(List<UsageEvent> chunk) {
        return getSession().flatMap(session -> {
            var query = session.createNativeQuery(insertStatement(chunk.size()));
            int position = 1;
            for (UsageEvent event : chunk) {
                query.setParameter(position++, event.requestId());
                query.setParameter(position++, event.tenantId());
                query.setParameter(position++, event.keyId());
                query.setParameter(position++, event.model());
                query.setParameter(position++, event.provider());
                query.setParameter(position++, event.deployment());
                query.setParameter(position++, event.promptTokens());
                query.setParameter(position++, event.completionTokens());
                query.setParameter(position++, event.latencyMs());
                query.setParameter(position++, event.status());
                query.setParameter(position++, event.outcome().wire());
                query.setParameter(position++, event.stream());
                query.setParameter(position++,
                        OffsetDateTime.ofInstant(Instant.ofEpochMilli(event.createdAtMillis()), ZoneOffset.UTC));
            }
            return query.executeUpdate();
        });
    }

    private static String insertStatement(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO {h-schema}usage_records (")
                .append(String.join(", ", COLUMNS))
                .append(") VALUES ");
        int position = 1;
        for (int row = 0; row < rows; row++) {
            sql.append(row == 0 ? "(" : ", (");
            for (int column = 0; column < COLUMNS.length; column++) {
                sql.append(column == 0 ? "?" : ", ?").append(position++);
            }
            sql.append(')');
        }
        return sql.append(" ON CONFLICT (request_id) DO NOTHING").toString();
    }
}
