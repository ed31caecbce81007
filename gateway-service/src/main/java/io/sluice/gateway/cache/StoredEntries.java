package io.sluice.gateway.cache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.ScanArgs;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.cache.CacheKeys;
import io.vertx.core.Vertx;

/**
 * Which entries this replica knows to exist in Redis, so that a miss is decided without a Redis call: an
 * {@link EntryPresenceFilter} of every (tenant, member) stored, fed by this replica's stores, by every replica's
 * announcements on {@link CacheKeys#STORED_CHANNEL}, and built anew from the tenants' lru sets at start-up and every
 * {@code rebuild-interval} (which sheds expired, evicted and cleared entries). It is trusted only while ready: loaded
 * while subscribed, the subscription unbroken since before the load began, so that no entry stored meanwhile was
 * missed. Until then, and after a failure, every lookup reads Redis. Nothing blocks: the load runs on the reactive
 * client, a page at a time.
 */
@ApplicationScoped
public class StoredEntries {
    static final int PAGE = 1_000;
    /** Wait before subscribing or loading again after a failure. */
    static final Duration RETRY = Duration.ofSeconds(10);

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final CacheMetrics metrics;
    private final CacheConfig.PresenceFilter config;
    /** The filter lookups trust; null while not ready. */
    private volatile EntryPresenceFilter trusted;
    /** The filter a load is filling; null between loads. */
    private volatile EntryPresenceFilter building;
    /** The load under way, if any. */
    private CompletableFuture<Boolean> underWay;
    /** Counts subscriptions: a load trusts nothing if the one it began under broke before it ended. */
    private long subscription;
    private boolean subscribed;
    private ReactiveRedisSubscriber subscriber;
    private long timer = -1;
    private boolean stopped;
    /** A failure is logged at WARN once, until the filter is ready again. */
    private final AtomicBoolean warned = new AtomicBoolean();

    public StoredEntries(ReactiveRedisDataSource redis, Vertx vertx, CacheMetrics metrics, CacheConfig config) {
        this.redis = redis;
        this.vertx = vertx;
        this.metrics = metrics;
        this.config = config.presenceFilter();
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            subscribe();
        }
    }

    // At shutdown's start, before the Redis client closes (the subscription's end is then no loss to report).
    void shutdown(@Observes ShutdownEvent event) {
        stop();
    }

    synchronized void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (subscriber != null) {
            subscriber.unsubscribe().subscribe().with(done -> {
            }, failure -> {
            });
        }
    }

    /** True when the pair certainly has no entry: a miss without reading Redis. False when it may, or not ready. */
    public boolean certainlyAbsent(String tenantId, String member) {
        EntryPresenceFilter filter = trusted;
        return filter != null && !filter.mightContain(tenantId, member);
    }

    /** An entry this replica stored (its announcement on the channel will follow; this makes it known at once). */
    public void stored(String tenantId, String member) {
        // The filter being built first: a load that ends meanwhile swaps it in before dropping it from here, so the
        // pair reaches the filter that will be trusted (or the load's scan, which begins after it was stored).
        EntryPresenceFilter next = building;
        if (next != null) {
            next.add(tenantId, member);
        }
        EntryPresenceFilter current = trusted;
        if (current != null && current != next) {
            current.add(tenantId, member);
        }
    }

    boolean ready() {
        return trusted != null;
    }

    synchronized boolean subscribed() {
        return subscribed;
    }

    private void subscribe() {
        long attempt;
        synchronized (this) {
            if (stopped) {
                return;
            }
            attempt = ++subscription;
        }
        redis.pubsub(String.class).subscribe(CacheKeys.STORED_CHANNEL, this::announced,
                () -> lost(attempt, null), failure -> lost(attempt, failure))
                .subscribe().with(joined -> {
                    synchronized (this) {
                        if (attempt != subscription || stopped) {
                            joined.unsubscribe().subscribe().with(done -> {
                            }, failure -> {
                            });
                            return;
                        }
                        subscriber = joined;
                        subscribed = true;
                    }
                    reload().subscribe().with(ready -> {
                    });
                }, failure -> {
                    warnOnce("cannot subscribe to " + CacheKeys.STORED_CHANNEL, failure);
                    vertx.setTimer(RETRY.toMillis(), id -> subscribe());
                });
    }

    private void announced(String message) {
        CacheKeys.StoredEntry entry = CacheKeys.parseStoredMessage(message);
        if (entry != null) {
            stored(entry.tenantId(), entry.member());
        }
    }

    /** The subscription broke: announcements may be lost until it is back, and the filter loaded again. */
    private void lost(long attempt, Throwable failure) {
        synchronized (this) {
            if (attempt != subscription || !subscribed || stopped) {
                return;
            }
            subscribed = false;
            subscriber = null;
            subscription++;
            distrust();
        }
        warnOnce("subscription to " + CacheKeys.STORED_CHANNEL + " lost", failure);
        vertx.setTimer(RETRY.toMillis(), id -> subscribe());
    }

    private void distrust() {
        trusted = null;
        metrics.presenceFilterReady(false);
    }

    /**
     * Builds a new filter from what Redis holds and trusts it. Answers whether the filter is ready once this load is
     * over, or the one under way (never two at once); false at once while not subscribed.
     */
    Uni<Boolean> reload() {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Boolean> done;
            synchronized (this) {
                if (underWay != null) {
                    done = underWay;
                } else if (!subscribed || stopped) {
                    return Uni.createFrom().item(false);
                } else {
                    done = underWay = new CompletableFuture<>();
                    loadAndSwap(subscription).subscribe().with(done::complete);
                }
            }
            // A dependent stage: a caller that stops waiting leaves the load alone.
            return Uni.createFrom().completionStage(done.thenApply(ready -> ready));
        });
    }

    /** @param under the subscription the load runs under: if it breaks meanwhile, the load is not trusted */
    private Uni<Boolean> loadAndSwap(long under) {
        EntryPresenceFilter next;
        try {
            next = new EntryPresenceFilter(config.bits());
        } catch (IllegalArgumentException | OutOfMemoryError unusable) {
            underWay = null;
            warnOnce("no filter of " + config.bits() + " bits (sluice.cache.presence-filter.bits)", unusable);
            return Uni.createFrom().item(false);
        }
        building = next;
        return load(next)
                .map(loaded -> {
                    synchronized (this) {
                        underWay = null;
                        if (under != subscription || stopped) {
                            // The subscription broke during the load: what it missed may be stored. Subscribed
                            // again by now, that subscription's own load waited for this one: load again.
                            building = null;
                            if (subscribed) {
                                schedule(Duration.ofMillis(1));
                            }
                            return false;
                        }
                        // Swapped in before it stops being fed as the filter being built (see stored()).
                        trusted = next;
                        building = null;
                        metrics.presenceFilterReady(true);
                        schedule(config.rebuildInterval());
                    }
                    warned.set(false);
                    return true;
                })
                .onFailure().recoverWithItem(failure -> {
                    boolean tooMany = failure instanceof TooManyEntries;
                    synchronized (this) {
                        underWay = null;
                        building = null;
                        distrust();
                        schedule(tooMany ? config.rebuildInterval() : RETRY);
                    }
                    warnOnce(tooMany ? failure.getMessage() : "loading the stored entries failed",
                            tooMany ? null : failure);
                    return false;
                });
    }

    /** The next load, replacing one scheduled before. */
    private void schedule(Duration after) {
        if (stopped) {
            return;
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        timer = vertx.setTimer(after.toMillis(), id -> reload().subscribe().with(ready -> {
        }));
    }

    /**
     * Adds every member of every tenant's lru set, a page at a time: SCAN and ZSCAN return whatever is there from
     * their start to their end (ranges by rank could skip members as others leave or move).
     */
    private Uni<Void> load(EntryPresenceFilter into) {
        long max = config.maxEntries();
        long[] pairs = { 0 };
        return redis.key(String.class).scan(new KeyScanArgs().match(CacheKeys.LRU_PATTERN).count(PAGE)).toMulti()
                .onItem().transformToMultiAndConcatenate(lruKey -> {
                    String tenantId = CacheKeys.tenantOfLru(lruKey);
                    if (tenantId == null) {
                        return Multi.createFrom().<ScoredValue<String>>empty();
                    }
                    return redis.sortedSet(String.class).zscan(lruKey, new ScanArgs().count(PAGE)).toMulti()
                            .onItem().invoke(member -> {
                                if (++pairs[0] > max) {
                                    throw new TooManyEntries(max);
                                }
                                into.add(tenantId, member.value());
                            });
                })
                .onItem().ignoreAsUni();
    }

    private void warnOnce(String what, Throwable failure) {
        if (!warned.getAndSet(true)) {
            Log.warnf("cache presence filter not ready, every lookup reads Redis: %s%s", what,
                    failure == null ? "" : ": " + failure);
        } else {
            Log.debugf("cache presence filter: %s%s", what, failure == null ? "" : ": " + failure);
        }
    }

    /** More entries in Redis than the filter is sized for: it would answer "maybe" to nearly every lookup. */
    private static final class TooManyEntries extends RuntimeException {
        TooManyEntries(long max) {
            super("more than " + max + " entries stored (sluice.cache.presence-filter.max-entries)", null, false,
                    false);
        }
    }
}
