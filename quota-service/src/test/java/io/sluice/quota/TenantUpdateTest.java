package io.sluice.quota;

import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.createTenant;
import static io.sluice.quota.AdminRequests.exactNumbers;
import static io.sluice.quota.AdminRequests.issueKey;
import static io.sluice.quota.AdminRequests.lookup;
import static io.sluice.quota.AdminRequests.planLimits;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/** PATCH /admin/tenants/{id}: plan, per-limit overrides and USD budgets, and what the gateway then receives. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class TenantUpdateTest {

    @Test
    void newTenantHasItsPlansLimitsAndNoOverridesOrBudgets() {
        Map<String, Object> pro = planLimits("PRO");
        String tenantId = createTenant("PRO");

        asAdmin().get("/admin/tenants/" + tenantId).then()
                .statusCode(200)
                .body("plan", is("PRO"))
                .body("overrides.requests_per_minute", nullValue())
                .body("overrides.tokens_per_day", nullValue())
                .body("budgets.daily_usd", nullValue())
                .body("budgets.monthly_usd", nullValue())
                .body("effective_limits.requests_per_minute", is(pro.get("requests_per_minute")))
                .body("effective_limits.requests_per_hour", is(pro.get("requests_per_hour")))
                .body("effective_limits.requests_per_day", is(pro.get("requests_per_day")))
                .body("effective_limits.tokens_per_day", is(pro.get("tokens_per_day")));
    }

    @Test
    void overridesReplaceSingleLimitsOfThePlanInTheLookup() {
        Map<String, Object> pro = planLimits("PRO");
        String tenantId = createTenant("PRO");
        String key = issueKey(tenantId, Map.of()).path("key");

        asAdmin().body(Map.of("overrides", Map.of("requests_per_minute", 7, "tokens_per_day", 123_456)))
                .patch("/admin/tenants/" + tenantId).then()
                .statusCode(200)
                .body("overrides.requests_per_minute", is(7))
                .body("overrides.requests_per_hour", nullValue())
                .body("overrides.tokens_per_day", is(123_456))
                .body("effective_limits.requests_per_minute", is(7))
                .body("effective_limits.requests_per_hour", is(pro.get("requests_per_hour")))
                .body("effective_limits.tokens_per_day", is(123_456));

        lookup(key).statusCode(200)
                .body("plan", is("PRO"))
                .body("limits.requests_per_minute", is(7))
                .body("limits.requests_per_hour", is(pro.get("requests_per_hour")))
                .body("limits.requests_per_day", is(pro.get("requests_per_day")))
                .body("limits.tokens_per_day", is(123_456));
    }

    @Test
    void nullRemovesOneOverrideAndLeavesTheOthers() {
        Map<String, Object> basic = planLimits("BASIC");
        String tenantId = createTenant("BASIC");
        String key = issueKey(tenantId, Map.of()).path("key");
        patch(tenantId, Map.of("overrides", Map.of("requests_per_minute", 3, "requests_per_day", 40)));

        Map<String, Object> removal = new HashMap<>();
        removal.put("requests_per_minute", null);
        patch(tenantId, Map.of("overrides", removal));

        asAdmin().get("/admin/tenants/" + tenantId).then()
                .body("overrides.requests_per_minute", nullValue())
                .body("overrides.requests_per_day", is(40))
                .body("effective_limits.requests_per_minute", is(basic.get("requests_per_minute")));
        lookup(key).body("limits.requests_per_minute", is(basic.get("requests_per_minute")))
                .body("limits.requests_per_day", is(40));
    }

    @Test
    void changingThePlanKeepsOverridesAndChangesTheLookup() {
        Map<String, Object> enterprise = planLimits("ENTERPRISE");
        String tenantId = createTenant("FREE");
        String key = issueKey(tenantId, Map.of()).path("key");
        patch(tenantId, Map.of("overrides", Map.of("requests_per_hour", 77)));

        // Any case names the plan, as at creation.
        asAdmin().body(Map.of("plan", "enterprise")).patch("/admin/tenants/" + tenantId).then()
                .statusCode(200)
                .body("plan", is("ENTERPRISE"))
                .body("overrides.requests_per_hour", is(77));

        lookup(key).body("plan", is("ENTERPRISE"))
                .body("limits.requests_per_minute", is(enterprise.get("requests_per_minute")))
                .body("limits.requests_per_hour", is(77));
    }

    @Test
    void budgetsAreSetShownAndHandedToTheGateway() {
        String tenantId = createTenant("PRO");
        String key = issueKey(tenantId, Map.of()).path("key");

        asAdmin().config(exactNumbers())
                .body(Map.of("budgets", Map.of("daily_usd", new BigDecimal("12.5"),
                        "monthly_usd", new BigDecimal("300.000001"))))
                .patch("/admin/tenants/" + tenantId).then()
                .statusCode(200)
                .body("budgets.daily_usd", comparesEqualTo(new BigDecimal("12.5")))
                .body("budgets.monthly_usd", comparesEqualTo(new BigDecimal("300.000001")));

        JsonPath grant = lookup(key).statusCode(200).extract()
                .jsonPath(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
        assertEquals(0, new BigDecimal("12.5").compareTo(grant.get("budgets.daily_usd")));
        assertEquals(0, new BigDecimal("300.000001").compareTo(grant.get("budgets.monthly_usd")));

        Map<String, Object> removal = new HashMap<>();
        removal.put("daily_usd", null);
        patch(tenantId, Map.of("budgets", removal));

        lookup(key).body("budgets.daily_usd", nullValue());
        asAdmin().config(exactNumbers()).get("/admin/tenants/" + tenantId).then()
                .body("budgets.daily_usd", nullValue())
                .body("budgets.monthly_usd", comparesEqualTo(new BigDecimal("300.000001")));
    }

    @Test
    void listingShowsEffectiveLimits() {
        String tenantId = createTenant("FREE");
        patch(tenantId, Map.of("overrides", Map.of("requests_per_day", 999)));

        asAdmin().get("/admin/tenants").then()
                .statusCode(200)
                .body("data.find { it.id == '" + tenantId + "' }.effective_limits.requests_per_day", is(999))
                .body("data.find { it.id == '" + tenantId + "' }.overrides.requests_per_day", is(999));
    }

    @Test
    void invalidValuesAreRejectedByNameAndChangeNothing() {
        String tenantId = createTenant("BASIC");
        patch(tenantId, Map.of("overrides", Map.of("requests_per_minute", 5)));

        assertRejected(tenantId, Map.of("plan", "GOLD"), "plan");
        assertRejected(tenantId, Map.of("plan", " "), "plan");
        assertRejected(tenantId, Map.of("overrides", Map.of("requests_per_minute", 0)),
                "overrides.requests_per_minute");
        assertRejected(tenantId, Map.of("overrides", Map.of("requests_per_hour", -5)), "overrides.requests_per_hour");
        assertRejected(tenantId, Map.of("overrides", Map.of("requests_per_second", 5)),
                "overrides.requests_per_second");
        assertRejected(tenantId, Map.of("overrides", Map.of("tokens_per_day", "lots")), "overrides.tokens_per_day");
        assertRejected(tenantId, Map.of("overrides", Map.of("tokens_per_day", 1.5)), "overrides.tokens_per_day");
        assertRejected(tenantId, Map.of("budgets", Map.of("daily_usd", -1)), "budgets.daily_usd");
        assertRejected(tenantId, Map.of("budgets", Map.of("daily_usd", 0)), "budgets.daily_usd");
        assertRejected(tenantId, Map.of("budgets", Map.of("monthly_usd", new BigDecimal("1.0000001"))),
                "budgets.monthly_usd");
        assertRejected(tenantId, Map.of("budgets", Map.of("monthly_usd", new BigDecimal("100000000"))),
                "budgets.monthly_usd");
        assertRejected(tenantId, Map.of("budgets", Map.of("weekly_usd", 5)), "budgets.weekly_usd");
        // A valid part does not slip through next to an invalid one.
        assertRejected(tenantId, Map.of("plan", "PRO", "overrides", Map.of("requests_per_day", 0)),
                "overrides.requests_per_day");

        asAdmin().get("/admin/tenants/" + tenantId).then()
                .body("plan", is("BASIC"))
                .body("overrides.requests_per_minute", is(5))
                .body("overrides.requests_per_hour", nullValue())
                .body("budgets.daily_usd", nullValue());
    }

    @Test
    void anEmptyPatchIsRejected() {
        asAdmin().body(Map.of()).patch("/admin/tenants/" + createTenant("FREE")).then()
                .statusCode(400)
                .body("error.type", is("invalid_request_error"));
    }

    @Test
    void patchingAnUnknownTenantIsNotFound() {
        asAdmin().body(Map.of("plan", "PRO")).patch("/admin/tenants/" + UUID.randomUUID()).then()
                .statusCode(404)
                .body("error.code", is("not_found"));
    }

    @Test
    void plansCreatedThroughTheApiCanBeChosen() {
        String plan = AdminRequests.uniquePlanName();
        AdminRequests.putPlan(plan, 4, 40, 400, 4_000);
        String tenantId = createTenant("FREE");

        patch(tenantId, Map.of("plan", plan));

        asAdmin().get("/admin/tenants").then()
                .body("data.plan", hasItem(plan));
        asAdmin().get("/admin/tenants/" + tenantId).then()
                .body("effective_limits.requests_per_minute", is(4))
                .body("effective_limits.tokens_per_day", is(4_000));
    }

    private static void patch(String tenantId, Map<String, ?> body) {
        asAdmin().body(body).patch("/admin/tenants/" + tenantId).then().statusCode(200);
    }

    private static void assertRejected(String tenantId, Map<String, ?> body, String param) {
        asAdmin().body(body).patch("/admin/tenants/" + tenantId).then()
                .statusCode(400)
                .body("error.type", is("invalid_request_error"))
                .body("error.param", is(param));
    }
}
