package io.sluice.gateway.quota;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.QuotaKeys.Window;
import io.sluice.gateway.Ledger;
import io.sluice.gateway.quota.QuotaEnforcer.Reservation;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.ManagementInterface;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedRedisStore;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class QuotaEnforcerTest {

    @Inject
    QuotaEnforcer enforcer;

    @Inject
    RedisQuotaStore store;

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry registry;

    @InjectStore
    EmbeddedRedisStore redisServer;

    static KeyGrant grant(long perMinute, long tokensPerDay, KeyGrant.Budgets budgets) {
        String tenant = "t-" + UUID.randomUUID();
        return new KeyGrant("k-" + tenant, tenant, "tenant", "FREE",
                new KeyGrant.PlanLimits(perMinute, 1_000, 10_000, tokensPerDay), null, budgets, null, null);
    }

    @Test
    void reservedTokensAreSettledToTheActualUsage() {
        Reservation reservation = reserve(grant(10, 10_000, null), new Usage(100, 200), 1.0);
        String tokens = tokensPerDayCounter(reservation);
        assertEquals("300", redis.value(String.class).get(tokens));

        assertEquals(List.of(new QuotaStore.Adjustment(tokens, -270)),
                enforcer.settlement(reservation, new Usage(10, 20), null), "tokens per day only: requests stay counted");
        settle(reservation, new Usage(10, 20));

        assertEquals("30", redis.value(String.class).get(tokens));
    }

    @Test
    void endpointMultiplierWeighsTokensAndAFailedCallReleasesTheReservation() {
        Reservation reservation = reserve(grant(10, 10_000, null), new Usage(101, 0), 0.25);
        String tokens = tokensPerDayCounter(reservation);
        assertEquals("26", redis.value(String.class).get(tokens), "ceil(101 × 0.25)");

        settle(reservation, new Usage(0, 0));

        assertEquals("0", redis.value(String.class).get(tokens));
    }

    @Test
    void budgetRefusesARequestWhoseReservedCostDoesNotFit() {
        // sim-gpt: 2.50 USD in, 10.00 USD out per 1M tokens → 100 in + 100 out = 1,250 micro-USD.
        KeyGrant grant = grant(10, 10_000, new KeyGrant.Budgets(new BigDecimal("0.001"), null));
        QuotaDecision decision = reserve(grant, new Usage(100, 100), 1.0).decision();
        assertFalse(decision.admitted());
        assertEquals(QuotaLimit.Kind.BUDGET, decision.refusing().orElseThrow().limit().kind());
        assertEquals(1_000, decision.refusing().orElseThrow().limit().limit());

        assertTrue(reserve(grant, new Usage(100, 50), 1.0).decision().admitted(), "750 micro-USD fits");
    }

    @Test
    void concurrentRequestsCannotOverspendTokensPerDayOrTheBudget() {
        // 200 simultaneous reservations of 37 tokens against 1,000 tokens/day: exactly 27 fit (999 tokens).
        KeyGrant tokens = grant(10_000, 1_000, null);
        List<Reservation> tokenRun = concurrently(200, () -> enforcer.reserve(tokens, "sim-gpt", new Usage(37, 0), 1.0));
        assertEquals(27, tokenRun.stream().filter(r -> r.decision().admitted()).count());
        assertEquals("999", redis.value(String.class).get(tokenRun.stream().filter(r -> r.decision().admitted())
                .findFirst().orElseThrow().decision().counters().stream()
                .filter(c -> c.limit().window() == Window.TPD).findFirst().orElseThrow().key()));

        // 0.01 USD a day; each request reserves 100 in + 30 out on sim-gpt = 550 micro-USD: exactly 18 fit.
        KeyGrant budget = grant(10_000, 10_000_000, new KeyGrant.Budgets(new BigDecimal("0.01"), null));
        List<Reservation> budgetRun = concurrently(200, () -> enforcer.reserve(budget, "sim-gpt", new Usage(100, 30), 1.0));
        assertEquals(18, budgetRun.stream().filter(r -> r.decision().admitted()).count());
        assertTrue(budgetRun.stream().filter(r -> !r.decision().admitted())
                .allMatch(r -> r.decision().refusing().orElseThrow().limit().kind() == QuotaLimit.Kind.BUDGET));
    }

    private static List<Reservation> concurrently(int count, java.util.function.Supplier<Uni<Reservation>> call) {
        // All subscribed at once: the decisions race in Redis, where only the script's atomicity orders them.
        return Uni.join().all(java.util.stream.IntStream.range(0, count).mapToObj(i -> call.get()).toList())
                .andFailFast().await().atMost(Duration.ofSeconds(20));
    }

    @Test
    void redisOutageFailsOpenToTheLocalStoreAndRecoversByItself() {
        double before = registry.counter("sluice_quota_degraded_decisions_total").count();
        redisServer.stopServer();
        try {
            Reservation reservation = reserve(grant(1, 10_000, null), new Usage(1, 1), 1.0);
            QuotaDecision decision = reservation.decision();
            assertTrue(decision.admitted());
            assertTrue(decision.degraded());
            assertEquals(List.of(), enforcer.settlement(reservation, new Usage(1, 1), null),
                    "settled in the local store it was taken from, nothing for Redis");
            assertTrue(enforcer.degraded());
            assertEquals(1.0, degradedGauge());
            assertEquals(before + 1, registry.counter("sluice_quota_degraded_decisions_total").count());
        } finally {
            redisServer.startServer();
        }
        KeyGrant fresh = grant(1, 10_000, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> !reserve(fresh, new Usage(1, 1), 1.0).decision().degraded());
        assertFalse(enforcer.degraded());
        assertEquals(0.0, degradedGauge());
        assertFalse(reserve(fresh, new Usage(1, 1), 1.0).decision().admitted(), "back on Redis: limit 1 holds");
    }

    @Test
    void aRedisAnswerThatComesAfterTheTimeoutIsGivenBack() {
        KeyGrant grant = grant(10, 10_000, null);
        Ledger ledger = new Ledger(redis);
        // Redis takes every command but answers none for longer than the quota timeout (500 ms).
        redis.execute("CLIENT", "PAUSE", "1500", "ALL");
        try {
            Reservation reservation = reserve(grant, new Usage(100, 200), 1.0);
            assertTrue(reservation.decision().degraded(), "decided without Redis when it did not answer in time");

            // Once Redis has run the late decision, it is given back: Redis counts nothing for this request.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertEquals(0, ledger.counter(grant.tenantId(), "rpm"));
                assertEquals(0, ledger.counter(grant.tenantId(), "tpd"));
            });
        } finally {
            KeyGrant fresh = grant(10, 10_000, null);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !reserve(fresh, new Usage(1, 1), 1.0).decision().degraded());
        }
    }

    /**
     * The gauge as this application exports it: a registry search may find the gauge of an application an earlier
     * test class ran (Micrometer's global registry outlives it), which reads that application's state.
     */
    private static double degradedGauge() {
        String metrics = io.restassured.RestAssured.get(ManagementInterface.url("/q/metrics")).asString();
        java.util.regex.Matcher value = java.util.regex.Pattern.compile("(?m)^sluice_quota_degraded (\\S+)$")
                .matcher(metrics);
        assertTrue(value.find(), "sluice_quota_degraded is exported");
        return Double.parseDouble(value.group(1));
    }

    private void settle(Reservation reservation, Usage actual) {
        store.adjust(enforcer.settlement(reservation, actual, null)).await().atMost(Duration.ofSeconds(5));
    }

    private static String tokensPerDayCounter(Reservation reservation) {
        return reservation.decision().counters().stream().filter(c -> c.limit().window() == Window.TPD)
                .findFirst().orElseThrow().key();
    }

    private Reservation reserve(KeyGrant grant, Usage estimate, double multiplier) {
        return enforcer.reserve(grant, "sim-gpt", estimate, multiplier).await().atMost(Duration.ofSeconds(5));
    }
}
