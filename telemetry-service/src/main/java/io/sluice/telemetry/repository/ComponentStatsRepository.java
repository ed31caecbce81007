package io.sluice.telemetry.repository;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.telemetry.service.ReportRange;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Calls, outcomes and latency per provider and deployment, from the raw ledger rows (latency percentiles cannot be
 * rebuilt from daily sums, so this covers the raw retention window only). Answers from the gateway's response cache
 * are left out: they name the deployment of the answer they reuse, but called no provider.
 */
@ApplicationScoped
public class ComponentStatsRepository {
    private static final String CALLS = """
            SELECT GROUPING(provider, deployment), provider, deployment, count(*),
                count(*) FILTER (WHERE outcome = 'success'), count(*) FILTER (WHERE outcome <> 'success'),
                avg(latency_ms)::float8, min(latency_ms), max(latency_ms),
                percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)
            FROM {schema}.usage_records
            WHERE created_at >= $1 AND created_at < $2 AND NOT cache_hit
            GROUP BY GROUPING SETS ((provider, deployment), ())
            ORDER BY 1, 2 NULLS FIRST, 3 NULLS FIRST
            """;
    private static final String ERRORS = """
            SELECT GROUPING(provider, deployment), provider, deployment, status, outcome, count(*)
            FROM {schema}.usage_records
            WHERE created_at >= $1 AND created_at < $2 AND outcome <> 'success' AND NOT cache_hit
            GROUP BY GROUPING SETS ((provider, deployment, status, outcome), (status, outcome))
            ORDER BY 1, 2 NULLS FIRST, 3 NULLS FIRST, 4, 5
            """;

    /** Calls of one component ({@code overall} true: of all together, provider and deployment null). */
    public record Calls(boolean overall, String provider, String deployment, long calls, long successes,
            long failures, Double averageLatencyMs, Long minLatencyMs, Long maxLatencyMs, Double p95LatencyMs) {
    }

    /** Requests that did not succeed, by HTTP status and outcome, for one component or overall. */
    public record Errors(boolean overall, String provider, String deployment, int status, String outcome,
            long count) {
    }

    private final Pool pool;
    private final String calls;
    private final String errors;

    public ComponentStatsRepository(Pool pool, LedgerSchema schema) {
        this.pool = pool;
        this.calls = schema.sql(CALLS);
        this.errors = schema.sql(ERRORS);
    }

    public Uni<List<Calls>> calls(ReportRange range) {
        return pool.preparedQuery(calls).execute(Tuple.of(range.startInstant(), range.endInstant())).map(rows -> {
            List<Calls> result = new ArrayList<>();
            for (Row row : rows) {
                result.add(new Calls(row.getInteger(0) != 0, row.getString(1), row.getString(2), row.getLong(3),
                        row.getLong(4), row.getLong(5), row.getDouble(6), row.getLong(7), row.getLong(8),
                        row.getDouble(9)));
            }
            return result;
        });
    }

    public Uni<List<Errors>> errors(ReportRange range) {
        return pool.preparedQuery(errors).execute(Tuple.of(range.startInstant(), range.endInstant())).map(rows -> {
            List<Errors> result = new ArrayList<>();
            for (Row row : rows) {
                result.add(new Errors(row.getInteger(0) != 0, row.getString(1), row.getString(2),
                        row.getInteger(3) == null ? 0 : row.getInteger(3), row.getString(4), row.getLong(5)));
            }
            return result;
        });
    }
}
