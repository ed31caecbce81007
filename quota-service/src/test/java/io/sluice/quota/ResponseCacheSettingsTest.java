package io.sluice.quota;

import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.createTenant;
import static io.sluice.quota.AdminRequests.issueKey;
import static io.sluice.quota.AdminRequests.lookup;
import static io.sluice.quota.AdminRequests.sha256Hex;
import static io.sluice.quota.AdminRequests.uniqueName;
import static io.sluice.quota.AdminRequests.uniquePlanName;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.sluice.contracts.KeyInvalidations;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/**
 * Response-cache settings of tenants and keys through the admin API, and the policy the gateway gets for a key
 * ({@code GET /internal/keys/{sha256}}): the key's setting, else the tenant's, else the default, field by field; the
 * TTL capped by the plan; the byte budget the plan's.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class ResponseCacheSettingsTest {
    private static final int MIB = 1 << 20;

    @Inject
    RedisDataSource redis;

    @Test
    void aTenantWithoutSettingsHasTheCacheOffByDefault() {
        String tenantId = createTenant("PRO");
        String key = issueKey(tenantId, Map.of()).path("key");

        asAdmin().get("/admin/tenants/" + tenantId).then().statusCode(200)
                .body("cache.mode", nullValue())
                .body("cache.ttl_seconds", nullValue())
                .body("cache.namespaces", nullValue())
                .body("effective_cache.mode", is("off"))
                .body("effective_cache.ttl_seconds", is(3_600))
                .body("effective_cache.namespaces", is("tenant"))
                .body("effective_cache.max_bytes", is(16 * MIB));
        lookup(key).statusCode(200)
                .body("cache.mode", is("off"))
                .body("cache.ttl_seconds", is(3_600))
                .body("cache.namespaces", is("tenant"))
                .body("cache.max_bytes", is(16 * MIB));
    }

    @Test
    void tenantSettingsRoundTripAndReachTheGrant() {
        String tenantId = createTenant("PRO");
        String key = issueKey(tenantId, Map.of()).path("key");

        patchTenant(tenantId, Map.of("mode", "exact", "ttl_seconds", 600, "namespaces", "key")).statusCode(200)
                .body("cache.mode", is("exact"))
                .body("cache.ttl_seconds", is(600))
                .body("cache.namespaces", is("key"))
                .body("effective_cache.mode", is("exact"))
                .body("effective_cache.ttl_seconds", is(600));
        asAdmin().get("/admin/tenants/" + tenantId).then()
                .body("cache.mode", is("exact"))
                .body("cache.ttl_seconds", is(600))
                .body("cache.namespaces", is("key"));
        lookup(key).statusCode(200)
                .body("cache.mode", is("exact"))
                .body("cache.ttl_seconds", is(600))
                .body("cache.namespaces", is("key"))
                .body("cache.max_bytes", is(16 * MIB));

        // A field set to null is unset (the default applies); an absent one stays.
        Map<String, Object> unsetTtl = new HashMap<>();
        unsetTtl.put("ttl_seconds", null);
        patchTenant(tenantId, unsetTtl).statusCode(200)
                .body("cache.mode", is("exact"))
                .body("cache.ttl_seconds", nullValue())
                .body("cache.namespaces", is("key"))
                .body("effective_cache.ttl_seconds", is(3_600));
        patchTenant(tenantId, Map.of("mode", "semantic")).statusCode(200)
                .body("cache.mode", is("semantic"))
                .body("cache.namespaces", is("key"));
        lookup(key).body("cache.mode", is("semantic")).body("cache.ttl_seconds", is(3_600));

        // The whole object null unsets every field.
        Map<String, Object> clear = new HashMap<>();
        clear.put("cache", null);
        asAdmin().body(clear).patch("/admin/tenants/" + tenantId).then().statusCode(200)
                .body("cache.mode", nullValue())
                .body("cache.namespaces", nullValue())
                .body("effective_cache.mode", is("off"));
        lookup(key).body("cache.mode", is("off")).body("cache.namespaces", is("tenant"));
    }

    @Test
    void aTenantMayBeCreatedWithSettings() {
        asAdmin().body(Map.of("name", uniqueName("cached"), "plan", "BASIC", "cache", Map.of("mode", "exact")))
                .post("/admin/tenants").then().statusCode(201)
                .body("cache.mode", is("exact"))
                .body("cache.ttl_seconds", nullValue())
                .body("effective_cache.mode", is("exact"))
                .body("effective_cache.ttl_seconds", is(3_600))
                .body("effective_cache.max_bytes", is(4 * MIB));
    }

    @Test
    void aKeysSettingOverridesItsTenantsFieldByFieldAndNullInherits() {
        String tenantId = createTenant("ENTERPRISE");
        patchTenant(tenantId, Map.of("mode", "exact", "ttl_seconds", 900)).statusCode(200);
        var own = issueKey(tenantId, Map.of("cache", Map.of("namespaces", "key", "ttl_seconds", 60)));
        var plain = issueKey(tenantId, Map.of());

        own.response().then().body("cache.namespaces", is("key")).body("cache.mode", nullValue());
        lookup(own.path("key")).statusCode(200)
                .body("cache.mode", is("exact"))
                .body("cache.ttl_seconds", is(60))
                .body("cache.namespaces", is("key"))
                .body("cache.max_bytes", is(64 * MIB));
        lookup(plain.path("key")).statusCode(200)
                .body("cache.mode", is("exact"))
                .body("cache.ttl_seconds", is(900))
                .body("cache.namespaces", is("tenant"));

        // The key switches the cache off for itself alone.
        asAdmin().body(Map.of("cache", Map.of("mode", "off"))).patch("/admin/keys/" + own.path("id")).then()
                .statusCode(200)
                .body("cache.mode", is("off"))
                .body("cache.ttl_seconds", is(60))
                .body("cache.namespaces", is("key"));
        lookup(own.path("key")).body("cache.mode", is("off"));
        lookup(plain.path("key")).body("cache.mode", is("exact"));

        // A later tenant change reaches the fields the key does not set.
        patchTenant(tenantId, Map.of("namespaces", "none", "ttl_seconds", 1_200)).statusCode(200);
        lookup(own.path("key")).body("cache.ttl_seconds", is(60)).body("cache.namespaces", is("key"));
        lookup(plain.path("key")).body("cache.ttl_seconds", is(1_200)).body("cache.namespaces", is("none"));

        // Cleared, the key inherits everything again.
        Map<String, Object> clear = new HashMap<>();
        clear.put("cache", null);
        asAdmin().body(clear).patch("/admin/keys/" + own.path("id")).then().statusCode(200)
                .body("cache.mode", nullValue())
                .body("cache.ttl_seconds", nullValue())
                .body("cache.namespaces", nullValue());
        lookup(own.path("key")).statusCode(200)
                .body("cache.mode", is("exact"))
                .body("cache.ttl_seconds", is(1_200))
                .body("cache.namespaces", is("none"));
        asAdmin().get("/admin/tenants/" + tenantId + "/keys").then()
                .body("data.find { it.id == '" + own.path("id") + "' }.cache.mode", nullValue());
    }

    @Test
    void theTtlIsCappedByThePlanAndTheByteBudgetIsThePlans() {
        String plan = uniquePlanName();
        putPlanWithCaps(plan, 300, 5_000);
        String tenantId = createTenant(plan);
        patchTenant(tenantId, Map.of("mode", "exact", "ttl_seconds", 3_600)).statusCode(200)
                // The tenant's own setting is kept as asked; what is in effect is capped.
                .body("cache.ttl_seconds", is(3_600))
                .body("effective_cache.ttl_seconds", is(300))
                .body("effective_cache.max_bytes", is(5_000));
        var longer = issueKey(tenantId, Map.of());
        var shorter = issueKey(tenantId, Map.of("cache", Map.of("ttl_seconds", 100)));

        lookup(longer.path("key")).body("cache.ttl_seconds", is(300)).body("cache.max_bytes", is(5_000));
        lookup(shorter.path("key")).body("cache.ttl_seconds", is(100));

        try (InvalidationListener gateway = new InvalidationListener(redis)) {
            // A plan without a byte budget keeps the cache off whatever its tenants set.
            putPlanWithCaps(plan, 50, 0);
            assertEquals(List.of(KeyInvalidations.forPlan(plan)), gateway.awaitMessages(1));
        }
        lookup(longer.path("key")).statusCode(200)
                .body("cache.mode", is("off"))
                .body("cache.ttl_seconds", is(50))
                .body("cache.max_bytes", is(0));
        lookup(shorter.path("key")).body("cache.ttl_seconds", is(50));
    }

    @Test
    void rotationKeepsTheKeysSettings() {
        String tenantId = createTenant("PRO");
        var issued = issueKey(tenantId, Map.of("cache", Map.of("mode", "semantic", "namespaces", "key")));

        String replacement = asAdmin().body(Map.of("grace_seconds", 60))
                .post("/admin/keys/" + issued.path("id") + "/rotate").then().statusCode(201)
                .body("cache.mode", is("semantic"))
                .extract().path("key");

        lookup(replacement).statusCode(200).body("cache.mode", is("semantic")).body("cache.namespaces", is("key"));
    }

    @Test
    void invalidSettingsAreRejectedByNameAndChangeNothing() {
        String tenantId = createTenant("PRO");
        patchTenant(tenantId, Map.of("mode", "exact", "ttl_seconds", 600, "namespaces", "key")).statusCode(200);
        var issued = issueKey(tenantId, Map.of("cache", Map.of("mode", "off")));
        String keyId = issued.path("id");

        try (InvalidationListener gateway = new InvalidationListener(redis)) {
            for (var bad : invalidSettings()) {
                // Sent with a valid change beside it, which must not be applied either.
                Map<String, Object> tenantBody = Map.of("overrides", Map.of("requests_per_minute", 1),
                        "cache", bad.getKey());
                asAdmin().body(tenantBody).patch("/admin/tenants/" + tenantId).then()
                        .statusCode(400)
                        .body("error.type", is("invalid_request_error"))
                        .body("error.param", is(bad.getValue()));
                Map<String, Object> keyBody = Map.of("limits", Map.of("requests_per_minute", 1), "cache", bad.getKey());
                asAdmin().body(keyBody).patch("/admin/keys/" + keyId).then()
                        .statusCode(400)
                        .body("error.param", is(bad.getValue()));
                asAdmin().body(Map.of("cache", bad.getKey())).post("/admin/tenants/" + tenantId + "/keys").then()
                        .statusCode(400)
                        .body("error.param", is(bad.getValue()));
                asAdmin().body(Map.of("name", uniqueName("rejected"), "plan", "PRO", "cache", bad.getKey()))
                        .post("/admin/tenants").then()
                        .statusCode(400)
                        .body("error.param", is(bad.getValue()));
            }
            // A later announcement arrives, so anything a rejected call had published would have arrived before it.
            asAdmin().delete("/admin/keys/" + keyId).then().statusCode(204);
            assertEquals(List.of(KeyInvalidations.forKeyHash(sha256Hex(issued.path("key")))),
                    gateway.awaitMessages(1));
        }

        asAdmin().get("/admin/tenants/" + tenantId).then()
                .body("overrides.requests_per_minute", nullValue())
                .body("cache.mode", is("exact"))
                .body("cache.ttl_seconds", is(600))
                .body("cache.namespaces", is("key"));
        asAdmin().get("/admin/tenants/" + tenantId + "/keys").then()
                .body("data.size()", is(1))
                .body("data[0].limits.requests_per_minute", nullValue())
                .body("data[0].cache.mode", is("off"))
                .body("data[0].cache.ttl_seconds", nullValue());
    }

    @Test
    void changesAreAnnouncedToTheGateways() {
        String tenantId = createTenant("BASIC");
        var issued = issueKey(tenantId, Map.of());

        try (InvalidationListener gateway = new InvalidationListener(redis)) {
            patchTenant(tenantId, Map.of("mode", "exact")).statusCode(200);
            asAdmin().body(Map.of("cache", Map.of("ttl_seconds", 30))).patch("/admin/keys/" + issued.path("id"))
                    .then().statusCode(200);

            assertEquals(List.of(KeyInvalidations.forTenant(tenantId),
                    KeyInvalidations.forKeyHash(sha256Hex(issued.path("key")))), gateway.awaitMessages(2));
        }
    }

    /** Cache objects that must be refused, each with the param the error names. */
    private static List<Map.Entry<Object, String>> invalidSettings() {
        return List.of(
                Map.entry(Map.of("mode", "fuzzy"), "cache.mode"),
                Map.entry(Map.of("mode", "EXACT"), "cache.mode"),
                Map.entry(Map.of("mode", 1), "cache.mode"),
                Map.entry(Map.of("ttl_seconds", 0), "cache.ttl_seconds"),
                Map.entry(Map.of("ttl_seconds", 604_801), "cache.ttl_seconds"),
                Map.entry(Map.of("ttl_seconds", -5), "cache.ttl_seconds"),
                Map.entry(Map.of("ttl_seconds", 1.5), "cache.ttl_seconds"),
                Map.entry(Map.of("ttl_seconds", "60"), "cache.ttl_seconds"),
                Map.entry(Map.of("ttl_seconds", new BigInteger("100000000000000000000")), "cache.ttl_seconds"),
                Map.entry(Map.of("namespaces", "global"), "cache.namespaces"),
                Map.entry(Map.of("namespaces", true), "cache.namespaces"),
                Map.entry(Map.of("mode", "exact", "max_bytes", 10), "cache.max_bytes"),
                Map.entry("exact", "cache"),
                Map.entry(List.of("exact"), "cache"));
    }

    private static ValidatableResponse patchTenant(String tenantId, Map<String, Object> cache) {
        return asAdmin().body(Map.of("cache", cache)).patch("/admin/tenants/" + tenantId).then();
    }

    private static void putPlanWithCaps(String plan, long maxTtlSeconds, long maxBytes) {
        Map<String, Object> body = new HashMap<>(Map.of("requests_per_minute", 10, "requests_per_hour", 100,
                "requests_per_day", 1_000, "tokens_per_day", 10_000));
        body.put("cache_max_ttl_seconds", maxTtlSeconds);
        body.put("cache_max_bytes", maxBytes);
        asAdmin().body(body).put("/admin/plans/" + plan).then().statusCode(anyOf(is(200), is(201)));
    }
}
