package io.sluice.gateway.cache;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.KeyGrant.CacheMode;
import io.sluice.contracts.KeyGrant.CacheNamespaces;
import io.sluice.contracts.KeyGrant.CachePolicy;
import io.sluice.contracts.TokenUsage;
import io.sluice.contracts.cache.CacheKeys;
import io.sluice.gateway.cache.semantic.SemanticSettings;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedRedisStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The presence filter against a real Redis: a miss decided without reading Redis and still counted in the tenant's
 * figures, and entries found whether this replica, another one (announced on the channel) or one before this
 * replica's start stored them; and every lookup reading Redis while the filter is not ready (never loaded, too many
 * entries, or its subscription lost).
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class StoredEntriesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    StoredEntries entries;

    @Inject
    MissCounts missCounts;

    @Inject
    ResponseCacheStore store;

    @Inject
    ReactiveRedisDataSource reactiveRedis;

    @Inject
    RedisDataSource redis;

    @Inject
    CacheMetrics metrics;

    @Inject
    CacheConfig config;

    @Inject
    Vertx vertx;

    @InjectStore
    EmbeddedRedisStore redisServer;

    private ReadCountingStore reads;
    private String tenant;

    @BeforeEach
    void readyFilter() {
        await().atMost(WAIT).until(entries::ready);
        reads = new ReadCountingStore(reactiveRedis);
        tenant = "t-" + UUID.randomUUID();
    }

    @Test
    void aQuestionNeverStoredIsAMissWithoutReadingRedisAndCountedInTheTenantsFigures() {
        ResponseCache cache = cache(entries);
        for (int i = 0; i < 3; i++) {
            CacheLookup lookup = cache.lookup(request(cache, "never stored " + i)).await().atMost(WAIT);
            assertEquals(CacheOutcome.MISS, lookup.outcome());
            assertEquals(CacheLookup.EXACT, lookup.kind());
        }

        assertEquals(0, reads.count.get(), "no Redis read for a miss the filter decides");
        await().atMost(WAIT).until(() -> "3".equals(redis.hash(String.class).hget(CacheKeys.stats(tenant),
                CacheKeys.STAT_MISSES)));
    }

    @Test
    void anEntryAnotherReplicaStoredIsFound() {
        ResponseCache cache = cache(entries);
        CacheRequest request = request(cache, "stored elsewhere");
        // What another gateway does: its store script announces the entry on the channel.
        assertEquals(0L, store.write(tenant, request.member(), answer(), 0, 60_000, 1_000_000).await().atMost(WAIT));

        await().atMost(WAIT).until(() -> !entries.certainlyAbsent(tenant, request.member()));
        CacheLookup lookup = cache.lookup(request).await().atMost(WAIT);
        assertEquals(CacheOutcome.HIT, lookup.outcome());
        assertEquals(1, reads.count.get());
    }

    @Test
    void anAnnouncementOnTheChannelIsLearned() {
        String member = CacheKeys.member("default", CacheKeys.SHARED_SCOPE, "ab".repeat(32));
        assertTrue(entries.certainlyAbsent(tenant, member));

        redis.pubsub(String.class).publish(CacheKeys.STORED_CHANNEL, CacheKeys.storedMessage(tenant, member));

        await().atMost(WAIT).until(() -> !entries.certainlyAbsent(tenant, member));
    }

    @Test
    void entriesStoredBeforeTheLoadAreFoundAfterIt() {
        ResponseCache cache = cache(entries);
        CacheRequest first = request(cache, "stored before 1");
        CacheRequest second = request(cache, "stored before 2");
        StoredAnswer answer = answer();
        // Written as a store does, without its announcement: as if stored while this replica was not running.
        for (CacheRequest request : List.of(first, second)) {
            redis.hash(String.class).hset(CacheKeys.entry(tenant, request.member()), Map.of("body",
                    answer.body(), "meta", answer.meta(), "cost", "0", "created",
                    Long.toString(System.currentTimeMillis())));
            redis.sortedSet(String.class).zadd(CacheKeys.lru(tenant), System.currentTimeMillis(), request.member());
        }
        assertTrue(entries.certainlyAbsent(tenant, first.member()));

        assertTrue(entries.reload().await().atMost(WAIT));

        for (CacheRequest request : List.of(first, second)) {
            assertEquals(CacheOutcome.HIT, cache.lookup(request).await().atMost(WAIT).outcome());
        }
        assertTrue(entries.certainlyAbsent(tenant, request(cache, "never stored").member()));
    }

    @Test
    void anAnswerThisReplicaStoresIsKnownAtOnce() {
        ResponseCache cache = cache(entries);
        CacheRequest request = request(cache, "stored here");
        JsonObject answer = new JsonObject().put("id", "x").put("choices", new JsonArray()
                .add(new JsonObject().put("finish_reason", "stop").put("message", new JsonObject()
                        .put("role", "assistant").put("content", "Paris"))));

        cache.offer(request, null, Buffer.buffer(answer.encode()), false, null, "sim", "d");

        await().atMost(WAIT).until(() -> !entries.certainlyAbsent(tenant, request.member()));
        assertEquals(CacheOutcome.HIT, cache.lookup(request).await().atMost(WAIT).outcome());
    }

    @Test
    void whileNotReadyEveryLookupReadsRedis() {
        // Never started: not subscribed, nothing loaded.
        StoredEntries notReady = new StoredEntries(reactiveRedis, vertx, metrics, config);
        ResponseCache cache = cache(notReady);
        assertFalse(notReady.ready());

        CacheLookup lookup = cache.lookup(request(cache, "never stored")).await().atMost(WAIT);

        assertEquals(CacheOutcome.MISS, lookup.outcome());
        assertNull(lookup.hit());
        assertEquals(1, reads.count.get());
        // Counted by the lookup script itself, as before the filter.
        assertEquals("1", redis.hash(String.class).hget(CacheKeys.stats(tenant), CacheKeys.STAT_MISSES));
    }

    @Test
    void aLostSubscriptionLeavesTheFilterNotReadyUntilSubscribedAndLoadedAgain() {
        ResponseCache cache = cache(entries);
        redisServer.stopServer();
        try {
            await().atMost(WAIT).until(() -> !entries.ready());
            // Announcements may be lost meanwhile: the lookup goes to Redis (down: a miss all the same).
            assertEquals(CacheOutcome.MISS, cache.lookup(request(cache, "during the outage")).await().atMost(WAIT)
                    .outcome());
            assertEquals(1, reads.count.get());
        } finally {
            redisServer.startServer();
        }
        // Subscribed again within the retry interval, then loaded.
        await().atMost(StoredEntries.RETRY.multipliedBy(3)).until(entries::ready);
    }

    @Test
    void moreEntriesThanTheFilterIsSizedForLeaveItNotReady() {
        store.write(tenant, CacheKeys.member("default", "-", "1"), answer(), 0, 60_000, 1_000_000).await()
                .atMost(WAIT);
        store.write(tenant, CacheKeys.member("default", "-", "2"), answer(), 0, 60_000, 1_000_000).await()
                .atMost(WAIT);
        StoredEntries limited = new StoredEntries(reactiveRedis, vertx, metrics, withMaxEntries(1));
        StoredEntries roomy = new StoredEntries(reactiveRedis, vertx, metrics, withMaxEntries(1_000_000));
        try {
            limited.start(null);
            roomy.start(null);
            await().atMost(WAIT).until(() -> limited.subscribed() && roomy.subscribed());

            assertFalse(limited.reload().await().atMost(WAIT));
            assertFalse(limited.ready());
            assertFalse(limited.certainlyAbsent(tenant, CacheKeys.member("default", "-", "3")),
                    "not ready: every lookup reads Redis");
            assertTrue(roomy.reload().await().atMost(WAIT));
            assertTrue(roomy.ready());
        } finally {
            limited.stop();
            roomy.stop();
            metrics.presenceFilterReady(entries.ready());
        }
    }

    private CacheConfig withMaxEntries(long maxEntries) {
        CacheConfig.PresenceFilter defaults = config.presenceFilter();
        return new CacheConfig() {
            @Override
            public Duration lookupTimeout() {
                return config.lookupTimeout();
            }

            @Override
            public int maxEntryBytes() {
                return config.maxEntryBytes();
            }

            @Override
            public PresenceFilter presenceFilter() {
                return new PresenceFilter() {
                    @Override
                    public boolean enabled() {
                        return true;
                    }

                    @Override
                    public long bits() {
                        return defaults.bits();
                    }

                    @Override
                    public Duration rebuildInterval() {
                        return defaults.rebuildInterval();
                    }

                    @Override
                    public long maxEntries() {
                        return maxEntries;
                    }
                };
            }
        };
    }

    private ResponseCache cache(StoredEntries presence) {
        return new ResponseCache(reads, presence, missCounts, null, metrics, null, config, SemanticSettings.DEFAULTS);
    }

    private CacheRequest request(ResponseCache cache, String question) {
        KeyGrant grant = new KeyGrant("key-1", tenant, "t", "PRO", null, null, null, List.of(), null,
                new CachePolicy(CacheMode.EXACT, 60, CacheNamespaces.TENANT, 1_000_000));
        JsonObject body = new JsonObject().put("model", "sim-gpt").put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", question)));
        return cache.prepare(grant, "/v1/chat/completions", body, true, false, null, null).orElseThrow();
    }

    private static StoredAnswer answer() {
        return new StoredAnswer("{\"id\":\"x\"}", "sim-gpt", "openai", "sim-gpt-1", new TokenUsage(12, 5, 2));
    }

    /** The real store, counting its reads: each is a Redis script call. */
    private static final class ReadCountingStore extends ResponseCacheStore {
        final AtomicInteger count = new AtomicInteger();

        ReadCountingStore(ReactiveRedisDataSource redis) {
            super(redis);
        }

        @Override
        public Uni<Optional<Hit>> read(String tenantId, String member, long maxAgeMillis, boolean countMiss) {
            count.incrementAndGet();
            return super.read(tenantId, member, maxAgeMillis, countMiss);
        }
    }
}
