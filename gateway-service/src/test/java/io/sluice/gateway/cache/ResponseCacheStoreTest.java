package io.sluice.gateway.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.contracts.TokenUsage;
import io.sluice.contracts.cache.CacheKeys;
import io.sluice.testsupport.quarkus.RedisTestResource;

/** The cache's Redis scripts against a real Redis: the exact keys, the figures, the byte budget and max-age. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ResponseCacheStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    ResponseCacheStore store;

    @Inject
    RedisDataSource redis;

    @Test
    void anEntryIsStoredUnderTheKeysCacheKeysNamesAndReadBackWithItsFigures() {
        String tenant = "t-" + UUID.randomUUID();
        String member = CacheKeys.member("default", CacheKeys.SHARED_SCOPE, "ab12");
        StoredAnswer answer = answer("{\"id\":\"x\"}");

        assertEquals(0L, store.write(tenant, member, answer, 1234, 60_000, 1_000_000).await().atMost(WAIT));

        assertEquals(Set.of("sluice:c:{" + tenant + "}:e:default/-/ab12", "sluice:c:{" + tenant + "}:lru",
                "sluice:c:{" + tenant + "}:size", "sluice:c:{" + tenant + "}:stats"),
                Set.copyOf(redis.key().keys("sluice:c:{" + tenant + "}:*")));
        long ttl = redis.key().pttl(CacheKeys.entry(tenant, member));
        assertTrue(ttl > 50_000 && ttl <= 60_000, "TTL " + ttl);
        ResponseCacheStore.Hit hit = store.read(tenant, member, -1, true).await().atMost(WAIT).orElseThrow();
        assertEquals(answer, hit.answer());
        assertTrue(store.read(tenant, CacheKeys.member("default", "-", "cd34"), -1, true).await().atMost(WAIT)
                .isEmpty());
        Map<String, String> stats = redis.hash(String.class).hgetall(CacheKeys.stats(tenant));
        assertEquals("1", stats.get(CacheKeys.STAT_HITS));
        assertEquals("1", stats.get(CacheKeys.STAT_MISSES));
        assertEquals("1234", stats.get(CacheKeys.STAT_SAVED_MICRO_USD));
        long size = answer.body().length() + answer.meta().length() + member.length();
        assertEquals(Long.toString(size), stats.get(CacheKeys.STAT_BYTES));
    }

    @Test
    void anEntryOlderThanMaxAgeIsAMiss() {
        String tenant = "t-" + UUID.randomUUID();
        String member = CacheKeys.member("default", "-", "ab12");
        store.write(tenant, member, answer("{}"), 0, 60_000, 1_000_000).await().atMost(WAIT);
        redis.hash(String.class).hset(CacheKeys.entry(tenant, member), "created",
                Long.toString(System.currentTimeMillis() - 30_000));

        assertTrue(store.read(tenant, member, 10_000, true).await().atMost(WAIT).isEmpty());
        Optional<ResponseCacheStore.Hit> young = store.read(tenant, member, 60_000, true).await().atMost(WAIT);
        assertTrue(young.orElseThrow().ageMillis() >= 30_000);
    }

    @Test
    void theLeastRecentlyUsedEntriesLeaveWhenTheTenantsBudgetIsFull() throws InterruptedException {
        String tenant = "t-" + UUID.randomUUID();
        String other = "t-" + UUID.randomUUID();
        StoredAnswer answer = answer("x".repeat(400));
        long size = answer.body().length() + answer.meta().length() + CacheKeys.member("default", "-", "0").length();
        long budget = size * 3;
        store.write(other, CacheKeys.member("default", "-", "0"), answer, 0, 60_000, budget).await().atMost(WAIT);
        for (int i = 0; i < 3; i++) {
            store.write(tenant, CacheKeys.member("default", "-", Integer.toString(i)), answer, 0, 60_000, budget)
                    .await().atMost(WAIT);
            Thread.sleep(2); // distinct use times, on Redis' millisecond clock
        }
        // 1 is now the oldest
        store.read(tenant, CacheKeys.member("default", "-", "0"), -1, true).await().atMost(WAIT);

        assertEquals(1L, store.write(tenant, CacheKeys.member("default", "-", "3"), answer, 0, 60_000, budget)
                .await().atMost(WAIT));

        assertFalse(redis.key().exists(CacheKeys.entry(tenant, CacheKeys.member("default", "-", "1"))));
        for (String kept : new String[] { "0", "2", "3" }) {
            assertTrue(redis.key().exists(CacheKeys.entry(tenant, CacheKeys.member("default", "-", kept))), kept);
        }
        assertEquals(Long.toString(budget), redis.hash(String.class).hget(CacheKeys.stats(tenant), "bytes"));
        assertEquals("1", redis.hash(String.class).hget(CacheKeys.stats(tenant), "evictions"));
        assertTrue(redis.key().exists(CacheKeys.entry(other, CacheKeys.member("default", "-", "0"))),
                "another tenant's entries are not its budget");
        assertEquals(-1L, store.write(tenant, CacheKeys.member("default", "-", "big"), answer("y".repeat(5_000)), 0,
                60_000, budget).await().atMost(WAIT), "an answer larger than the budget is not stored");
    }

    @Test
    void clearingANamespaceKeepsTheOthersAndTheByteCountTrue() {
        String tenant = "t-" + UUID.randomUUID();
        StoredAnswer answer = answer("{}");
        String a = CacheKeys.member("a", "-", "1");
        String b = CacheKeys.member("b", "-", "1");
        store.write(tenant, a, answer, 0, 60_000, 1_000_000).await().atMost(WAIT);
        store.write(tenant, b, answer, 0, 60_000, 1_000_000).await().atMost(WAIT);

        assertEquals(1L, store.clear(tenant, "a").await().atMost(WAIT));

        assertFalse(redis.key().exists(CacheKeys.entry(tenant, a)));
        assertTrue(redis.key().exists(CacheKeys.entry(tenant, b)));
        assertTrue(redis.sortedSet(String.class).zscore(CacheKeys.lru(tenant), a).isEmpty());
        long sizeOfB = answer.body().length() + answer.meta().length() + b.length();
        assertEquals(Long.toString(sizeOfB), redis.hash(String.class).hget(CacheKeys.stats(tenant), "bytes"));
        assertEquals(1L, store.clear(tenant, null).await().atMost(WAIT));
        assertEquals("0", redis.hash(String.class).hget(CacheKeys.stats(tenant), "bytes"));
    }

    private static StoredAnswer answer(String body) {
        return new StoredAnswer(body, "sim-gpt", "openai", "sim-gpt-1", new TokenUsage(12, 5, 2));
    }
}
