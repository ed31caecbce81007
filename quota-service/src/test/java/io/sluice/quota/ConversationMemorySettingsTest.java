package io.sluice.quota;

import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.createTenant;
import static io.sluice.quota.AdminRequests.issueKey;
import static io.sluice.quota.AdminRequests.lookup;
import static io.sluice.quota.AdminRequests.planLimits;
import static io.sluice.quota.AdminRequests.putPlan;
import static io.sluice.quota.AdminRequests.uniqueName;
import static io.sluice.quota.AdminRequests.uniquePlanName;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/**
 * The conversation-memory policy (Responses and Conversations APIs): plans hold it, a tenant may override each field,
 * and the gateway gets the resolved policy in the key grant ({@code memory}), which it passes to the orchestrator.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class ConversationMemorySettingsTest {

    @Test
    void everySeededPlanKeepsAHundredItemsForThirtyDays() {
        for (String plan : List.of("FREE", "BASIC", "PRO", "ENTERPRISE")) {
            assertEquals(100, planLimits(plan).get("memory_max_items"), plan);
            assertEquals(30, planLimits(plan).get("memory_retention_days"), plan);
        }
        String tenantId = createTenant("FREE");
        String key = issueKey(tenantId, Map.of()).path("key");

        asAdmin().get("/admin/tenants/" + tenantId).then().statusCode(200)
                .body("memory.max_items", nullValue())
                .body("memory.retention_days", nullValue())
                .body("effective_memory.max_items", is(100))
                .body("effective_memory.retention_days", is(30));
        lookup(key).statusCode(200)
                .body("memory.max_items", is(100))
                .body("memory.retention_days", is(30));
    }

    @Test
    void aTenantsOverrideReachesTheKeyLookupAndNullGivesThePlansBack() {
        String tenantId = createTenant("PRO");
        String key = issueKey(tenantId, Map.of()).path("key");

        patchMemory(tenantId, Map.of("max_items", 50)).statusCode(200)
                .body("memory.max_items", is(50))
                .body("memory.retention_days", nullValue())
                .body("effective_memory.max_items", is(50))
                .body("effective_memory.retention_days", is(30));
        lookup(key).statusCode(200)
                .body("memory.max_items", is(50))
                .body("memory.retention_days", is(30));

        patchMemory(tenantId, Map.of("retention_days", 7)).statusCode(200)
                .body("memory.max_items", is(50))
                .body("memory.retention_days", is(7));
        lookup(key).body("memory.max_items", is(50)).body("memory.retention_days", is(7));

        // A field set to null is unset; the whole object null unsets both.
        Map<String, Object> unsetItems = new HashMap<>();
        unsetItems.put("max_items", null);
        patchMemory(tenantId, unsetItems).statusCode(200)
                .body("memory.max_items", nullValue())
                .body("effective_memory.max_items", is(100))
                .body("effective_memory.retention_days", is(7));
        Map<String, Object> clear = new HashMap<>();
        clear.put("memory", null);
        asAdmin().body(clear).patch("/admin/tenants/" + tenantId).then().statusCode(200)
                .body("memory.retention_days", nullValue())
                .body("effective_memory.retention_days", is(30));
        lookup(key).body("memory.max_items", is(100)).body("memory.retention_days", is(30));
    }

    @Test
    void aTenantMayBeCreatedWithAnOverride() {
        asAdmin().body(Map.of("name", uniqueName("remembering"), "plan", "BASIC", "memory",
                Map.of("max_items", 500, "retention_days", 90)))
                .post("/admin/tenants").then().statusCode(201)
                .body("memory.max_items", is(500))
                .body("effective_memory.max_items", is(500))
                .body("effective_memory.retention_days", is(90));
    }

    @Test
    void aPlansPolicyReachesItsTenantsExceptWhereTheyOverrideIt() {
        String plan = uniquePlanName();
        putPlan(plan, 10, 100, 1_000, 10_000);
        assertEquals(100, planLimits(plan).get("memory_max_items"));
        String plain = createTenant(plan);
        String overriding = createTenant(plan);
        patchMemory(overriding, Map.of("max_items", 20)).statusCode(200);
        String plainKey = issueKey(plain, Map.of()).path("key");
        String overridingKey = issueKey(overriding, Map.of()).path("key");

        putPlanWithMemory(plan, Map.of("memory_max_items", 300, "memory_retention_days", 60)).statusCode(200)
                .body("memory_max_items", is(300))
                .body("memory_retention_days", is(60));
        lookup(plainKey).body("memory.max_items", is(300)).body("memory.retention_days", is(60));
        lookup(overridingKey).body("memory.max_items", is(20)).body("memory.retention_days", is(60));

        // A PUT that omits the policy keeps it.
        putPlan(plan, 11, 110, 1_100, 11_000);
        assertEquals(300, planLimits(plan).get("memory_max_items"));
        assertEquals(60, planLimits(plan).get("memory_retention_days"));
    }

    @Test
    void outOfBoundsValuesAreRejectedByNameAndChangeNothing() {
        String tenantId = createTenant("PRO");
        patchMemory(tenantId, Map.of("max_items", 40)).statusCode(200);
        for (var bad : List.<Map.Entry<Object, String>> of(
                Map.entry(Map.of("max_items", 0), "memory.max_items"),
                Map.entry(Map.of("max_items", 10_001), "memory.max_items"),
                Map.entry(Map.of("max_items", 1.5), "memory.max_items"),
                Map.entry(Map.of("max_items", "many"), "memory.max_items"),
                Map.entry(Map.of("max_items", Long.MAX_VALUE), "memory.max_items"),
                Map.entry(Map.of("retention_days", 0), "memory.retention_days"),
                Map.entry(Map.of("retention_days", 3_651), "memory.retention_days"),
                Map.entry(Map.of("ttl", 1), "memory.ttl"),
                Map.entry("forever", "memory"))) {
            // Sent with a valid change beside it, which must not be applied either.
            asAdmin().body(Map.of("overrides", Map.of("requests_per_minute", 1), "memory", bad.getKey()))
                    .patch("/admin/tenants/" + tenantId).then()
                    .statusCode(400)
                    .body("error.type", is("invalid_request_error"))
                    .body("error.param", is(bad.getValue()));
            asAdmin().body(Map.of("name", uniqueName("rejected"), "plan", "PRO", "memory", bad.getKey()))
                    .post("/admin/tenants").then()
                    .statusCode(400)
                    .body("error.param", is(bad.getValue()));
        }
        asAdmin().get("/admin/tenants/" + tenantId).then().statusCode(200)
                .body("memory.max_items", is(40))
                .body("overrides.requests_per_minute", nullValue());

        String plan = uniquePlanName();
        putPlan(plan, 1, 1, 1, 1);
        for (var bad : List.<Map.Entry<String, Object>> of(
                Map.entry("memory_max_items", 0),
                Map.entry("memory_max_items", 10_001),
                Map.entry("memory_max_items", 2.5),
                Map.entry("memory_retention_days", -1),
                Map.entry("memory_retention_days", 3_651),
                Map.entry("memory_retention_days", "long"))) {
            putPlanWithMemory(plan, Map.of(bad.getKey(), bad.getValue())).statusCode(400)
                    .body("error.type", is("invalid_request_error"))
                    .body("error.param", is(bad.getKey()));
        }
        assertEquals(100, planLimits(plan).get("memory_max_items"));
        assertEquals(30, planLimits(plan).get("memory_retention_days"));
    }

    private static ValidatableResponse patchMemory(String tenantId, Map<String, Object> memory) {
        return asAdmin().body(Map.of("memory", memory)).patch("/admin/tenants/" + tenantId).then();
    }

    private static ValidatableResponse putPlanWithMemory(String plan, Map<String, Object> memory) {
        Map<String, Object> body = new HashMap<>(Map.of("requests_per_minute", 10, "requests_per_hour", 100,
                "requests_per_day", 1_000, "tokens_per_day", 10_000));
        body.putAll(memory);
        return asAdmin().body(body).put("/admin/plans/" + plan).then();
    }
}
