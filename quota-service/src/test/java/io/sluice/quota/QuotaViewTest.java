package io.sluice.quota;

import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.createTenant;
import static io.sluice.quota.AdminRequests.exactNumbers;
import static io.sluice.quota.AdminRequests.issueKey;
import static io.sluice.quota.AdminRequests.putPlan;
import static io.sluice.quota.AdminRequests.uniquePlanName;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.contracts.KeyInvalidations;
import io.sluice.contracts.QuotaKeys;
import io.sluice.contracts.QuotaKeys.Window;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/**
 * GET /admin/quotas/{tenant} and POST /admin/quotas/{tenant}/reset against counters written, as the gateway writes
 * them, under the {@link QuotaKeys} names of the window current on the Redis clock.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class QuotaViewTest {

    @Inject
    RedisDataSource redis;

    private ValueCommands<String, Long> counters;

    @BeforeEach
    void counters() {
        counters = redis.value(Long.class);
    }

    @Test
    void usageShowsEachWindowAgainstTheEffectiveLimits() {
        String plan = uniquePlanName();
        putPlan(plan, 10, 100, 1_000, 5_000);
        String tenantId = createTenant(plan);
        asAdmin().body(Map.of("overrides", Map.of("requests_per_minute", 6))).patch("/admin/tenants/" + tenantId)
                .then().statusCode(200);
        Instant now = redisTimeAwayFromAMinuteBoundary();
        counters.set(QuotaKeys.tenantCounter(tenantId, Window.RPM, now), 4L);
        counters.set(QuotaKeys.tenantCounter(tenantId, Window.RPH, now), 150L);
        counters.set(QuotaKeys.tenantCounter(tenantId, Window.RPD, now), 7L);
        counters.set(QuotaKeys.tenantCounter(tenantId, Window.TPD, now), 1_234L);
        // The previous minute's counter is history, not usage.
        counters.set(QuotaKeys.tenantCounter(tenantId, Window.RPM, now.minusSeconds(60)), 99L);

        JsonPath usage = asAdmin().get("/admin/quotas/" + tenantId).then()
                .statusCode(200)
                .body("tenant_id", is(tenantId))
                .body("rpm.used", is(4))
                .body("rpm.limit", is(6))
                .body("rpm.remaining", is(2))
                .body("rph.used", is(150))
                .body("rph.limit", is(100))
                // Over the limit (e.g. reserved tokens settled higher): nothing remains, never a negative amount.
                .body("rph.remaining", is(0))
                .body("rpd.used", is(7))
                .body("rpd.remaining", is(993))
                .body("tpd.used", is(1_234))
                .body("tpd.limit", is(5_000))
                .body("tpd.remaining", is(3_766))
                .body("usd_day", nullValue())
                .body("usd_month", nullValue())
                .extract().jsonPath();

        long at = Instant.parse(usage.getString("measured_at")).getEpochSecond();
        assertEquals((at / 60 + 1) * 60 - at, usage.getLong("rpm.resets_in_seconds"));
        assertEquals((at / 3_600 + 1) * 3_600 - at, usage.getLong("rph.resets_in_seconds"));
        assertEquals((at / 86_400 + 1) * 86_400 - at, usage.getLong("rpd.resets_in_seconds"));
        assertEquals(usage.getLong("rpd.resets_in_seconds"), usage.getLong("tpd.resets_in_seconds"));
        assertTrue(Math.abs(at - now.getEpochSecond()) < 60, "measured on the Redis clock");
    }

    @Test
    void usageWithoutCountersIsZero() {
        String plan = uniquePlanName();
        putPlan(plan, 10, 100, 1_000, 5_000);
        String tenantId = createTenant(plan);

        asAdmin().get("/admin/quotas/" + tenantId).then()
                .statusCode(200)
                .body("rpm.used", is(0))
                .body("rpm.remaining", is(10))
                .body("tpd.used", is(0))
                .body("tpd.remaining", is(5_000));
    }

    @Test
    void budgetsShowSpendInUsdFromMicroUsdCounters() {
        String tenantId = createTenant("PRO");
        asAdmin().body(Map.of("budgets", Map.of("daily_usd", new BigDecimal("10.5"), "monthly_usd", 100)))
                .patch("/admin/tenants/" + tenantId).then().statusCode(200);
        Instant now = redisTimeAwayFromAMinuteBoundary();
        counters.set(QuotaKeys.tenantCounter(tenantId, Window.USD_DAY, now), 2_500_001L);
        counters.set(QuotaKeys.tenantCounter(tenantId, Window.USD_MONTH, now), 150_000_000L);

        JsonPath usage = asAdmin().config(exactNumbers()).get("/admin/quotas/" + tenantId).then()
                .statusCode(200)
                .body("usd_day.used_usd", comparesEqualTo(new BigDecimal("2.500001")))
                .body("usd_day.budget_usd", comparesEqualTo(new BigDecimal("10.5")))
                .body("usd_day.remaining_usd", comparesEqualTo(new BigDecimal("7.999999")))
                .body("usd_month.used_usd", comparesEqualTo(new BigDecimal("150")))
                .body("usd_month.budget_usd", comparesEqualTo(new BigDecimal("100")))
                .body("usd_month.remaining_usd", comparesEqualTo(BigDecimal.ZERO))
                .extract().jsonPath();

        Instant at = Instant.parse(usage.getString("measured_at"));
        long monthEnd = LocalDate.ofInstant(at, ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1)
                .atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        assertEquals(monthEnd - at.getEpochSecond(), usage.getLong("usd_month.resets_in_seconds"));
    }

    @Test
    void resetDeletesExactlyTheCurrentCountersOfTheTenantAndItsKeys() {
        String tenantId = createTenant("BASIC");
        String firstKey = issueKey(tenantId, Map.of()).path("id");
        String secondKey = issueKey(tenantId, Map.of()).path("id");
        asAdmin().delete("/admin/keys/" + secondKey).then().statusCode(204);
        String otherTenant = createTenant("BASIC");
        String otherKey = issueKey(otherTenant, Map.of()).path("id");
        Instant now = redisTimeAwayFromAMinuteBoundary();

        List<String> current = new ArrayList<>();
        for (Window window : Window.values()) {
            current.add(QuotaKeys.tenantCounter(tenantId, window, now));
        }
        for (String keyId : List.of(firstKey, secondKey)) {
            for (Window window : List.of(Window.RPM, Window.RPH, Window.RPD, Window.TPD)) {
                current.add(QuotaKeys.keyCounter(tenantId, keyId, window, now));
            }
        }
        List<String> kept = List.of(
                QuotaKeys.tenantCounter(tenantId, Window.RPM, now.minusSeconds(60)),
                QuotaKeys.keyCounter(tenantId, firstKey, Window.RPD, now.minusSeconds(86_400)),
                QuotaKeys.tenantCounter(otherTenant, Window.RPM, now),
                QuotaKeys.tenantCounter(otherTenant, Window.USD_DAY, now),
                QuotaKeys.keyCounter(otherTenant, otherKey, Window.RPM, now));
        current.forEach(name -> counters.set(name, 3L));
        kept.forEach(name -> counters.set(name, 5L));

        try (InvalidationListener gateway = new InvalidationListener(redis)) {
            asAdmin().post("/admin/quotas/" + tenantId + "/reset").then().statusCode(204);
            // The gateways drop the quota blocks they hold for the tenant, which the deleted counters had counted.
            assertEquals(List.of(KeyInvalidations.forTenant(tenantId)), gateway.awaitMessages(1));
        }

        for (String name : current) {
            assertFalse(redis.key().exists(name), name + " survived the reset");
        }
        for (String name : kept) {
            assertEquals(5L, counters.get(name), name + " was touched by the reset");
        }
        asAdmin().get("/admin/quotas/" + tenantId).then()
                .body("rpm.used", is(0))
                .body("tpd.used", is(0));
        asAdmin().get("/admin/quotas/" + otherTenant).then()
                .body("rpm.used", is(5));
    }

    @Test
    void unknownTenantsAreNotFound() {
        asAdmin().get("/admin/quotas/" + UUID.randomUUID()).then()
                .statusCode(404).body("error.code", is("not_found"));
        asAdmin().post("/admin/quotas/" + UUID.randomUUID() + "/reset").then()
                .statusCode(404).body("error.code", is("not_found"));
    }

    /**
     * Redis TIME, at least ten seconds before the minute ends (waiting for the next minute if need be), so that the
     * test's writes and the service's read fall in the same window of every kind: each hour, day and month boundary
     * is also a minute boundary.
     */
    private Instant redisTimeAwayFromAMinuteBoundary() {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> redisTime().getEpochSecond() % 60 < 50);
        return redisTime();
    }

    private Instant redisTime() {
        var time = redis.execute("TIME");
        return Instant.ofEpochSecond(time.get(0).toLong(), time.get(1).toLong() * 1_000);
    }
}
