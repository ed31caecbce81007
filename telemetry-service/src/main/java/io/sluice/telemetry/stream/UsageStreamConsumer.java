package io.sluice.telemetry.stream;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.sluice.telemetry.config.LedgerConfig;
import io.sluice.telemetry.deadletter.DeadLetterStream;
import io.sluice.telemetry.repository.DataErrors;
import io.sluice.telemetry.service.LedgerIntake;
import io.sluice.telemetry.service.UsageEntry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;

/**
 * Moves usage events from the Redis Stream into the ledger, one batch at a time: read a batch, insert it in one
 * transaction, acknowledge it only after the commit. A batch that fails stays pending and is retried, with
 * backoff, before anything new is read; inserts are idempotent on the request id, so a retry never doubles a row.
 * An entry that can never be stored (unparseable, or refused by PostgreSQL as a data error) is not a failure of the
 * batch: it goes to the dead-letter stream and the consumer goes on, so one bad entry cannot stall the ledger.
 *
 * <p>The loop is a chain of non-blocking steps on one Vert.x duplicated context (which Hibernate Reactive
 * requires); it never blocks a thread, waits included.
 */
@ApplicationScoped
public class UsageStreamConsumer {
    private final UsageStream stream;
    private final LedgerIntake intake;
    private final DeadLetterStream deadLetters;
    private final LedgerConfig config;
    private final RetryBackoff backoff;
    private final Vertx vertx;

    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean started;
    private volatile boolean stopping;
    private volatile Cancellable loop;
    private volatile UniEmitter<? super Void> currentWait;

    // Loop state: only the running step reads and writes these, and steps never overlap.
    private boolean groupReady;
    private boolean drainOwnPending = true;
    private String claimCursor = UsageStream.BEGINNING;
    private long nextClaimAt;
    private int consecutiveFailures;

    public UsageStreamConsumer(UsageStream stream, LedgerIntake intake, DeadLetterStream deadLetters,
            LedgerConfig config, Vertx vertx) {
        this.stream = stream;
        this.intake = intake;
        this.deadLetters = deadLetters;
        this.config = config;
        this.backoff = new RetryBackoff(config.backoff().initial(), config.backoff().max());
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        started = true;
        nextClaimAt = System.nanoTime();
        VertxContextSupport.subscribe(
                () -> Multi.createBy().repeating().uni(this::step).until(ignored -> stopping),
                subscribe -> loop = subscribe.with(
                        handled -> {
                        },
                        failure -> {
                            Log.error("Usage stream consumer stopped unexpectedly", failure);
                            stopped.complete(null);
                        },
                        () -> stopped.complete(null)));
    }

    void stop(@Observes ShutdownEvent event) {
        if (!started) {
            return;
        }
        stopping = true;
        UniEmitter<? super Void> wait = currentWait;
        if (wait != null) {
            wait.complete(null);
        }
        try {
            stopped.get(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            Log.warnf("Usage stream consumer did not stop within %s; its unacknowledged entries will be redelivered",
                    config.shutdownGrace());
            cancelLoop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelLoop();
        }
    }

    /** One batch, or one wait after a failure; never fails itself, so the loop runs until shutdown. */
    private Uni<Integer> step() {
        return ensureGroup()
                .chain(this::claimIdleIfDue)
                .chain(this::readBatch)
                .chain(this::recordAndAcknowledge)
                .invoke(handled -> consecutiveFailures = 0)
                .onFailure().recoverWithUni(this::backOff)
                .call(this::lingerAfterPartialBatch);
    }

    /** A partial batch means the stream is drained: let events gather rather than read them one by one. */
    private Uni<Void> lingerAfterPartialBatch(int handled) {
        if (handled == 0 || handled >= config.batchSize() || config.linger().isZero()) {
            return Uni.createFrom().voidItem();
        }
        return sleep(config.linger());
    }

    private Uni<Void> ensureGroup() {
        if (groupReady) {
            return Uni.createFrom().voidItem();
        }
        return stream.createGroup().invoke(() -> groupReady = true);
    }

    private Uni<Void> claimIdleIfDue() {
        long now = System.nanoTime();
        if (now - nextClaimAt < 0) {
            return Uni.createFrom().voidItem();
        }
        return stream.claimIdle(claimCursor).invoke(claimed -> {
            if (!claimed.getMessages().isEmpty()) {
                Log.infof("Claimed %d usage entries idle for more than %s", claimed.getMessages().size(),
                        config.claim().minIdle());
                drainOwnPending = true;
            }
            claimCursor = claimed.getId();
            // Any cursor but the start means there are more candidates: continue at the next step.
            nextClaimAt = UsageStream.BEGINNING.equals(claimCursor) ? now + config.claim().interval().toNanos() : now;
        }).replaceWithVoid();
    }

    private Uni<List<StreamMessage<String, String, String>>> readBatch() {
        if (!drainOwnPending) {
            return stream.readNew();
        }
        return stream.readOwnPending().invoke(batch -> drainOwnPending = !batch.isEmpty());
    }

    /**
     * Records the batch, dead-letters the entries the ledger cannot store, then acknowledges them all: in this order,
     * a crash in between redelivers the batch (its rows are then duplicates, its dead letters written twice) instead
     * of losing an entry.
     */
    private Uni<Integer> recordAndAcknowledge(List<StreamMessage<String, String, String>> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<UsageEntry> entries = batch.stream()
                .map(message -> new UsageEntry(message.id(), message.payload()))
                .toList();
        List<String> ids = batch.stream().map(StreamMessage::id).toList();
        return intake.record(entries)
                .call(result -> deadLetters.addFromStream(result.rejections()))
                .call(() -> stream.acknowledge(ids))
                .replaceWith(batch.size());
    }

    private Uni<Integer> backOff(Throwable failure) {
        consecutiveFailures++;
        // The failed batch is still in this consumer's pending list: retry it before reading anything new.
        drainOwnPending = true;
        if (UsageStream.isNoGroup(failure)) {
            groupReady = false;
        }
        Duration delay = backoff.after(consecutiveFailures);
        Log.warnf("Usage ledger step failed (%d in a row), retrying in %d ms: %s", consecutiveFailures,
                delay.toMillis(), DataErrors.describe(failure));
        return sleep(delay).replaceWith(0);
    }

    /** A Vert.x timer, not a sleeping thread; shutdown ends it early. */
    private Uni<Void> sleep(Duration delay) {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> {
            long timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> emitter.complete(null));
            currentWait = emitter;
            emitter.onTermination(() -> {
                vertx.cancelTimer(timer);
                currentWait = null;
            });
        });
    }

    private void cancelLoop() {
        Cancellable running = loop;
        if (running != null) {
            running.cancel();
        }
    }
}
