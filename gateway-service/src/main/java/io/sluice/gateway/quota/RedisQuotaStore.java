package io.sluice.gateway.quota;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.sluice.contracts.QuotaKeys;
import io.sluice.gateway.config.QuotaConfig;
import io.sluice.gateway.eventloop.EventLoopBatcher;
import io.sluice.redis.RedisScript;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;

/**
 * The cluster-wide quota store, on Redis' clock: one Lua script run decides the requests an event loop reads in one
 * turn, another settles those that end in one turn.
 */
@ApplicationScoped
public class RedisQuotaStore implements QuotaStore {
    private final ReactiveRedisDataSource redis;
    private final RedisScript reserve;
    private final RedisScript settle;
    private final boolean standalone;
    private final EventLoopBatcher<PendingDecision> pending;
    private final QuotaLeases leases;

    /**
     * One request's decision, waiting for its batch's script run, and the blocks to ask for with it. Its caller may
     * stop waiting (the quota timeout) before Redis answers; then the request is decided without Redis, and an
     * admission Redis grants afterwards is given back.
     */
    private record PendingDecision(String tenantId, String keyId, List<QuotaLimit> limits, long[] blocks,
            UniEmitter<? super QuotaDecision> decided, AtomicBoolean open) {

        boolean asksForBlocks() {
            return Arrays.stream(blocks).anyMatch(block -> block > 0);
        }

        /** Takes the right to answer; false when the caller has stopped waiting. */
        boolean claim() {
            return open.compareAndSet(true, false);
        }
    }

    public RedisQuotaStore(ReactiveRedisDataSource redis, Vertx vertx, QuotaConfig config, QuotaLeases leases,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.redis = redis;
        this.leases = leases;
        this.standalone = "standalone".equalsIgnoreCase(clientType);
        this.reserve = RedisScript.load(RedisQuotaStore.class, "/redis/quota-reserve.lua");
        this.settle = RedisScript.load(RedisQuotaStore.class, "/redis/quota-settle.lua");
        // A Redis Cluster runs a script on one hash slot, and every tenant's counters have their own.
        this.pending = new EventLoopBatcher<>(vertx, standalone ? config.redisBatch() : 1, this::decide);
    }

    /**
     * Loads the scripts at start-up, so that the first decisions pay neither the connection set-up nor a NOSCRIPT
     * round trip: a cold first call could otherwise exceed the Redis timeout and be decided by the local fallback.
     */
    void warmUp(@Observes StartupEvent event) {
        reserve.preload(redis).call(() -> settle.preload(redis))
                .subscribe().with(done -> Log.debug("quota scripts loaded into Redis"),
                        err -> Log.warnf("quota scripts not preloaded (Redis unavailable?): %s", err.toString()));
    }

    /**
     * Admits from the blocks this replica holds when they cover the request; asks Redis otherwise. Both happen when
     * the decision is subscribed, so a {@code Uni} that never is spends no block and asks for none.
     */
    @Override
    public Uni<QuotaDecision> reserve(String tenantId, String keyId, List<QuotaLimit> limits) {
        return Uni.createFrom().emitter(decided -> {
            QuotaDecision leased = leases.admit(tenantId, keyId, limits);
            if (leased != null) {
                decided.complete(leased);
            } else {
                AtomicBoolean open = new AtomicBoolean(true);
                // Fires on cancellation too: a caller that timed out closes it before the answer can claim it.
                decided.onTermination(() -> open.set(false));
                pending.add(new PendingDecision(tenantId, keyId, limits, leases.blocks(tenantId, limits), decided,
                        open));
            }
        });
    }

    /**
     * Decides a batch in one script run, each request all or nothing on its own. A run Redis refuses (NOSCRIPT) did
     * nothing and is sent again with the script's source; any other failure fails every request of the batch, which
     * the caller then decides without Redis. A request whose caller stopped waiting before the run is not sent; one
     * that Redis admits after its caller stopped waiting is given back at once, so Redis does not keep counting a
     * request that was decided without it.
     */
    private void decide(List<PendingDecision> waiting) {
        List<PendingDecision> batch = new ArrayList<>(waiting.size());
        for (PendingDecision request : waiting) {
            if (request.open().get()) {
                batch.add(request);
            } else {
                notGranted(request);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(batch.size());
        List<String> args = new ArrayList<>(1 + 12 * batch.size());
        args.add(Integer.toString(batch.size()));
        for (PendingDecision request : batch) {
            keys.add(QuotaKeys.tenantPrefix(request.tenantId()));
            args.add(QuotaKeys.keyPrefix(request.tenantId(), request.keyId()));
            args.add(Integer.toString(request.limits().size()));
            for (int i = 0; i < request.limits().size(); i++) {
                QuotaLimit limit = request.limits().get(i);
                args.add(limit.scope().wire());
                args.add(limit.window().keyName());
                args.add(Long.toString(limit.limit()));
                args.add(Long.toString(limit.amount()));
                args.add(Long.toString(request.blocks()[i]));
            }
        }
        long askedAt = leases.now();
        reserve.run(redis, keys, args).subscribe().with(replies -> {
            for (int i = 0; i < batch.size(); i++) {
                PendingDecision request = batch.get(i);
                QuotaDecision decision;
                try {
                    decision = decision(replies.get(i), request, askedAt);
                } catch (RuntimeException unreadable) {
                    notGranted(request);
                    request.decided().fail(unreadable);
                    continue;
                }
                if (request.claim()) {
                    request.decided().complete(decision);
                } else if (decision.admitted()) {
                    giveBack(decision);
                }
            }
        }, err -> batch.forEach(request -> {
            notGranted(request);
            request.decided().fail(err);
        }));
    }

    /** Returns what an admission consumed in Redis (blocks granted with it stay this replica's, counted). */
    private void giveBack(QuotaDecision late) {
        List<Adjustment> back = new ArrayList<>(late.counters().size());
        for (QuotaDecision.Counter counter : late.counters()) {
            back.add(new Adjustment(counter.key(), -counter.limit().amount()));
        }
        Log.debugf("quota decision answered after the timeout; giving back %d counters", back.size());
        adjust(back).subscribe().with(done -> { }, RedisQuotaStore::notSettled);
    }

    @Override
    public Uni<Void> adjust(List<Adjustment> adjustments) {
        if (adjustments.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return settle(List.of(new Settlement(adjustments, List.of())), null, 0).replaceWithVoid();
    }

    /** One ended request's settlement, and its usage event's stream entry (field, value, …; empty for none). */
    public record Settlement(List<Adjustment> adjustments, List<String> streamEntry) {
    }

    /**
     * Runs a batch of settlements in one script call, appending their entries to {@code stream} (trimmed to about
     * {@code maxLength}): one round trip for many requests. Redis runs the script whole or, when it refuses it,
     * not at all, so a batch is never half applied, and the re-run after NOSCRIPT cannot settle twice. Several
     * tenants' counters in one call need a standalone Redis ({@link #settlesAcrossTenants}).
     */
    public Uni<Void> settle(List<Settlement> batch, String stream, long maxLength) {
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        args.add(Long.toString(maxLength));
        args.add(Integer.toString(batch.size()));
        boolean appends = false;
        for (Settlement settlement : batch) {
            args.add(Integer.toString(settlement.adjustments().size()));
            for (Adjustment adjustment : settlement.adjustments()) {
                keys.add(adjustment.key());
                args.add(Long.toString(adjustment.delta()));
            }
            args.add(Integer.toString(settlement.streamEntry().size()));
            args.addAll(settlement.streamEntry());
            appends |= !settlement.streamEntry().isEmpty();
        }
        if (appends) {
            keys.add(stream);
        }
        return settle.run(redis, keys, args).replaceWithVoid();
    }

    /** A Redis Cluster runs a script on one hash slot only, and every tenant's counters have their own. */
    public boolean settlesAcrossTenants() {
        return standalone;
    }

    public static void notSettled(Throwable err) {
        Log.warnf("quota settlement not confirmed (counters may keep the reservation): %s", err.toString());
    }

    /** Reads one request's reply; blocks granted with it are kept, and its counters show what this replica holds. */
    private QuotaDecision decision(Response reply, PendingDecision request, long askedAt) {
        List<QuotaLimit> limits = request.limits();
        if (reply.get(0).toLong() == 0L) {
            notGranted(request);
            QuotaLimit refusing = limits.get(reply.get(1).toInteger() - 1);
            return QuotaDecision.refused(counter(refusing, reply, 2), false);
        }
        long millisIntoSecond = reply.get(1).toLong();
        List<QuotaDecision.Counter> counters = new ArrayList<>(limits.size());
        long[] granted = new long[limits.size()];
        long[] untilEnd = new long[limits.size()];
        boolean anyGranted = false;
        for (int i = 0; i < limits.size(); i++) {
            QuotaDecision.Counter counter = counter(limits.get(i), reply, 2 + 4 * i);
            counters.add(counter);
            granted[i] = reply.get(2 + 4 * i + 3).toLong();
            untilEnd[i] = (counter.resetSeconds() * 1000 - millisIntoSecond) * 1_000_000L;
            anyGranted |= granted[i] > 0;
        }
        if (!anyGranted) {
            notGranted(request);
            return QuotaDecision.admitted(counters, false);
        }
        return QuotaDecision.admitted(
                leases.granted(request.tenantId(), request.keyId(), counters, granted, askedAt, untilEnd), false);
    }

    private void notGranted(PendingDecision request) {
        if (request.asksForBlocks()) {
            leases.notGranted(request.tenantId());
        }
    }

    private static QuotaDecision.Counter counter(QuotaLimit limit, Response reply, int at) {
        return new QuotaDecision.Counter(limit, reply.get(at).toLong(), reply.get(at + 1).toLong(),
                reply.get(at + 2).toString());
    }
}
