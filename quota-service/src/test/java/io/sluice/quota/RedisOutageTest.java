package io.sluice.quota;

import static io.restassured.RestAssured.given;
import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.quota.AdminRequests.createTenant;
import static io.sluice.quota.AdminRequests.issueKey;
import static io.sluice.quota.AdminRequests.lookup;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.ManagementInterface;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedRedisStore;

/**
 * With Redis down, quota-service stays ready and keeps answering key lookups and admin changes; only the quota and
 * response-cache views fail (503 with Retry-After), and missed invalidations are counted.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class RedisOutageTest {
    static final String REDIS_CHECK = "checks.find { it.name.startsWith('Redis') }";

    @InjectStore
    EmbeddedRedisStore redis;

    @Test
    void adminChangesAndLookupsWorkWhileRedisIsDown() {
        String tenantId = createTenant("FREE");
        var revoked = issueKey(tenantId, Map.of());
        var kept = issueKey(tenantId, Map.of());
        double failedBefore = PlatformEndpointsTest.metricValue("sluice_key_invalidations_failed_total");

        redis.stopServer();
        try {
            asAdmin().delete("/admin/keys/" + revoked.path("id")).then().statusCode(204);
            asAdmin().body(Map.of("overrides", Map.of("requests_per_minute", 3)))
                    .patch("/admin/tenants/" + tenantId).then().statusCode(200);

            lookup(revoked.path("key")).statusCode(404);
            lookup(kept.path("key")).statusCode(200).body("limits.requests_per_minute", is(3));
            assertEquals(failedBefore + 2,
                    PlatformEndpointsTest.metricValue("sluice_key_invalidations_failed_total"));
            given().get(ManagementInterface.url("/q/health/ready")).then()
                    .statusCode(200)
                    .body("status", is("UP"))
                    .body(REDIS_CHECK + ".status", is("UP"))
                    .body(REDIS_CHECK + ".data.reachable", is(false));
            asAdmin().get("/admin/quotas/" + tenantId).then()
                    .statusCode(503)
                    .header("Retry-After", "5")
                    .body("error.type", is("server_error"))
                    .body("error.code", is("quota_store_unavailable"));
            asAdmin().get("/admin/cache/" + tenantId).then()
                    .statusCode(503)
                    .header("Retry-After", "5")
                    .body("error.type", is("server_error"))
                    .body("error.code", is("cache_store_unavailable"));
            asAdmin().delete("/admin/cache/" + tenantId).then()
                    .statusCode(503)
                    .header("Retry-After", "5")
                    .body("error.code", is("cache_store_unavailable"));
        } finally {
            redis.startServer();
        }

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get(ManagementInterface.url("/q/health/ready")).then()
                .body(REDIS_CHECK + ".data.reachable", is(true)));
        asAdmin().get("/admin/quotas/" + tenantId).then().statusCode(200);
        asAdmin().get("/admin/cache/" + tenantId).then().statusCode(200);
    }
}
