package io.sluice.gateway.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.sluice.contracts.cache.CacheKeys;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * The misses decided without Redis, counted per tenant in memory and added to the tenants' figures
 * ({@link CacheKeys#STAT_MISSES}) once a second, in one pipelined batch: a request pays no Redis call for its miss.
 * Best effort: a batch Redis does not take is dropped.
 */
@ApplicationScoped
public class MissCounts {
    static final long FLUSH_MILLIS = 1_000;
    /** Tenants counted between flushes; one more flushes at once. */
    static final int MAX_TENANTS = 10_000;

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private volatile long timer = -1;

    public MissCounts(ReactiveRedisDataSource redis, Vertx vertx) {
        this.redis = redis;
        this.vertx = vertx;
    }

    public void count(String tenantId) {
        if (pending.size() >= MAX_TENANTS && !pending.containsKey(tenantId)) {
            flush();
        }
        pending.merge(tenantId, 1L, Long::sum);
        startFlushing();
    }

    /** The timer starts with the first miss: a replica whose filter never answers one runs none. */
    private void startFlushing() {
        if (timer < 0) {
            synchronized (this) {
                if (timer < 0) {
                    timer = vertx.setPeriodic(FLUSH_MILLIS, id -> flush());
                }
            }
        }
    }

    /** At shutdown's start, while Redis is still connected: the last second's misses are counted too. */
    synchronized void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        flush();
    }

    void flush() {
        List<Request> increments = new ArrayList<>();
        for (String tenantId : pending.keySet()) {
            // Removed one by one: a miss counted meanwhile starts the tenant's next count, never lost in between.
            Long misses = pending.remove(tenantId);
            if (misses != null) {
                increments.add(Request.cmd(Command.HINCRBY).arg(CacheKeys.stats(tenantId))
                        .arg(CacheKeys.STAT_MISSES).arg(misses));
            }
        }
        if (increments.isEmpty()) {
            return;
        }
        redis.getRedis().batch(increments).subscribe().with(done -> {
        }, failure -> Log.debugf("cache misses of %d tenants not counted: %s", increments.size(),
                failure.toString()));
    }
}
