package io.sluice.gateway.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 */
// Started eagerly so that its metric series exist (at zero) from boot, before the first event.
@Startup
@ApplicationScoped
public class UsageRecorder {
    private final RedisQuotaStore store;
    private final UsageStreamConfig config;
    private final EventLoopBatcher<Ended> ended;
    private final BlockingQueue<UsageEvent> buffer;
    private final AtomicBoolean retrying = new AtomicBoolean();
    private final Vertx vertx;
    private final long retryTimer;
    private final Counter published;
    private final Counter failed;
    private final Counter dropped;

    /** A request that ended: its usage event and what settles its Redis reservation (empty for none). */
    private record Ended(UsageEvent event, List<QuotaStore.Adjustment> settlement) {
    }

    public UsageRecorder(RedisQuotaStore store, UsageStreamConfig config, MeterRegistry registry, Vertx vertx) {
        this.store = store;
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
        if (!buffer.isEmpty()) {
            Log.warnf("%d usage events still buffered at shutdown (Redis unavailable)", buffer.size());
        }
    }

    /**
     * No timer fires once the event loop has stopped: what still waits for the write-linger is written now, while
     * Redis is still connected, and shutdown waits for it (at most publish-timeout per batch; one Redis does not take
     * stays in the buffer, as during an outage).
     */
    void writeWaitingAtShutdown(@Observes ShutdownEvent event) {
        writeInBatches(ended.drain()).forEach(write -> write.await().indefinitely());
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
        Uni.join().all(writes).andCollectFailures()
                .subscribe().with(results -> retrying.set(false), err -> retrying.set(false));
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
