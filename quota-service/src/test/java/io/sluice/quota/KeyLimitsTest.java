package io.sluice.quota;

import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.createTenant;
import static io.sluice.quota.AdminRequests.issueKey;
import static io.sluice.quota.AdminRequests.lookup;
import static io.sluice.quota.AdminRequests.planLimits;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/** A key's own limits, on top of its tenant's: set at issue, listed, changed, and handed to the gateway. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class KeyLimitsTest {

    @Test
    void limitsGivenAtIssueAreShownListedAndLookedUp() {
        Map<String, Object> pro = planLimits("PRO");
        String tenantId = createTenant("PRO");

        var issued = issueKey(tenantId, Map.of("name", "batch-job",
                "limits", Map.of("requests_per_minute", 5, "tokens_per_day", 10_000)));

        issued.response().then()
                .body("limits.requests_per_minute", is(5))
                .body("limits.requests_per_hour", nullValue())
                .body("limits.tokens_per_day", is(10_000));
        asAdmin().get("/admin/tenants/" + tenantId + "/keys").then()
                .body("data[0].limits.requests_per_minute", is(5))
                .body("data[0].limits.requests_per_day", nullValue())
                .body("data[0].limits.tokens_per_day", is(10_000));
        lookup(issued.path("key")).statusCode(200)
                .body("key_limits.requests_per_minute", is(5))
                .body("key_limits.requests_per_hour", nullValue())
                .body("key_limits.requests_per_day", nullValue())
                .body("key_limits.tokens_per_day", is(10_000))
                // The key's limits add to the tenant's; they do not replace them.
                .body("limits.requests_per_minute", is(pro.get("requests_per_minute")));
    }

    @Test
    void keysWithoutLimitsHaveNone() {
        var issued = issueKey(createTenant("FREE"), Map.of());

        issued.response().then().body("limits.requests_per_minute", nullValue());
        lookup(issued.path("key")).body("key_limits.requests_per_minute", nullValue())
                .body("key_limits.tokens_per_day", nullValue());
    }

    @Test
    void patchSetsAndRemovesSingleLimits() {
        String tenantId = createTenant("BASIC");
        var issued = issueKey(tenantId, Map.of("limits", Map.of("requests_per_minute", 5, "requests_per_day", 50)));
        String keyId = issued.path("id");

        Map<String, Object> change = new HashMap<>();
        change.put("requests_per_minute", null);
        change.put("requests_per_hour", 20);
        asAdmin().body(Map.of("limits", change)).patch("/admin/keys/" + keyId).then()
                .statusCode(200)
                .body("id", is(keyId))
                .body("limits.requests_per_minute", nullValue())
                .body("limits.requests_per_hour", is(20))
                .body("limits.requests_per_day", is(50));

        lookup(issued.path("key")).statusCode(200)
                .body("key_limits.requests_per_minute", nullValue())
                .body("key_limits.requests_per_hour", is(20))
                .body("key_limits.requests_per_day", is(50));
    }

    @Test
    void invalidLimitsAreRejectedByName() {
        String tenantId = createTenant("FREE");
        for (var bad : List.of(
                Map.entry(Map.of("requests_per_minute", 0), "limits.requests_per_minute"),
                Map.entry(Map.of("requests_per_day", -1), "limits.requests_per_day"),
                Map.entry(Map.of("requests_per_fortnight", 3), "limits.requests_per_fortnight"),
                Map.entry(Map.of("tokens_per_day", "many"), "limits.tokens_per_day"))) {
            asAdmin().body(Map.of("limits", bad.getKey())).post("/admin/tenants/" + tenantId + "/keys").then()
                    .statusCode(400)
                    .body("error.type", is("invalid_request_error"))
                    .body("error.param", is(bad.getValue()));
        }
        // None of the rejected requests left a key behind.
        asAdmin().get("/admin/tenants/" + tenantId + "/keys").then().body("data.size()", is(0));

        String keyId = issueKey(tenantId, Map.of()).path("id");
        asAdmin().body(Map.of("limits", Map.of("tokens_per_day", 0))).patch("/admin/keys/" + keyId).then()
                .statusCode(400).body("error.param", is("limits.tokens_per_day"));
        asAdmin().body(Map.of()).patch("/admin/keys/" + keyId).then()
                .statusCode(400).body("error.param", is("limits"));
    }

    @Test
    void patchingAnUnknownKeyIsNotFound() {
        asAdmin().body(Map.of("limits", Map.of("requests_per_minute", 1)))
                .patch("/admin/keys/" + UUID.randomUUID()).then()
                .statusCode(404).body("error.code", is("not_found"));
    }
}
