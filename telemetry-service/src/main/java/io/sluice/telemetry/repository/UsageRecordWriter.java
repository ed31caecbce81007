package io.sluice.telemetry.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.UsageEvent;
import io.sluice.telemetry.pricing.PricedUsage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes a batch of priced usage events as ledger rows: one multi-row INSERT (the batch as column arrays, unnested)
 * that skips request ids already recorded and returns the ones it inserted, in one transaction.
 */
@ApplicationScoped
public class UsageRecordWriter {
    private static final String INSERT = """
            INSERT INTO {schema}.usage_records (request_id, tenant_id, key_id, tier, model, provider, deployment,
                prompt_tokens, completion_tokens, cached_tokens, latency_ms, ttft_ms, status, outcome, stream,
                cache_hit, cost_usd, saved_cost_usd, created_at, endpoint, response_id, conversation_id)
            SELECT request_id, tenant_id, key_id, tier, model, provider, deployment, prompt_tokens,
                completion_tokens, cached_tokens, latency_ms, ttft_ms, status, outcome, stream, cache_hit,
                cost_micro_usd::numeric / 1000000, saved_micro_usd::numeric / 1000000, created_at, endpoint,
                response_id, conversation_id
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::int[], $9::int[], $10::int[], $11::bigint[], $12::bigint[], $13::int[], $14::text[],
                $15::boolean[], $16::boolean[], $17::bigint[], $18::bigint[], $19::timestamptz[], $20::text[],
                $21::text[], $22::text[])
                AS batch(request_id, tenant_id, key_id, tier, model, provider, deployment, prompt_tokens,
                    completion_tokens, cached_tokens, latency_ms, ttft_ms, status, outcome, stream, cache_hit,
                    cost_micro_usd, saved_micro_usd, created_at, endpoint, response_id, conversation_id)
            -- A stable order makes concurrent replicas lock the same request ids in the same order (no deadlocks).
            ORDER BY request_id
            ON CONFLICT (request_id) DO NOTHING
            RETURNING request_id
            """;

    private final Pool pool;
    private final String insert;

    public UsageRecordWriter(Pool pool, LedgerSchema schema) {
        this.pool = pool;
        this.insert = schema.sql(INSERT);
    }

    /**
     * Inserts one row per event, skipping request ids already in the ledger, so that a redelivered event never
     * counts twice. The events must have distinct request ids. Completes after the commit.
     *
     * @return the request ids that became new rows
     */
    public Uni<Set<String>> insertNew(List<PricedUsage> batch) {
        int size = batch.size();
        String[] requestIds = new String[size];
        String[] tenants = new String[size];
        String[] keys = new String[size];
        String[] tiers = new String[size];
        String[] models = new String[size];
        String[] providers = new String[size];
        String[] deployments = new String[size];
        Integer[] promptTokens = new Integer[size];
        Integer[] completionTokens = new Integer[size];
        Integer[] cachedTokens = new Integer[size];
        Long[] latencies = new Long[size];
        Long[] timesToFirstToken = new Long[size];
        Integer[] statuses = new Integer[size];
        String[] outcomes = new String[size];
        Boolean[] streams = new Boolean[size];
        Boolean[] cacheHits = new Boolean[size];
        Long[] costs = new Long[size];
        Long[] savings = new Long[size];
        OffsetDateTime[] createdAt = new OffsetDateTime[size];
        String[] endpoints = new String[size];
        String[] responseIds = new String[size];
        String[] conversationIds = new String[size];
        for (int i = 0; i < size; i++) {
            UsageEvent event = batch.get(i).event();
            requestIds[i] = event.requestId();
            tenants[i] = event.tenantId();
            keys[i] = event.keyId();
            tiers[i] = event.tier();
            models[i] = event.model();
            providers[i] = event.provider();
            deployments[i] = event.deployment();
            promptTokens[i] = event.promptTokens();
            completionTokens[i] = event.completionTokens();
            cachedTokens[i] = event.cachedTokens();
            latencies[i] = event.latencyMs();
            timesToFirstToken[i] = event.timeToFirstTokenMs() < 0 ? null : event.timeToFirstTokenMs();
            statuses[i] = event.status();
            outcomes[i] = event.outcome().wire();
            streams[i] = event.stream();
            cacheHits[i] = event.cacheHit();
            costs[i] = batch.get(i).costMicroUsd();
            savings[i] = batch.get(i).savedMicroUsd();
            createdAt[i] = OffsetDateTime.ofInstant(Instant.ofEpochMilli(event.createdAtMillis()), ZoneOffset.UTC);
            endpoints[i] = event.endpoint();
            responseIds[i] = event.responseId();
            conversationIds[i] = event.conversationId();
        }
        Tuple columns = Tuple.from(List.<Object>of(requestIds, tenants, keys, tiers, models, providers, deployments,
                promptTokens, completionTokens, cachedTokens, latencies, timesToFirstToken, statuses, outcomes,
                streams, cacheHits, costs, savings, createdAt, endpoints, responseIds, conversationIds));
        return pool.withTransaction(connection -> connection.preparedQuery(insert).execute(columns))
                .map(rows -> {
                    Set<String> inserted = new HashSet<>(rows.size());
                    for (Row row : rows) {
                        inserted.add(row.getString(0));
                    }
                    return inserted;
                });
    }
}
