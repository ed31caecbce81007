package io.sluice.quota;

import static io.restassured.RestAssured.given;
import static io.sluice.quota.AdminRequests.asAdmin;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testsupport.quarkus.ManagementInterface;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/** The operational endpoints Kubernetes and Prometheus rely on. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class PlatformEndpointsTest {

    @Test
    void healthMetricsAndOpenApiAreNotServedOnTheServicePort() {
        // Whoever reaches the service port (the gateway, operators' tools) does not reach /q: it is on the
        // management port, which the NetworkPolicies open to Prometheus only.
        for (String path : new String[] { "/q/health/ready", "/q/health/live", "/q/metrics", "/q/openapi" }) {
            given().get(path).then().statusCode(404);
        }
        given().get(ManagementInterface.url("/q/health/ready")).then().statusCode(200);
    }

    @Test
    void livenessIsUp() {
        given().get(ManagementInterface.url("/q/health/live")).then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void readinessChecksPostgresqlAndReportsRedis() {
        given().get(ManagementInterface.url("/q/health/ready")).then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status", is("UP"))
                // Reported, not gated on: see RedisOutageTest.
                .body(RedisOutageTest.REDIS_CHECK + ".data.reachable", is(true));
    }

    @Test
    void metricsExportServedRequests() {
        asAdmin().get("/admin/tenants").then().statusCode(200);

        String metrics = given().get(ManagementInterface.url("/q/metrics")).then().statusCode(200).extract().asString();

        assertTrue(Arrays.stream(metrics.split("\n")).anyMatch(line ->
                line.startsWith("http_server_requests_seconds_count{") && line.contains("uri=\"/admin/tenants\"")),
                "Prometheus output lacks http_server_requests_seconds_count for /admin/tenants");
    }

    @Test
    void metricsCountPublishedInvalidations() {
        double before = metricValue("sluice_key_invalidations_published_total");
        String keyId = AdminRequests.issueKey(AdminRequests.createTenant("FREE"), Map.of()).path("id");

        asAdmin().delete("/admin/keys/" + keyId).then().statusCode(204);

        assertEquals(before + 1, metricValue("sluice_key_invalidations_published_total"));
        // Registered up front, so that an alert on it has a series before the first failure.
        metricValue("sluice_key_invalidations_failed_total");
    }

    @Test
    void keyLookupsAreLabelledByRouteTemplateNotByHash() {
        String hash = "ab".repeat(32);
        asGateway().get("/internal/keys/" + hash).then().statusCode(404);

        String metrics = given().get(ManagementInterface.url("/q/metrics")).then().statusCode(200).extract().asString();

        assertTrue(metrics.contains("uri=\"/internal/keys/{sha256}\""), "lookup requests are not in the metrics");
        assertFalse(metrics.contains(hash), "a key hash became a metric label");
    }

    @Test
    void openApiDescribesTheAdminAndInternalApis() {
        given().accept("application/json").get(ManagementInterface.url("/q/openapi?format=json")).then()
                .statusCode(200)
                .body("paths.'/admin/tenants'.post", notNullValue())
                .body("paths.'/admin/tenants/{id}/keys'.post", notNullValue())
                .body("paths.'/internal/keys/{sha256}'.get", notNullValue())
                .body("paths.keySet()", hasItem("/admin/keys/{id}"))
                .body("paths.'/admin/keys/{id}'.patch", notNullValue())
                .body("paths.'/admin/keys/{id}/rotate'.post", notNullValue())
                .body("paths.'/admin/tenants/{id}'.patch", notNullValue())
                .body("paths.'/admin/plans'.get", notNullValue())
                .body("paths.'/admin/plans/{name}'.put", notNullValue())
                .body("paths.'/admin/quotas/{tenant}'.get", notNullValue())
                .body("paths.'/admin/quotas/{tenant}/reset'.post", notNullValue());
    }

    /** The value of an untagged counter in the Prometheus output; fails if it is not exported. */
    static double metricValue(String name) {
        String metrics = given().get(ManagementInterface.url("/q/metrics")).then().statusCode(200).extract().asString();
        return Arrays.stream(metrics.split("\n"))
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("Prometheus output lacks " + name));
    }
}
