package io.sluice.gateway.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.UsageEvent;
import io.sluice.gateway.config.UsageStreamConfig;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Publishes one usage event per request to the Redis Stream, off the response path. An event Redis does not take
 * (down, slow) waits in a bounded in-memory buffer and is offered again until Redis takes it, so a Redis outage
 * loses no ledger rows; a duplicate from a publish that timed out but landed is harmless (the ledger is idempotent
 * on the request id). Only a full buffer drops events, and counts them.
 */
// Started eagerly so that its metric series exist (at zero) from boot, before the first event.
@Startup
@ApplicationScoped
public class UsageRecorder {
    private final Redis redis;
    private final UsageStreamConfig config;
    private final BlockingQueue<UsageEvent> buffer;
    private final AtomicBoolean retrying = new AtomicBoolean();
    private final Vertx vertx;
    private final long retryTimer;
    private final Counter published;
    private final Counter failed;
    private final Counter dropped;

    public UsageRecorder(ReactiveRedisDataSource redis, UsageStreamConfig config, MeterRegistry registry,
            Vertx vertx) {
        this.redis = redis.getRedis();
        this.config = config;
        this.buffer = new ArrayBlockingQueue<>(config.bufferSize());
        this.vertx = vertx;
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

    public void record(UsageEvent event) {
        record(event, redis::send);
    }

    /**
     * Records the event with its XADD handed to {@code send}, which may carry another command in the same write
     * (the quota settlement); a reply that does not arrive counts as not taken, so the event is buffered.
     */
    public void record(UsageEvent event, Function<Request, Uni<Response>> send) {
        publish(event, send).subscribe().with(ok -> {
            if (!ok) {
                keep(event);
            }
        });
    }

    /** Completes with whether Redis took the event; never fails. */
    private Uni<Boolean> publish(UsageEvent event, Function<Request, Uni<Response>> send) {
        return send.apply(xadd(event))
                .ifNoItem().after(config.publishTimeout()).fail()
                .map(id -> {
                    published.increment();
                    return true;
                })
                .onFailure().recoverWithItem(err -> {
                    failed.increment();
                    Log.debugf("usage event %s not published yet: %s", event.requestId(), err.toString());
                    return false;
                });
    }

    /** XADD to the usage stream, trimmed to about {@code max-length} entries (MAXLEN ~). */
    private Request xadd(UsageEvent event) {
        Request xadd = Request.cmd(Command.XADD).arg(UsageEvent.STREAM).arg("MAXLEN").arg("~")
                .arg(config.maxLength()).arg("*");
        event.toFields().forEach((field, value) -> xadd.arg(field).arg(value));
        return xadd;
    }

    private void keep(UsageEvent event) {
        if (!buffer.offer(event)) {
            dropped.increment();
            Log.errorf("usage event %s dropped: the outage buffer of %d events is full", event.requestId(),
                    config.bufferSize());
        }
    }

    /** One round at a time: a batch of buffered events, each kept again if Redis still refuses it. */
    private void retryBuffered() {
        if (buffer.isEmpty() || !retrying.compareAndSet(false, true)) {
            return;
        }
        List<UsageEvent> batch = new ArrayList<>();
        buffer.drainTo(batch, config.retryBatch());
        List<Uni<Boolean>> sends = new ArrayList<>(batch.size());
        for (UsageEvent event : batch) {
            sends.add(publish(event, redis::send).invoke(ok -> {
                if (!ok) {
                    keep(event);
                }
            }));
        }
        Uni.join().all(sends).andCollectFailures()
                .subscribe().with(results -> retrying.set(false), err -> retrying.set(false));
    }
}
