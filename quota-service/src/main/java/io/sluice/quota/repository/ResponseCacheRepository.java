package io.sluice.quota.repository;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.cache.CacheKeys;
import io.sluice.quota.config.RedisCallsConfig;
import io.sluice.quota.model.CacheStats;
import io.sluice.redis.RedisScript;
import io.vertx.mutiny.redis.client.Response;

/**
 * The response cache the gateway keeps in Redis, read and cleared under the names of {@link CacheKeys} and with its
 * {@code cache-clear.lua}, so that both services agree on the keys and a clear keeps the byte count true.
 */
@ApplicationScoped
public class ResponseCacheRepository {
    private static final List<String> STATS = List.of(CacheKeys.STAT_BYTES, CacheKeys.STAT_HITS,
            CacheKeys.STAT_MISSES, CacheKeys.STAT_SAVED_MICRO_USD, CacheKeys.STAT_EVICTIONS);

    private final ReactiveRedisDataSource redis;
    private final RedisScript clear;
    private final Duration timeout;

    public ResponseCacheRepository(ReactiveRedisDataSource redis, RedisCallsConfig config) {
        this.redis = redis;
        this.clear = RedisScript.load(CacheKeys.class, CacheKeys.CLEAR_SCRIPT);
        this.timeout = config.timeout();
    }

    /** The tenant's entry count and counters, in one round trip each (they share a slot; no cross-key atomicity). */
    public Uni<CacheStats> stats(String tenantId) {
        Uni<Long> entries = redis.execute("ZCARD", CacheKeys.lru(tenantId)).map(Response::toLong);
        Uni<Response> counters = redis.execute("HMGET", hmget(tenantId));
        return bounded(Uni.combine().all().unis(entries, counters).asTuple()
                .map(both -> {
                    Response c = both.getItem2();
                    return new CacheStats(both.getItem1(), counter(c, 0), counter(c, 1), counter(c, 2), counter(c, 3),
                            counter(c, 4));
                }));
    }

    /**
     * Deletes the tenant's entries, all or one namespace's, with the size and LRU records and the bytes they counted.
     *
     * @param namespace a valid namespace ({@link CacheKeys#isValidNamespace}), or null for all
     * @return how many entries were deleted
     */
    public Uni<Long> clear(String tenantId, String namespace) {
        return bounded(clear.run(redis, CacheKeys.clearKeys(tenantId), CacheKeys.clearArguments(tenantId, namespace))
                .map(Response::toLong));
    }

    private static String[] hmget(String tenantId) {
        String[] args = new String[STATS.size() + 1];
        args[0] = CacheKeys.stats(tenantId);
        for (int i = 0; i < STATS.size(); i++) {
            args[i + 1] = STATS.get(i);
        }
        return args;
    }

    // HMGET answers nil for a field the gateway has not written yet.
    private static long counter(Response values, int index) {
        Response value = values.get(index);
        return value == null ? 0 : value.toLong();
    }

    private <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(timeout).fail();
    }
}
