package io.sluice.telemetry.repository;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.telemetry.service.ReportRange;
import io.sluice.telemetry.service.UsageSums;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Usage sums over UTC days. Every query reads the daily rollups plus the raw rows not yet rolled up, in one
 * statement (one snapshot), so each request counts exactly once whether its raw row still exists or was pruned.
 */
@ApplicationScoped
public class UsageReportRepository {
    /** $1/$2 the days, $3/$4 the same range as instants (end exclusive), $5 the tenant when filtered. */
    private static final String FACTS = """
            WITH facts AS (
                SELECT day, tenant_id, model, requests, successes, errors, prompt_tokens, completion_tokens,
                    cached_tokens, cost_usd, cache_hits, saved_cost_usd
                FROM {schema}.usage_daily
                WHERE day BETWEEN $1 AND $2 {tenant}
                UNION ALL
                SELECT (created_at AT TIME ZONE 'UTC')::date, coalesce(tenant_id, ''), coalesce(model, ''), 1,
                    CASE WHEN outcome = 'success' THEN 1 ELSE 0 END, CASE WHEN outcome = 'success' THEN 0 ELSE 1 END,
                    prompt_tokens, completion_tokens, cached_tokens, cost_usd, CASE WHEN cache_hit THEN 1 ELSE 0 END,
                    saved_cost_usd
                FROM {schema}.usage_records
                WHERE NOT rolled_up AND created_at >= $3 AND created_at < $4 {tenant}
            )
            """;
    private static final String SUMS = """
            coalesce(sum(requests), 0)::bigint, coalesce(sum(successes), 0)::bigint,
            coalesce(sum(errors), 0)::bigint, coalesce(sum(prompt_tokens), 0)::bigint,
            coalesce(sum(completion_tokens), 0)::bigint, coalesce(sum(cached_tokens), 0)::bigint,
            coalesce(sum(cost_usd), 0)::numeric(18,6), coalesce(sum(cache_hits), 0)::bigint,
            coalesce(sum(saved_cost_usd), 0)::numeric(18,6)
            """;
    /** First column: which grouping set the row belongs to, as PostgreSQL's GROUPING() bit mask. */
    private static final String GROUPED = FACTS + """
            SELECT GROUPING({key}), {key}, """ + SUMS + """
            FROM facts GROUP BY GROUPING SETS (({key}), ()) ORDER BY 1, 2
            """;
    private static final String BY_DAY_AND_MODEL = FACTS + """
            SELECT GROUPING(day, model), day, model, """ + SUMS + """
            FROM facts GROUP BY GROUPING SETS ((day, model), (model), ()) ORDER BY 1, 2, 3
            """;
    /** $6 the first day of the month, $7 the first of the last seven complete days, $8 today. */
    private static final String PROJECTION_BASIS = FACTS + """
            SELECT coalesce(sum(cost_usd) FILTER (WHERE day >= $6), 0)::numeric(18,6),
                coalesce(sum(cost_usd) FILTER (WHERE day >= $7 AND day < $8), 0)::numeric(18,6)
            FROM facts
            """;

    /** One row of a grouped report: the group's key (null for the total) and its sums. */
    public record Group<K>(K key, UsageSums sums) {
    }

    /** One cell of a day-by-model report, the per-model subtotals (day null) and the total (both null). */
    public record DayModel(LocalDate day, String model, UsageSums sums) {
    }

    /** What a projection of the month's cost starts from. */
    public record ProjectionBasis(BigDecimal monthToDate, BigDecimal lastSevenCompleteDays) {
    }

    public enum GroupKey {
        TENANT("tenant_id"), MODEL("model"), DAY("day");

        final String column;

        GroupKey(String column) {
            this.column = column;
        }
    }

    private final Pool pool;
    private final LedgerSchema schema;

    public UsageReportRepository(Pool pool, LedgerSchema schema) {
        this.pool = pool;
        this.schema = schema;
    }

    /** Sums by day and model, per model and in total, for one tenant or (tenant empty) for all. */
    public Uni<List<DayModel>> byDayAndModel(ReportRange range, Optional<String> tenant) {
        return pool.preparedQuery(sql(BY_DAY_AND_MODEL, tenant)).execute(parameters(range, tenant))
                .map(rows -> {
                    List<DayModel> result = new ArrayList<>();
                    for (Row row : rows) {
                        int grouping = row.getInteger(0);
                        result.add(new DayModel((grouping & 2) == 0 ? row.getLocalDate(1) : null,
                                (grouping & 1) == 0 ? row.getString(2) : null, sums(row, 3)));
                    }
                    return result;
                });
    }

    /** Sums per value of {@code key} plus the total (key null), over all tenants. Keys of type String or LocalDate. */
    public Uni<List<Group<Object>>> groupedBy(GroupKey key, ReportRange range) {
        String template = GROUPED.replace("{key}", key.column);
        return pool.preparedQuery(sql(template, Optional.empty())).execute(parameters(range, Optional.empty()))
                .map(rows -> {
                    List<Group<Object>> result = new ArrayList<>();
                    for (Row row : rows) {
                        boolean total = row.getInteger(0) != 0;
                        Object value = total ? null : key == GroupKey.DAY ? row.getLocalDate(1) : row.getString(1);
                        result.add(new Group<>(value, sums(row, 2)));
                    }
                    return result;
                });
    }

    /** Month-to-date cost and the cost of the seven complete days before {@code today}. */
    public Uni<ProjectionBasis> projectionBasis(LocalDate today, Optional<String> tenant) {
        LocalDate monthStart = today.withDayOfMonth(1);
        LocalDate weekStart = today.minusDays(7);
        ReportRange range = new ReportRange(monthStart.isBefore(weekStart) ? monthStart : weekStart, today);
        Tuple parameters = parameters(range, tenant).addLocalDate(monthStart).addLocalDate(weekStart)
                .addLocalDate(today);
        return pool.preparedQuery(sql(PROJECTION_BASIS, tenant)).execute(parameters)
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new ProjectionBasis(row.getBigDecimal(0), row.getBigDecimal(1));
                });
    }

    private String sql(String template, Optional<String> tenant) {
        // Two statements rather than "$5 IS NULL OR tenant_id = $5": a literal predicate lets the planner use the
        // tenant indexes. $5 is always bound (null across tenants) so that the parameters after it keep their numbers.
        return schema.sql(template.replace("{tenant}", tenant.isPresent() ? "AND tenant_id = $5" : "AND $5::text IS NULL"));
    }

    private static Tuple parameters(ReportRange range, Optional<String> tenant) {
        return Tuple.of(range.from(), range.to(), range.startInstant(), range.endInstant())
                .addString(tenant.orElse(null));
    }

    private static UsageSums sums(Row row, int first) {
        return new UsageSums(row.getLong(first), row.getLong(first + 1), row.getLong(first + 2),
                row.getLong(first + 3), row.getLong(first + 4), row.getLong(first + 5),
                row.getBigDecimal(first + 6).setScale(6), row.getLong(first + 7),
                row.getBigDecimal(first + 8).setScale(6));
    }
}
