package io.sluice.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.QuotaKeys;
import io.sluice.contracts.QuotaKeys.Window;
import io.sluice.gateway.RedisScriptRuns;
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

    private QuotaDecision reserve(String tenant, String key, List<QuotaLimit> limits) {
        return store.reserve(tenant, key, limits).await().atMost(Duration.ofSeconds(2));
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

    private Instant redisNow() {
        return Instant.ofEpochSecond(Long.parseLong(redis.execute("TIME").get(0).toString()));
    }
}
