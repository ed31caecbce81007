package io.sluice.telemetry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testsupport.quarkus.ManagementInterface;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;

/** What Kubernetes probes, Prometheus scrapes and API tooling read. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ServiceEndpointsTest {

    @Test
    void livenessIsUp() {
        given().get(ManagementInterface.url("/q/health/live"))
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void readinessChecksRedisAndPostgres() {
        given().get(ManagementInterface.url("/q/health/ready"))
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Redis connection health check",
                        "Reactive PostgreSQL connections health check"))
                .body("checks.find { it.name == 'Redis connection health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status",
                        equalTo("UP"));
    }

    @Test
    void metricsExportTheLedgerSeries() {
        given().accept("text/plain").get(ManagementInterface.url("/q/metrics"))
                .then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("sluice_usage_events_persisted_total"))
                .body(containsString("sluice_usage_events_duplicate_total"))
                .body(containsString("sluice_usage_events_invalid_total"))
                .body(containsString("sluice_usage_ledger_pending"));
    }

    @Test
    void openApiDescribesTheUsageLookup() {
        given().queryParam("format", "json").get(ManagementInterface.url("/q/openapi"))
                .then().statusCode(200)
                .body("paths.keySet()", hasItem("/internal/usage/{requestId}"))
                .body("paths.'/internal/usage/{requestId}'.get.responses.keySet()", hasItems("200", "404"))
                .body("components.schemas.UsageRecordResponse.properties.keySet()",
                        hasItems("request_id", "tenant_id", "prompt_tokens", "completion_tokens", "created_at"));
    }
}
