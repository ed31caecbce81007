package io.sluice.telemetry.service;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.logging.Log;
import io.sluice.telemetry.config.LedgerConfig;
import io.sluice.telemetry.repository.DataErrors;
import io.sluice.telemetry.repository.UsageRollupRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Keeps the daily rollups current and prunes the raw rows they make redundant. Rolls up complete UTC days only
 * (today keeps changing); a day with late rows is rolled up again on the next run. Raw rows older than
 * {@code sluice.ledger.retention.raw-days} are deleted only once rolled up. A day whose rollup fails (a row that
 * cannot enter usage_daily, say) is logged and left for the next run; it never holds up the other days or the
 * pruning, which only ever deletes rows already rolled up.
 */
@ApplicationScoped
public class UsageRollupService {
    /** Rows deleted per transaction, so that pruning a large backlog never holds long locks. */
    static final int PRUNE_CHUNK = 10_000;

    private final UsageRollupRepository repository;
    private final LedgerConfig config;
    private final Clock clock = Clock.systemUTC();

    public UsageRollupService(UsageRollupRepository repository, LedgerConfig config) {
        if (config.retention().rawDays() < 1) {
            throw new IllegalArgumentException("sluice.ledger.retention.raw-days must be at least 1");
        }
        this.repository = repository;
        this.config = config;
    }

    /**
     * What one run did.
     *
     * @param daysFailed days whose rollup failed this time; they are tried again on the next run
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Result(List<LocalDate> daysRolledUp, List<LocalDate> daysFailed, long rawRowsPruned) {
    }

    /** Rolls up every complete day with rows not yet rolled up, then prunes; each day in its own transaction. */
    public Uni<Result> run() {
        LocalDate today = LocalDate.now(clock);
        LocalDate pruneBefore = today.minusDays(config.retention().rawDays());
        return repository.daysToRollUp(today)
                .chain(days -> Multi.createFrom().iterable(days)
                        .onItem().transformToUniAndConcatenate(this::rollUp)
                        .collect().asMap(Map.Entry::getKey, Map.Entry::getValue))
                .chain(outcomes -> pruneFrom(pruneBefore, 0).map(pruned -> new Result(
                        daysWhere(outcomes, true), daysWhere(outcomes, false), pruned)))
                .invoke(result -> {
                    if (!result.daysRolledUp().isEmpty() || !result.daysFailed().isEmpty()
                            || result.rawRowsPruned() > 0) {
                        Log.infof("Usage rollup: %d day(s) rolled up, %d failed, %d raw row(s) before %s pruned",
                                result.daysRolledUp().size(), result.daysFailed().size(), result.rawRowsPruned(),
                                pruneBefore);
                    }
                });
    }

    /** One day, its failure logged (the SQLSTATE only: PostgreSQL's message may quote a tenant's value). */
    private Uni<Map.Entry<LocalDate, Boolean>> rollUp(LocalDate day) {
        return repository.rollUp(day).replaceWith(Boolean.TRUE)
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Usage rollup of %s failed with %s; the day is skipped and tried again on the next run",
                            day, DataErrors.describe(failure));
                    return Boolean.FALSE;
                })
                .map(rolledUp -> Map.entry(day, rolledUp));
    }

    private static List<LocalDate> daysWhere(Map<LocalDate, Boolean> outcomes, boolean rolledUp) {
        return outcomes.entrySet().stream().filter(outcome -> outcome.getValue() == rolledUp)
                .map(Map.Entry::getKey).sorted().toList();
    }

    private Uni<Long> pruneFrom(LocalDate before, long prunedSoFar) {
        return repository.pruneChunk(before, PRUNE_CHUNK).chain(deleted -> deleted < PRUNE_CHUNK
                ? Uni.createFrom().item(prunedSoFar + deleted)
                : pruneFrom(before, prunedSoFar + deleted));
    }
}
