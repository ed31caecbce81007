package io.sluice.gateway.quota;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.QuotaKeys;
import io.sluice.redis.RedisScript;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/** The cluster-wide quota store: one Lua script per decision, one per settlement, on Redis' clock. */
@ApplicationScoped
public class RedisQuotaStore implements QuotaStore {
    private final ReactiveRedisDataSource redis;
    private final RedisScript reserve;
    private final RedisScript settle;
    private final boolean pipelines;

    public RedisQuotaStore(ReactiveRedisDataSource redis,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.redis = redis;
        // A cluster batch must stay within one hash slot; the settlement and its companion do not.
        this.pipelines = "standalone".equalsIgnoreCase(clientType);
        this.reserve = RedisScript.load(RedisQuotaStore.class, "/redis/quota-reserve.lua");
        this.settle = RedisScript.load(RedisQuotaStore.class, "/redis/quota-settle.lua");
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

    @Override
    public Uni<QuotaDecision> reserve(String tenantId, String keyId, List<QuotaLimit> limits) {
        List<String> keys = List.of(QuotaKeys.tenantPrefix(tenantId));
        List<String> args = new ArrayList<>(1 + 4 * limits.size());
        args.add(QuotaKeys.keyPrefix(tenantId, keyId));
        for (QuotaLimit limit : limits) {
            args.add(limit.scope().wire());
            args.add(limit.window().keyName());
            args.add(Long.toString(limit.limit()));
            args.add(Long.toString(limit.amount()));
        }
        return reserve.run(redis, keys, args).map(reply -> decision(reply, limits));
    }

    @Override
    public Uni<Void> adjust(List<Adjustment> adjustments) {
        if (adjustments.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return settle.run(redis, keys(adjustments), deltas(adjustments)).replaceWithVoid();
    }

    /**
     * Applies the adjustments and sends {@code companion} in the same write (one pipelined round trip instead of
     * two); completes with the companion's reply. Redis runs every command of a pipeline, but a failed one hides the
     * others' replies: then the companion's outcome is unknown (the caller treats it as failed), and the settlement
     * is run again only if it certainly did not run (script not cached), because settling twice would be wrong.
     */
    public Uni<Response> adjustAlong(List<Adjustment> adjustments, Request companion) {
        if (adjustments.isEmpty() || !pipelines) {
            adjust(adjustments).subscribe().with(done -> { }, RedisQuotaStore::notSettled);
            return redis.getRedis().send(companion);
        }
        return redis.getRedis().batch(List.of(settleCommand(adjustments), companion))
                .map(replies -> replies.get(1))
                .onFailure().call(err -> {
                    if (RedisScript.notCached(err)) {
                        return adjust(adjustments).onFailure().invoke(RedisQuotaStore::notSettled)
                                .onFailure().recoverWithNull();
                    }
                    notSettled(err);
                    return Uni.createFrom().voidItem();
                });
    }

    private Request settleCommand(List<Adjustment> adjustments) {
        return settle.request(keys(adjustments), deltas(adjustments));
    }

    private static List<String> keys(List<Adjustment> adjustments) {
        return adjustments.stream().map(Adjustment::key).toList();
    }

    private static List<String> deltas(List<Adjustment> adjustments) {
        return adjustments.stream().map(a -> Long.toString(a.delta())).toList();
    }

    static void notSettled(Throwable err) {
        Log.warnf("quota settlement not confirmed (counters may keep the reservation): %s", err.toString());
    }

    private static QuotaDecision decision(Response reply, List<QuotaLimit> limits) {
        if (reply.get(0).toLong() == 0L) {
            QuotaLimit refusing = limits.get(reply.get(1).toInteger() - 1);
            return QuotaDecision.refused(counter(refusing, reply, 2), false);
        }
        List<QuotaDecision.Counter> counters = new ArrayList<>(limits.size());
        for (int i = 0; i < limits.size(); i++) {
            counters.add(counter(limits.get(i), reply, 2 + 3 * i));
        }
        return QuotaDecision.admitted(counters, false);
    }

    private static QuotaDecision.Counter counter(QuotaLimit limit, Response reply, int at) {
        return new QuotaDecision.Counter(limit, reply.get(at).toLong(), reply.get(at + 1).toLong(),
                reply.get(at + 2).toString());
    }
}
