package io.sluice.quota.repository;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import io.sluice.quota.config.RedisCallsConfig;

/**
 * The quota counters the gateway keeps in Redis (names from {@link io.sluice.contracts.QuotaKeys}). Windows are
 * read on the Redis clock, the one the gateway's script stamps counters with, so that both agree on "this minute".
 */
@ApplicationScoped
public class QuotaCounterRepository {
    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, Long> counters;
    private final ReactiveKeyCommands<String> keys;
    private final Duration timeout;

    public QuotaCounterRepository(ReactiveRedisDataSource redis, RedisCallsConfig config) {
        this.redis = redis;
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.timeout = config.timeout();
    }

    /** Redis {@code TIME}: seconds and microseconds since the epoch on the server. */
    public Uni<Instant> serverTime() {
        return bounded(redis.execute("TIME")
                .map(time -> Instant.ofEpochSecond(time.get(0).toLong(), time.get(1).toLong() * 1_000)));
    }

    /** The values of the named counters; a counter that does not exist is absent or null in the map. */
    public Uni<Map<String, Long>> read(List<String> names) {
        return bounded(counters.mget(names.toArray(String[]::new)));
    }

    /** Deletes the named counters; returns how many existed. */
    public Uni<Integer> delete(List<String> names) {
        return bounded(keys.del(names.toArray(String[]::new)));
    }

    private <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(timeout).fail();
    }
}
