package io.sluice.gateway.cache;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.cache.CacheKeys;
import io.sluice.redis.RedisScript;

/**
 * The cached answers of every tenant, in Redis, shared by all gateway replicas: one script run per lookup (the
 * read, the eviction order and the tenant's figures), one per store (with the eviction that keeps the tenant within
 * its byte budget). Keys are named by {@link CacheKeys}.
 */
@ApplicationScoped
public class ResponseCacheStore {
    private final ReactiveRedisDataSource redis;
    private final RedisScript lookup = RedisScript.load(ResponseCacheStore.class, "/redis/cache-lookup.lua");
    private final RedisScript store = RedisScript.load(ResponseCacheStore.class, "/redis/cache-store.lua");
    private final RedisScript clear = RedisScript.load(CacheKeys.class, CacheKeys.CLEAR_SCRIPT);

    public ResponseCacheStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** A stored answer and its age. */
    public record Hit(StoredAnswer answer, long ageMillis) {
    }

    /**
     * The entry for {@code member}, if there is one at most {@code maxAgeMillis} old (negative: any age); a hit
     * counts in the tenant's figures, a miss only with {@code countMiss} (a semantic lookup counts its miss once,
     * after its last read).
     */
    public Uni<Optional<Hit>> read(String tenantId, String member, long maxAgeMillis, boolean countMiss) {
        return lookup.run(redis, List.of(CacheKeys.entry(tenantId, member), CacheKeys.lru(tenantId),
                        CacheKeys.stats(tenantId)), List.of(member, Long.toString(maxAgeMillis), countMiss ? "1" : "0"))
                .map(found -> found == null || found.size() < 3 ? Optional.empty()
                        : Optional.of(new Hit(StoredAnswer.of(found.get(0).toString(), found.get(1).toString()),
                                Long.parseLong(found.get(2).toString()))));
    }

    /**
     * Stores an answer for {@code ttlMillis}, evicting the tenant's least recently used entries beyond
     * {@code budgetBytes}, and announces it on {@link CacheKeys#STORED_CHANNEL}. Answers the number evicted, or -1
     * when the answer alone exceeds the budget (then nothing is stored or announced).
     */
    public Uni<Long> write(String tenantId, String member, StoredAnswer answer, long costMicroUsd, long ttlMillis,
            long budgetBytes) {
        return store.run(redis, List.of(CacheKeys.entry(tenantId, member), CacheKeys.lru(tenantId),
                        CacheKeys.sizes(tenantId), CacheKeys.stats(tenantId)),
                List.of(member, answer.body(), answer.meta(), Long.toString(costMicroUsd), Long.toString(ttlMillis),
                        Long.toString(budgetBytes), CacheKeys.entryPrefix(tenantId), CacheKeys.STORED_CHANNEL,
                        CacheKeys.storedMessage(tenantId, member)))
                .map(evicted -> evicted.toLong());
    }

    /** Counts a miss in the tenant's figures, in the background. */
    public void countMiss(String tenantId) {
        redis.execute("HINCRBY", CacheKeys.stats(tenantId), CacheKeys.STAT_MISSES, "1")
                .subscribe().with(done -> {
                }, failure -> {
                });
    }

    /** Deletes the tenant's entries, or one namespace's; answers how many. */
    public Uni<Long> clear(String tenantId, String namespaceOrNull) {
        return clear.run(redis, CacheKeys.clearKeys(tenantId), CacheKeys.clearArguments(tenantId, namespaceOrNull))
                .map(deleted -> deleted.toLong());
    }
}
