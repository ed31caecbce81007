package io.sluice.gateway.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.UsageEvent;
import io.sluice.gateway.client.TelemetryClient;
import io.sluice.gateway.config.UsageStreamConfig;
import io.sluice.gateway.eventloop.EventLoopBatcher;
import io.sluice.gateway.quota.QuotaStore;
import io.sluice.gateway.quota.RedisQuotaStore;
import io.vertx.core.Vertx;

/**
 * Publishes one usage event per request to the Redis Stream, off the response path, together with the settlement
 * of the request's quota reservation: the requests that end within {@code write-linger} of the first of them (at
 * least those of one event-loop turn) share one script run, so one round trip serves all of them. An event Redis does not take (down, slow) waits in a bounded in-memory buffer
 * and is offered again until Redis takes it, so a Redis outage loses no ledger rows; a duplicate from a publish
 * that timed out but landed is harmless (the ledger is idempotent on the request id). Only a full buffer drops
 * events, and counts them. A settlement is never sent twice: one that did not land leaves the reservation counted.
 * A stopping gateway saves what it holds within {@code shutdown-budget}: to Redis if it answers, else straight to
 * telemetry-service.
 */
// Started eagerly so that its metric series exist (at zero) from boot, before the first event.
@Startup
@ApplicationScoped
public class UsageRecorder {
    private final RedisQuotaStore store;
    private final TelemetryClient telemetry;
    private final UsageStreamConfig config;
    private final EventLoopBatcher<Ended> ended;
    private final BlockingQueue<UsageEvent> buffer;
    private final AtomicBoolean retrying = new AtomicBoolean();
    /** The retry round in flight, if any. */
    private volatile CompletableFuture<Void> retryRound = CompletableFuture.completedFuture(null);
    private final Vertx vertx;
    private final long retryTimer;
    private final Counter published;
    private final Counter failed;
    private final Counter dropped;

    /** A request that ended: its usage event and what settles its Redis reservation (empty for none). */
    private record Ended(UsageEvent event, List<QuotaStore.Adjustment> settlement) {
    }

    public UsageRecorder(RedisQuotaStore store, TelemetryClient telemetry, UsageStreamConfig config,
            MeterRegistry registry, Vertx vertx) {
        this.store = store;
        this.telemetry = telemetry;
        this.config = config;
        this.buffer = new ArrayBlockingQueue<>(config.bufferSize());
        this.vertx = vertx;
        this.ended = new EventLoopBatcher<>(vertx, config.writeBatch(), config.writeLinger(),
                batch -> write(batch).subscribe().with(ok -> { }));
        this.published = Counter.builder("sluice_usage_events_published_total").register(registry);
        this.failed = Counter.builder("sluice_usage_events_publish_failures_total")
                .description("Publish attempts Redis did not take (the event is buffered and retried)")
                .register(registry);
        this.dropped = Counter.builder("sluice_usage_events_dropped_total")
                .description("Events lost because the outage buffer was full")
                .register(registry);
        Gauge.builder("sluice_usage_events_buffered", buffer, BlockingQueue::size)
                .description("Events waiting for Redis")
                .register(registry);
        this.retryTimer = vertx.setPeriodic(config.retryInterval().toMillis(), id -> retryBuffered());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(retryTimer);
    }

    /**
     * No timer fires once the event loop has stopped: what still waits for the write-linger is written now, while
     * Redis is still connected, and then the outage buffer: to Redis while it answers, else to telemetry-service,
     * within {@code shutdown-budget}. Events saved nowhere by then are counted in the log, never listed.
     */
    void saveAtShutdown(@Observes ShutdownEvent event) {
        int unsaved = saveHeld(config.shutdownBudget());
        if (unsaved > 0) {
            Log.errorf("%d usage events could not be saved at shutdown (Redis and telemetry-service unavailable)",
                    unsaved);
        }
    }

    /** Saves every event this recorder holds within {@code budget}; returns how many could be saved nowhere. */
    int saveHeld(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        vertx.cancelTimer(retryTimer);
        try {
            // A retry round in flight puts back what Redis did not take.
            retryRound.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException notInTime) {
            // Whatever it put back is in the buffer; what it still holds is lost with it.
        }
        boolean redisAnswers = awaitWritten(writeInBatches(ended.drain()), deadline);
        int unsaved = 0;
        while (!buffer.isEmpty()) {
            List<UsageEvent> events = new ArrayList<>(TelemetryClient.MAX_EVENTS_PER_CALL);
            buffer.drainTo(events, TelemetryClient.MAX_EVENTS_PER_CALL);
            if (System.nanoTime() - deadline >= 0) {
                unsaved += events.size() + buffer.size();
                buffer.clear();
            } else if (redisAnswers) {
                // Events Redis does not take go back to the buffer, and the next round hands them to telemetry.
                redisAnswers = awaitWritten(writeInBatches(events.stream().map(e -> new Ended(e, List.of())).toList()),
                        deadline);
            } else {
                int saved = handToTelemetry(events, deadline);
                if (saved < events.size()) {
                    unsaved += events.size() - saved + buffer.size();
                    buffer.clear();
                }
            }
        }
        return unsaved;
    }

    /** Whether every write landed in Redis before the deadline (those that did not are back in the buffer). */
    private static boolean awaitWritten(List<Uni<Boolean>> writes, long deadline) {
        if (writes.isEmpty()) {
            return true;
        }
        try {
            return Uni.join().all(writes).andCollectFailures()
                    .await().atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                    .stream().allMatch(Boolean::booleanValue);
        } catch (RuntimeException notInTime) {
            return false;
        }
    }

    /** How many of the events telemetry-service saved (0 when it could not be reached in time). */
    private int handToTelemetry(List<UsageEvent> events, long deadline) {
        try {
            return telemetry.record(events)
                    .await().atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))).saved();
        } catch (RuntimeException unavailable) {
            Log.warnf("usage events not handed to telemetry-service at shutdown: %s", unavailable.toString());
            return 0;
        }
    }

    public void record(UsageEvent event) {
        record(event, List.of());
    }

    /**
     * Records the event and, in the same script run, applies {@code settlement} to the Redis quota counters; the
     * requests that end in the same event-loop turn share that run.
     */
    public void record(UsageEvent event, List<QuotaStore.Adjustment> settlement) {
        ended.add(new Ended(event, settlement));
    }

    /** Completes with whether Redis took the batch; never fails. Events it did not take are buffered. */
    private Uni<Boolean> write(List<Ended> batch) {
        List<RedisQuotaStore.Settlement> settlements = new ArrayList<>(batch.size());
        for (Ended request : batch) {
            List<QuotaStore.Adjustment> settlement = request.settlement();
            if (!settlement.isEmpty() && !store.settlesAcrossTenants()) {
                // A Redis Cluster runs a script on one slot: each settlement alone, the events together.
                store.adjust(settlement).subscribe().with(done -> { }, RedisQuotaStore::notSettled);
                settlement = List.of();
            }
            settlements.add(new RedisQuotaStore.Settlement(settlement, streamEntry(request.event())));
        }
        boolean carriesSettlements = settlements.stream().anyMatch(s -> !s.adjustments().isEmpty());
        return store.settle(settlements, UsageEvent.STREAM, config.maxLength())
                .ifNoItem().after(config.publishTimeout()).fail()
                .map(done -> {
                    published.increment(batch.size());
                    return true;
                })
                .onFailure().recoverWithItem(err -> {
                    failed.increment(batch.size());
                    Log.debugf("%d usage events not published yet: %s", batch.size(), err.toString());
                    if (carriesSettlements) {
                        RedisQuotaStore.notSettled(err);
                    }
                    batch.forEach(request -> keep(request.event()));
                    return false;
                });
    }

    private static List<String> streamEntry(UsageEvent event) {
        List<String> entry = new ArrayList<>(34);
        event.toFields().forEach((field, value) -> {
            entry.add(field);
            entry.add(value);
        });
        return entry;
    }

    private void keep(UsageEvent event) {
        if (!buffer.offer(event)) {
            dropped.increment();
            Log.errorf("usage event %s dropped: the outage buffer of %d events is full", event.requestId(),
                    config.bufferSize());
        }
    }

    /** One round at a time: some buffered events, in script runs of {@code write-batch}; kept again on failure. */
    private void retryBuffered() {
        if (buffer.isEmpty() || !retrying.compareAndSet(false, true)) {
            return;
        }
        List<UsageEvent> events = new ArrayList<>();
        buffer.drainTo(events, config.retryBatch());
        List<Uni<Boolean>> writes = writeInBatches(events.stream().map(event -> new Ended(event, List.of())).toList());
        CompletableFuture<Void> round = new CompletableFuture<>();
        retryRound = round;
        Uni.join().all(writes).andCollectFailures().onTermination().invoke(() -> {
            retrying.set(false);
            round.complete(null);
        }).subscribe().with(results -> { }, err -> { });
    }

    /** The requests in script runs of at most {@code write-batch}; lazy, like {@link #write}. */
    private List<Uni<Boolean>> writeInBatches(List<Ended> requests) {
        List<Uni<Boolean>> writes = new ArrayList<>();
        for (int from = 0; from < requests.size(); from += config.writeBatch()) {
            writes.add(write(requests.subList(from, Math.min(requests.size(), from + config.writeBatch()))));
        }
        return writes;
    }
}
