package io.sluice.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.QuotaKeys;
import io.sluice.contracts.QuotaKeys.Window;
import io.sluice.gateway.RedisScriptRuns;
import io.sluice.gateway.config.QuotaConfig;
import io.sluice.gateway.quota.QuotaLimit.Scope;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.vertx.core.Vertx;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class RedisQuotaStoreTest {

    @Inject
    RedisQuotaStore store;

    @Inject
    RedisDataSource redis;

    @Inject
    Vertx vertx;

    @Inject
    ReactiveRedisDataSource reactiveRedis;

    @Inject
    QuotaConfig config;

    @Test
    void countersAreNamedAsQuotaKeysSaysForEveryWindowAndScope() {
        List<QuotaLimit> limits = List.of(
                new QuotaLimit(Scope.TENANT, Window.RPM, 10, 1), new QuotaLimit(Scope.TENANT, Window.RPH, 10, 1),
                new QuotaLimit(Scope.TENANT, Window.RPD, 10, 1), new QuotaLimit(Scope.TENANT, Window.TPD, 1000, 42),
                new QuotaLimit(Scope.TENANT, Window.USD_DAY, 5_000_000, 7),
                new QuotaLimit(Scope.TENANT, Window.USD_MONTH, 50_000_000, 7),
                new QuotaLimit(Scope.KEY, Window.RPM, 5, 1), new QuotaLimit(Scope.KEY, Window.TPD, 500, 42));

        QuotaDecision decision = inOneSecond(now -> {
            String tenant = "t-" + UUID.randomUUID();
            QuotaDecision d = reserve(tenant, "key-1", limits);
            List<String> expected = limits.stream().map(l -> l.scope() == Scope.KEY
                    ? QuotaKeys.keyCounter(tenant, "key-1", l.window(), now)
                    : QuotaKeys.tenantCounter(tenant, l.window(), now)).toList();
            assertEquals(expected, d.counters().stream().map(QuotaDecision.Counter::key).toList());
            return d;
        });

        assertTrue(decision.admitted());
        assertEquals(List.of(1L, 1L, 1L, 42L, 7L, 7L, 1L, 42L),
                decision.counters().stream().map(QuotaDecision.Counter::used).toList());
        for (QuotaDecision.Counter counter : decision.counters()) {
            long ttl = redis.key().ttl(counter.key());
            assertTrue(ttl > counter.resetSeconds() - 2, counter.key() + " must outlive its window: " + ttl);
            assertEquals(Long.toString(counter.used()), redis.value(String.class).get(counter.key()));
        }
    }

    @Test
    void monthlyWindowResetsAtTheStartOfTheNextUtcMonth() {
        inOneSecond(now -> {
            QuotaDecision d = reserve("t-" + UUID.randomUUID(), "k",
                    List.of(new QuotaLimit(Scope.TENANT, Window.USD_MONTH, 100, 1)));
            // The Lua calendar arithmetic agrees with java.time.
            assertEquals(Window.USD_MONTH.secondsToReset(now), d.counters().get(0).resetSeconds());
            return d;
        });
    }

    @Test
    void admitsExactlyTheLimitAndARefusalConsumesNothing() {
        inOneSecond(now -> {
            String tenant = "t-" + UUID.randomUUID();
            List<QuotaLimit> limits = List.of(new QuotaLimit(Scope.TENANT, Window.RPM, 3, 1),
                    new QuotaLimit(Scope.TENANT, Window.TPD, 100, 30));
            for (int i = 1; i <= 3; i++) {
                assertTrue(reserve(tenant, "k", limits).admitted());
            }
            QuotaDecision fourth = reserve(tenant, "k", limits);
            assertFalse(fourth.admitted());
            assertEquals(Window.RPM, fourth.refusing().orElseThrow().limit().window());
            assertEquals(3, fourth.refusing().orElseThrow().used());
            assertEquals("90", redis.value(String.class).get(QuotaKeys.tenantCounter(tenant, Window.TPD, now)));
            return fourth;
        });
    }

    @Test
    void tokenQuotaRefusalLeavesTheRequestCountersUntouched() {
        inOneSecond(now -> {
            String tenant = "t-" + UUID.randomUUID();
            QuotaDecision refused = reserve(tenant, "k", List.of(new QuotaLimit(Scope.TENANT, Window.RPM, 10, 1),
                    new QuotaLimit(Scope.TENANT, Window.TPD, 100, 101)));
            assertFalse(refused.admitted());
            assertEquals(QuotaLimit.Kind.TOKENS, refused.refusing().orElseThrow().limit().kind());
            assertNull(redis.value(String.class).get(QuotaKeys.tenantCounter(tenant, Window.RPM, now)));
            return refused;
        });
    }

    @Test
    void settlementMovesTheReservationToActualUsageAndNeverBelowZero() {
        String tenant = "t-" + UUID.randomUUID();
        QuotaDecision decision = reserve(tenant, "k", List.of(new QuotaLimit(Scope.TENANT, Window.TPD, 1000, 300)));
        String key = decision.counters().get(0).key();

        store.adjust(List.of(new QuotaStore.Adjustment(key, -280))).await().atMost(Duration.ofSeconds(2));
        assertEquals("20", redis.value(String.class).get(key));

        store.adjust(List.of(new QuotaStore.Adjustment(key, -500))).await().atMost(Duration.ofSeconds(2));
        assertEquals("0", redis.value(String.class).get(key));
        assertTrue(redis.key().ttl(key) > 0, "settling keeps the window's expiry");
    }

    @Test
    void decisionsRequestedInOneEventLoopTurnShareOneScriptRunEachAllOrNothing() throws Exception {
        String first = "t-" + UUID.randomUUID();
        String second = "t-" + UUID.randomUUID();
        List<QuotaLimit> onePerMinute = List.of(new QuotaLimit(Scope.TENANT, Window.RPM, 1, 1),
                new QuotaLimit(Scope.TENANT, Window.TPD, 1000, 10));
        long runsBefore = RedisScriptRuns.sofar(redis);

        // Three requests read in one turn: the second of the first tenant finds its minute used up by the first.
        CompletableFuture<List<QuotaDecision>> decided = new CompletableFuture<>();
        vertx.runOnContext(v -> Uni.join().all(store.reserve(first, "k", onePerMinute),
                store.reserve(first, "k", onePerMinute), store.reserve(second, "k", onePerMinute))
                .andFailFast().subscribe().with(decided::complete, decided::completeExceptionally));
        List<QuotaDecision> decisions = decided.get(5, TimeUnit.SECONDS);

        assertEquals(1, RedisScriptRuns.sofar(redis) - runsBefore, "one round trip for the three");
        assertTrue(decisions.get(0).admitted());
        assertFalse(decisions.get(1).admitted());
        assertEquals(Window.RPM, decisions.get(1).refusing().orElseThrow().limit().window());
        assertTrue(decisions.get(2).admitted(), "a refusal in the batch does not touch another request");
        // The refused request consumed nothing: its tokens were not added to the first tenant's day.
        assertEquals("10", redis.value(String.class).get(decisions.get(0).counters().get(1).key()));
        assertEquals("10", redis.value(String.class).get(decisions.get(2).counters().get(1).key()));
    }

    @Test
    void aTenantWithLargeLimitsIsAdmittedFromItsBlocksWithoutARoundTripUntilTheyRunOut() {
        // 1% of 1,000 requests a minute covers 10 requests, 1% of the tokens 100: blocks for 9 more after the first.
        List<QuotaLimit> limits = List.of(new QuotaLimit(Scope.TENANT, Window.RPM, 1_000, 1),
                new QuotaLimit(Scope.TENANT, Window.TPD, 1_000_000, 100));
        inOneMinute(now -> {
            String tenant = "t-" + UUID.randomUUID();
            String requests = QuotaKeys.tenantCounter(tenant, Window.RPM, now);
            String tokens = QuotaKeys.tenantCounter(tenant, Window.TPD, now);
            long runsBefore = RedisScriptRuns.sofar(redis);

            List<Long> remaining = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                QuotaDecision decision = reserve(tenant, "k", limits);
                assertTrue(decision.admitted());
                assertEquals(List.of(requests, tokens), decision.counters().stream().map(QuotaDecision.Counter::key)
                        .toList(), "settlements go to the counters the blocks were taken from");
                remaining.add(decision.counters().get(0).remaining());
            }
            assertEquals(1, RedisScriptRuns.sofar(redis) - runsBefore, "one round trip for ten requests");
            // Redis counted the whole block when it granted it; the headers count down request by request.
            assertEquals("10", redis.value(String.class).get(requests));
            assertEquals("1000", redis.value(String.class).get(tokens));
            assertEquals(LongStream.rangeClosed(990, 999).boxed().sorted(Comparator.reverseOrder()).toList(),
                    remaining);

            QuotaDecision eleventh = reserve(tenant, "k", limits);
            assertTrue(eleventh.admitted());
            assertEquals(2, RedisScriptRuns.sofar(redis) - runsBefore, "the spent block is followed by the next");
            assertEquals("20", redis.value(String.class).get(requests));
            assertEquals(989, eleventh.counters().get(0).remaining());
            return eleventh;
        });
    }

    @Test
    void replicasSpendingTheirBlocksNeverAdmitMoreThanTheLimitAndLeaveAtMostOneBlockEachUnspent() {
        // Blocks of 10% (9 more requests per grant) on two replicas sharing one Redis.
        RedisQuotaStore first = replica(new LeaseSettings(10, 100, 100));
        RedisQuotaStore second = replica(new LeaseSettings(10, 100, 100));
        List<QuotaLimit> limits = List.of(new QuotaLimit(Scope.TENANT, Window.RPM, 100, 1));
        inOneMinute(now -> {
            // Taking turns: each replica spends its block before it asks for the next, so nothing is left over.
            String turns = "t-" + UUID.randomUUID();
            long admitted = 0;
            for (int i = 0; i < 120; i++) {
                admitted += reserve(i % 2 == 0 ? first : second, turns, limits).admitted() ? 1 : 0;
            }
            assertEquals(100, admitted);
            assertEquals("100", redis.value(String.class).get(QuotaKeys.tenantCounter(turns, Window.RPM, now)));

            // Racing: 150 requests read in one event-loop turn, half on each replica.
            String race = "t-" + UUID.randomUUID();
            CompletableFuture<List<QuotaDecision>> decided = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                List<Uni<QuotaDecision>> decisions = new ArrayList<>();
                for (int i = 0; i < 150; i++) {
                    decisions.add((i % 2 == 0 ? first : second).reserve(race, "k", limits));
                }
                Uni.join().all(decisions).andFailFast().subscribe().with(decided::complete,
                        decided::completeExceptionally);
            });
            long racedIn = await(decided).stream().filter(QuotaDecision::admitted).count();
            assertTrue(racedIn <= 100 && racedIn >= 100 - 2 * 9, "admitted " + racedIn);
            assertEquals("100", redis.value(String.class).get(QuotaKeys.tenantCounter(race, Window.RPM, now)));
            // What the race left in the blocks is still there to spend, and then the limit is met exactly.
            for (RedisQuotaStore replica : List.of(first, second)) {
                for (int i = 0; i < 10 && reserve(replica, race, limits).admitted(); i++) {
                    racedIn++;
                }
            }
            assertEquals(100, racedIn);
            return racedIn;
        });
    }

    private RedisQuotaStore replica(LeaseSettings lease) {
        return new RedisQuotaStore(reactiveRedis, vertx, config, new QuotaLeases(lease, System::nanoTime, new SimpleMeterRegistry()),
                "standalone");
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private QuotaDecision reserve(String tenant, String key, List<QuotaLimit> limits) {
        return store.reserve(tenant, key, limits).await().atMost(Duration.ofSeconds(2));
    }

    private static QuotaDecision reserve(RedisQuotaStore replica, String tenant, List<QuotaLimit> limits) {
        return replica.reserve(tenant, "k", limits).await().atMost(Duration.ofSeconds(2));
    }

    /**
     * Runs a check that must see one Redis second throughout (window stamps and reset times depend on it); runs it
     * again, on fresh counters, if a second boundary intervened.
     */
    private <T> T inOneSecond(Function<Instant, T> check) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Instant before = redisNow();
            T result = check.apply(before);
            if (redisNow().equals(before)) {
                return result;
            }
        }
        throw new AssertionError("could not run within one Redis second");
    }

    /** As {@link #inOneSecond}, for checks that must see one minute window of the Redis clock throughout. */
    private <T> T inOneMinute(Function<Instant, T> check) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Instant before = redisNow();
            T result = check.apply(before);
            if (redisNow().getEpochSecond() / 60 == before.getEpochSecond() / 60) {
                return result;
            }
        }
        throw new AssertionError("could not run within one minute of the Redis clock");
    }

    private Instant redisNow() {
        return Instant.ofEpochSecond(Long.parseLong(redis.execute("TIME").get(0).toString()));
    }
}
