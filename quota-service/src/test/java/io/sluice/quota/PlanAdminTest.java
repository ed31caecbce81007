package io.sluice.quota;

import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.issueKey;
import static io.sluice.quota.AdminRequests.lookup;
import static io.sluice.quota.AdminRequests.planLimits;
import static io.sluice.quota.AdminRequests.putPlan;
import static io.sluice.quota.AdminRequests.uniqueName;
import static io.sluice.quota.AdminRequests.uniquePlanName;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sluice.quota.config.PlansConfig;
import io.sluice.quota.service.PlanSeeder;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/** GET and PUT /admin/plans: configuration seeds the plans, the table holds their live values. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class PlanAdminTest {

    @Inject
    PlanSeeder seeder;

    @Test
    void configuredPlansAreListedWithTheirLimits() {
        for (String plan : List.of("FREE", "BASIC", "PRO", "ENTERPRISE")) {
            Map<String, Object> listed = planLimits(plan);
            for (String limit : List.of("requests_per_minute", "requests_per_hour", "requests_per_day",
                    "tokens_per_day")) {
                long configured = ConfigProvider.getConfig().getValue(
                        "sluice.plans." + plan + "." + limit.replace('_', '-'), Long.class);
                assertEquals(configured, ((Number) listed.get(limit)).longValue(), plan + " " + limit);
            }
            for (String cap : List.of("cache_max_ttl_seconds", "cache_max_bytes")) {
                long configured = ConfigProvider.getConfig().getValue(
                        "sluice.plans." + plan + "." + cap.replace('_', '-'), Long.class);
                assertEquals(configured, ((Number) listed.get(cap)).longValue(), plan + " " + cap);
            }
            assertTrue(listed.get("updated_at") != null, plan + " has updated_at");
        }
        // The seeded caps grow with the plan.
        assertEquals(3_600, planLimits("FREE").get("cache_max_ttl_seconds"));
        assertEquals(1 << 20, planLimits("FREE").get("cache_max_bytes"));
        assertEquals(64 << 20, planLimits("ENTERPRISE").get("cache_max_bytes"));
        asAdmin().get("/admin/plans").then().statusCode(200).body("object", is("list"));
    }

    @Test
    void putCreatesAPlanThenReplacesItsLimits() {
        String plan = uniquePlanName();

        asAdmin().body(limits(3, 30, 300, 3_000)).put("/admin/plans/" + plan).then()
                .statusCode(201)
                .body("name", is(plan))
                .body("requests_per_minute", is(3))
                .body("tokens_per_day", is(3_000))
                .body("updated_at", notNullValue());

        asAdmin().body(limits(6, 60, 600, 6_000)).put("/admin/plans/" + plan).then()
                .statusCode(200)
                .body("requests_per_minute", is(6))
                .body("requests_per_hour", is(60))
                .body("requests_per_day", is(600))
                .body("tokens_per_day", is(6_000));

        assertEquals(6, planLimits(plan).get("requests_per_minute"));
    }

    @Test
    void cacheCapsAreOptionalAndKeptWhenAPutOmitsThem() {
        String plan = uniquePlanName();

        // A new plan without caps gets the smallest plan's.
        asAdmin().body(limits(3, 30, 300, 3_000)).put("/admin/plans/" + plan).then()
                .statusCode(201)
                .body("cache_max_ttl_seconds", is(3_600))
                .body("cache_max_bytes", is(1_048_576));

        Map<String, Object> withCaps = new HashMap<>(limits(3, 30, 300, 3_000));
        withCaps.put("cache_max_ttl_seconds", 600);
        withCaps.put("cache_max_bytes", 2_048);
        asAdmin().body(withCaps).put("/admin/plans/" + plan).then()
                .statusCode(200)
                .body("cache_max_ttl_seconds", is(600))
                .body("cache_max_bytes", is(2_048));

        // Replacing the limits alone keeps the caps.
        asAdmin().body(limits(4, 40, 400, 4_000)).put("/admin/plans/" + plan).then()
                .statusCode(200)
                .body("requests_per_minute", is(4))
                .body("cache_max_ttl_seconds", is(600))
                .body("cache_max_bytes", is(2_048));
        assertEquals(600, planLimits(plan).get("cache_max_ttl_seconds"));
        assertEquals(2_048, planLimits(plan).get("cache_max_bytes"));
    }

    @Test
    void invalidCacheCapsAreRejectedByNameAndChangeNothing() {
        String plan = uniquePlanName();
        putPlan(plan, 1, 1, 1, 1);
        for (var bad : List.<Map.Entry<String, Object>> of(
                Map.entry("cache_max_ttl_seconds", 0),
                Map.entry("cache_max_ttl_seconds", 604_801),
                Map.entry("cache_max_ttl_seconds", 1.5),
                Map.entry("cache_max_bytes", -1),
                Map.entry("cache_max_bytes", (64L << 30) + 1),
                Map.entry("cache_max_bytes", "lots"))) {
            Map<String, Object> body = new HashMap<>(limits(9, 9, 9, 9));
            body.put(bad.getKey(), bad.getValue());
            assertRejected(plan, body, bad.getKey());
        }
        Map<String, Object> stored = planLimits(plan);
        assertEquals(1, stored.get("requests_per_minute"));
        assertEquals(3_600, stored.get("cache_max_ttl_seconds"));
        assertEquals(1_048_576, stored.get("cache_max_bytes"));
    }

    @Test
    void replacingAPlanChangesTheLookupsOfItsTenants() {
        String plan = uniquePlanName();
        putPlan(plan, 3, 30, 300, 3_000);
        String tenantId = asAdmin().body(Map.of("name", uniqueName("on-plan"), "plan", plan))
                .post("/admin/tenants").then().statusCode(201).extract().path("id");
        asAdmin().body(Map.of("overrides", Map.of("requests_per_day", 250))).patch("/admin/tenants/" + tenantId)
                .then().statusCode(200);
        String key = issueKey(tenantId, Map.of()).path("key");
        lookup(key).body("limits.requests_per_minute", is(3));

        putPlan(plan, 8, 80, 800, 8_000);

        lookup(key).statusCode(200)
                .body("plan", is(plan))
                .body("limits.requests_per_minute", is(8))
                .body("limits.requests_per_hour", is(80))
                // The tenant's override still wins over the plan.
                .body("limits.requests_per_day", is(250))
                .body("limits.tokens_per_day", is(8_000));
    }

    @Test
    void seedingFromConfigurationAddsMissingPlansAndKeepsChangedOnes() throws Throwable {
        String changed = uniquePlanName();
        String missing = uniquePlanName();
        putPlan(changed, 5, 50, 500, 5_000);

        // What start-up does with sluice.plans, here with defaults that differ from the stored plan.
        List<String> inserted = VertxContextSupport.subscribeAndAwait(() -> seeder.insertMissing(Map.of(
                changed, new Defaults(1, 1, 1, 1),
                missing, new Defaults(2, 20, 200, 2_000, 7_200, 4_096))));

        assertEquals(List.of(missing), inserted);
        assertEquals(5, planLimits(changed).get("requests_per_minute"));
        assertEquals(3_600, planLimits(changed).get("cache_max_ttl_seconds"));
        assertEquals(2, planLimits(missing).get("requests_per_minute"));
        assertEquals(2_000, planLimits(missing).get("tokens_per_day"));
        assertEquals(7_200, planLimits(missing).get("cache_max_ttl_seconds"));
        assertEquals(4_096, planLimits(missing).get("cache_max_bytes"));
    }

    @Test
    void invalidPlansAreRejectedByName() {
        String plan = uniquePlanName();
        assertRejected("pro_lower", limits(1, 1, 1, 1), "name");
        assertRejected("WITH-DASH", limits(1, 1, 1, 1), "name");
        assertRejected("P".repeat(41), limits(1, 1, 1, 1), "name");
        assertRejected(plan, limits(0, 1, 1, 1), "requests_per_minute");
        assertRejected(plan, limits(1, -1, 1, 1), "requests_per_hour");
        Map<String, Object> incomplete = new HashMap<>(limits(1, 1, 1, 1));
        incomplete.remove("tokens_per_day");
        assertRejected(plan, incomplete, "tokens_per_day");
        assertRejected(plan, Map.of("requests_per_minute", "x", "requests_per_hour", 1, "requests_per_day", 1,
                "tokens_per_day", 1), "requests_per_minute");

        List<String> names = asAdmin().get("/admin/plans").then().extract().path("data.name");
        assertFalse(names.contains(plan), "a rejected plan must leave nothing behind");
    }

    @Test
    void updatedAtRecordsTheLastChange() {
        String plan = uniquePlanName();
        putPlan(plan, 1, 1, 1, 1);
        Instant first = Instant.parse((String) planLimits(plan).get("updated_at"));

        putPlan(plan, 2, 2, 2, 2);

        assertTrue(Instant.parse((String) planLimits(plan).get("updated_at")).isAfter(first));
    }

    private static void assertRejected(String name, Map<String, ?> body, String param) {
        asAdmin().body(body).put("/admin/plans/" + name).then()
                .statusCode(400)
                .body("error.type", is("invalid_request_error"))
                .body("error.param", is(param));
    }

    private static Map<String, Object> limits(long rpm, long rph, long rpd, long tpd) {
        return Map.of("requests_per_minute", rpm, "requests_per_hour", rph, "requests_per_day", rpd,
                "tokens_per_day", tpd);
    }

    record Defaults(long requestsPerMinute, long requestsPerHour, long requestsPerDay, long tokensPerDay,
            long cacheMaxTtlSeconds, long cacheMaxBytes) implements PlansConfig.PlanLimits {

        Defaults(long requestsPerMinute, long requestsPerHour, long requestsPerDay, long tokensPerDay) {
            this(requestsPerMinute, requestsPerHour, requestsPerDay, tokensPerDay, 3_600, 1 << 20);
        }

        @Override
        public OptionalInt memoryMaxItems() {
            return OptionalInt.empty();
        }

        @Override
        public OptionalInt memoryRetentionDays() {
            return OptionalInt.empty();
        }
    }
}
