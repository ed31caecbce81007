package io.sluice.telemetry.deadletter;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Replays the whole dead-letter stream, for when the cause is fixed (a schema change, a price, a bug): every entry
 * goes back to the usage stream, where the consumer records it or dead-letters it again.
 */
@ApplicationScoped
public class DeadLetterReplay {
    /** Entries read per XRANGE; each is then requeued alone. */
    static final int PAGE = 100;

    private final DeadLetterStream deadLetters;

    public DeadLetterReplay(DeadLetterStream deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** What one replay of everything did. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Result(long replayed, long skipped) {
    }

    /**
     * Requeues the entries present when the call starts, oldest first. Those that fail again come back with newer
     * ids and are left for the next call, so a replay always ends. Entries without fields are skipped.
     */
    public Uni<Result> replayAll() {
        return deadLetters.newestId().chain(newest -> newest == null
                ? Uni.createFrom().item(new Result(0, 0))
                : replayFrom(null, newest, new Result(0, 0)))
                .invoke(result -> Log.infof("Replayed %d dead-lettered usage entries (%d without fields skipped)",
                        result.replayed(), result.skipped()));
    }

    private Uni<Result> replayFrom(String after, String newest, Result soFar) {
        return deadLetters.page(false, after, newest, PAGE).chain(page -> requeue(page)
                .map(replayed -> new Result(soFar.replayed() + replayed, soFar.skipped() + page.size() - replayed))
                .chain(total -> page.size() < PAGE ? Uni.createFrom().item(total)
                        : replayFrom(page.get(page.size() - 1).id(), newest, total)));
    }

    private Uni<Long> requeue(List<DeadLetter> page) {
        return Multi.createFrom().iterable(page).select().where(DeadLetter::replayable)
                .onItem().transformToUniAndConcatenate(deadLetters::requeue)
                .collect().with(Collectors.counting());
    }
}
