package io.sluice.telemetry.service;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.logging.Log;
import io.sluice.telemetry.config.LedgerConfig;
import io.sluice.telemetry.repository.UsageRollupRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Keeps the daily rollups current and prunes the raw rows they make redundant. Rolls up complete UTC days only
 * (today keeps changing); a day with late rows is rolled up again on the next run. Raw rows older than
 * {@code sluice.ledger.retention.raw-days} are deleted only once rolled up.
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

    /** What one run did. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Result(List<LocalDate> daysRolledUp, long rawRowsPruned) {
    }

    /** Rolls up every complete day with rows not yet rolled up, then prunes; each day in its own transaction. */
    public Uni<Result> run() {
        LocalDate today = LocalDate.now(clock);
        LocalDate pruneBefore = today.minusDays(config.retention().rawDays());
        return repository.daysToRollUp(today)
                .call(days -> Multi.createFrom().iterable(days)
                        .onItem().transformToUniAndConcatenate(repository::rollUp)
                        .collect().last())
                .chain(days -> pruneFrom(pruneBefore, 0).map(pruned -> new Result(days, pruned)))
                .invoke(result -> {
                    if (!result.daysRolledUp().isEmpty() || result.rawRowsPruned() > 0) {
                        Log.infof("Usage rollup: %d day(s) rolled up, %d raw row(s) before %s pruned",
                                result.daysRolledUp().size(), result.rawRowsPruned(), pruneBefore);
                    }
                });
    }

    private Uni<Long> pruneFrom(LocalDate before, long prunedSoFar) {
        return repository.pruneChunk(before, PRUNE_CHUNK).chain(deleted -> deleted < PRUNE_CHUNK
                ? Uni.createFrom().item(prunedSoFar + deleted)
                : pruneFrom(before, prunedSoFar + deleted));
    }
}
