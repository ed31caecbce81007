package io.sluice.telemetry.repository;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Daily rollups of the ledger and the pruning of the raw rows they cover. A raw row is either in usage_daily
 * ({@code rolled_up}) or not; one statement both aggregates rows and marks them, so none counts twice or never.
 */
@ApplicationScoped
public class UsageRollupRepository {
    /** Serialises rollup and pruning across telemetry replicas, per transaction. */
    private static final String LOCK = "SELECT pg_advisory_xact_lock(7406281503)";
    private static final String DAYS_TO_ROLL_UP = """
            SELECT DISTINCT (created_at AT TIME ZONE 'UTC')::date FROM {schema}.usage_records
            WHERE NOT rolled_up AND created_at < $1 ORDER BY 1
            """;
    private static final String IS_PRUNED =
            "SELECT raw_pruned_at IS NOT NULL FROM {schema}.usage_rollup_days WHERE day = $1";
    private static final String CLEAR_DAY = "DELETE FROM {schema}.usage_daily WHERE day = $1";
    /** $1 the day, $2/$3 its start and end (exclusive). {rows} limits the rows to those not yet rolled up. */
    private static final String MERGE_DAY = """
            WITH included AS (
                UPDATE {schema}.usage_records SET rolled_up = true
                WHERE created_at >= $2 AND created_at < $3 {rows}
                RETURNING tenant_id, model, provider, deployment, tier, outcome, prompt_tokens, completion_tokens,
                    cached_tokens, cost_usd, cache_hit, saved_cost_usd
            )
            INSERT INTO {schema}.usage_daily AS daily (day, tenant_id, model, provider, deployment, tier, requests,
                successes, errors, prompt_tokens, completion_tokens, cached_tokens, cost_usd, cache_hits,
                saved_cost_usd)
            SELECT $1, coalesce(tenant_id, ''), coalesce(model, ''), coalesce(provider, ''),
                coalesce(deployment, ''), coalesce(tier, ''), count(*), count(*) FILTER (WHERE outcome = 'success'),
                count(*) FILTER (WHERE outcome <> 'success'), coalesce(sum(prompt_tokens), 0),
                coalesce(sum(completion_tokens), 0), coalesce(sum(cached_tokens), 0), coalesce(sum(cost_usd), 0),
                count(*) FILTER (WHERE cache_hit), coalesce(sum(saved_cost_usd), 0)
            FROM included
            GROUP BY 2, 3, 4, 5, 6
            ON CONFLICT (day, tenant_id, model, provider, deployment, tier) DO UPDATE SET
                requests = daily.requests + excluded.requests,
                successes = daily.successes + excluded.successes,
                errors = daily.errors + excluded.errors,
                prompt_tokens = daily.prompt_tokens + excluded.prompt_tokens,
                completion_tokens = daily.completion_tokens + excluded.completion_tokens,
                cached_tokens = daily.cached_tokens + excluded.cached_tokens,
                cost_usd = daily.cost_usd + excluded.cost_usd,
                cache_hits = daily.cache_hits + excluded.cache_hits,
                saved_cost_usd = daily.saved_cost_usd + excluded.saved_cost_usd
            """;
    private static final String MARK_ROLLED_UP = """
            INSERT INTO {schema}.usage_rollup_days (day, rolled_up_at) VALUES ($1, now())
            ON CONFLICT (day) DO UPDATE SET rolled_up_at = now()
            """;
    /** Marks before deleting, in the same transaction: a day that may have lost raw rows is never recomputed. */
    private static final String MARK_PRUNED = """
            UPDATE {schema}.usage_rollup_days SET raw_pruned_at = now() WHERE day < $1 AND raw_pruned_at IS NULL
            """;
    private static final String PRUNE_CHUNK = """
            DELETE FROM {schema}.usage_records WHERE id IN (
                SELECT id FROM {schema}.usage_records WHERE rolled_up AND created_at < $1 LIMIT $2)
            """;

    private final Pool pool;
    private final String daysToRollUp;
    private final String isPruned;
    private final String clearDay;
    private final String recomputeDay;
    private final String mergeLateRows;
    private final String markRolledUp;
    private final String markPruned;
    private final String pruneChunk;

    public UsageRollupRepository(Pool pool, LedgerSchema schema) {
        this.pool = pool;
        this.daysToRollUp = schema.sql(DAYS_TO_ROLL_UP);
        this.isPruned = schema.sql(IS_PRUNED);
        this.clearDay = schema.sql(CLEAR_DAY);
        this.recomputeDay = schema.sql(MERGE_DAY.replace("{rows}", ""));
        this.mergeLateRows = schema.sql(MERGE_DAY.replace("{rows}", "AND NOT rolled_up"));
        this.markRolledUp = schema.sql(MARK_ROLLED_UP);
        this.markPruned = schema.sql(MARK_PRUNED);
        this.pruneChunk = schema.sql(PRUNE_CHUNK);
    }

    /** UTC days before {@code before} that have rows not yet in their rollup (new days, or late rows). */
    public Uni<List<LocalDate>> daysToRollUp(LocalDate before) {
        return pool.preparedQuery(daysToRollUp).execute(Tuple.of(startOf(before))).map(rows -> {
            List<LocalDate> days = new ArrayList<>();
            for (Row row : rows) {
                days.add(row.getLocalDate(0));
            }
            return days;
        });
    }

    /**
     * Rolls one day up, in one transaction. While the day's raw rows are all there, its rollup is recomputed from
     * them and replaces the old one (idempotent); once they may be pruned, the rows not yet rolled up (late
     * events) are added to it instead.
     */
    public Uni<Void> rollUp(LocalDate day) {
        Tuple dayRange = Tuple.of(day, startOf(day), startOf(day.plusDays(1)));
        return pool.withTransaction(connection -> lock(connection)
                .chain(() -> connection.preparedQuery(isPruned).execute(Tuple.of(day)))
                .map(rows -> rows.iterator().hasNext() && rows.iterator().next().getBoolean(0))
                .chain(pruned -> pruned
                        ? connection.preparedQuery(mergeLateRows).execute(dayRange)
                        : connection.preparedQuery(clearDay).execute(Tuple.of(day))
                                .chain(() -> connection.preparedQuery(recomputeDay).execute(dayRange)))
                .chain(() -> connection.preparedQuery(markRolledUp).execute(Tuple.of(day)))
                .replaceWithVoid());
    }

    /**
     * Deletes up to {@code limit} raw rows from before {@code before} that are already rolled up, in one
     * transaction. Rows not rolled up yet are never deleted.
     *
     * @return the number of rows deleted; less than {@code limit} when none are left
     */
    public Uni<Integer> pruneChunk(LocalDate before, int limit) {
        return pool.withTransaction(connection -> lock(connection)
                .chain(() -> connection.preparedQuery(markPruned).execute(Tuple.of(before)))
                .chain(() -> connection.preparedQuery(pruneChunk).execute(Tuple.of(startOf(before), limit)))
                .map(rows -> rows.rowCount()));
    }

    private static Uni<Void> lock(SqlConnection connection) {
        return connection.query(LOCK).execute().replaceWithVoid();
    }

    private static OffsetDateTime startOf(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}
