package io.sluice.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sluice.contracts.QuotaKeys;
import io.sluice.contracts.QuotaKeys.Window;
import io.sluice.gateway.config.QuotaConfig;
import io.sluice.gateway.quota.QuotaLimit.Scope;

class LocalQuotaStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-30T23:59:30Z");

    private final MutableClock clock = new MutableClock(NOW);

    @Test
    void eachReplicaAdmitsItsShareOfTheLimitUnderTheSameKeyNames() {
        LocalQuotaStore store = new LocalQuotaStore(clock, config(3));
        List<QuotaLimit> limits = List.of(new QuotaLimit(Scope.TENANT, Window.RPM, 10, 1));

        for (int i = 0; i < 3; i++) {
            QuotaDecision admitted = reserve(store, limits);
            assertTrue(admitted.admitted());
            assertTrue(admitted.degraded());
            assertEquals(QuotaKeys.tenantCounter("t1", Window.RPM, NOW), admitted.counters().get(0).key());
            assertEquals(3, admitted.counters().get(0).limit().limit(), "10 ÷ 3 replicas");
        }
        assertFalse(reserve(store, limits).admitted());

        clock.advance(Duration.ofSeconds(30));
        assertTrue(reserve(store, limits).admitted(), "a new minute is a new window");
    }

    @Test
    void monthlyBudgetResetsWithTheCalendarMonth() {
        LocalQuotaStore store = new LocalQuotaStore(clock, config(1));
        List<QuotaLimit> budget = List.of(new QuotaLimit(Scope.TENANT, Window.USD_MONTH, 100, 60));
        assertTrue(reserve(store, budget).admitted());
        QuotaDecision refused = reserve(store, budget);
        assertFalse(refused.admitted());
        assertEquals(30, refused.refusing().orElseThrow().resetSeconds(), "30 s to December");

        clock.advance(Duration.ofSeconds(31));
        assertTrue(reserve(store, budget).admitted());
    }

    @Test
    void settlementAdjustsTheLocalCounter() {
        LocalQuotaStore store = new LocalQuotaStore(clock, config(1));
        List<QuotaLimit> tokens = List.of(new QuotaLimit(Scope.KEY, Window.TPD, 100, 80));
        QuotaDecision first = reserve(store, tokens);
        assertEquals(QuotaKeys.keyCounter("t1", "k1", Window.TPD, NOW), first.counters().get(0).key());
        assertFalse(reserve(store, tokens).admitted());

        store.adjust(List.of(new QuotaStore.Adjustment(first.counters().get(0).key(), -70))).await().indefinitely();
        assertTrue(reserve(store, tokens).admitted(), "10 used after settling, 80 more fit");
    }

    private static QuotaDecision reserve(LocalQuotaStore store, List<QuotaLimit> limits) {
        return store.reserve("t1", "k1", limits).await().indefinitely();
    }

    private static QuotaConfig config(int replicas) {
        return new QuotaConfig() {
            public RedisFailurePolicy redisFailurePolicy() {
                return RedisFailurePolicy.FAIL_OPEN;
            }

            public int replicas() {
                return replicas;
            }

            public Duration redisTimeout() {
                return Duration.ofMillis(250);
            }

            public int redisBatch() {
                return 100;
            }

            public Lease lease() {
                return new LeaseSettings(0, 100, 10);
            }

            public Duration redisRetryInterval() {
                return Duration.ofSeconds(1);
            }

            public int defaultCompletionReservation() {
                return 1024;
            }

            public Map<String, Double> endpointMultipliers() {
                return Map.of();
            }

            public long localCounterCapacity() {
                return 1000;
            }
        };
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
