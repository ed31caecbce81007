package io.sluice.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sluice.testsupport.quarkus.ManagementInterface;
import io.sluice.testsupport.quarkus.RedisTestResource;

/** The gateway on its own: real Redis, no quota-service or orchestrator reachable. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class GatewayTest {

    @Test
    void liveButNotReadyWithoutItsDownstreamServices() {
        given().get(ManagementInterface.url("/q/health/live")).then().statusCode(200).body("status", equalTo("UP"));
        given().get(ManagementInterface.url("/q/health/ready")).then().statusCode(503)
                .body("checks.find { it.name == 'downstream-services' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'downstream-services' }.data.'quota-service'", equalTo("DOWN"))
                .body("checks.find { it.name == 'quota-store' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'quota-store' }.data.mode", equalTo("redis"));
    }

    @Test
    void metricsAndOpenApiAreServed() {
        given().get(ManagementInterface.url("/q/metrics")).then().statusCode(200)
                .body(containsString("sluice_quota_degraded_decisions_total"))
                .body(containsString("sluice_quota_degraded "))
                .body(containsString("sluice_quota_block_decisions_total"));
        given().get(ManagementInterface.url("/q/openapi")).then().statusCode(200);
    }

    @Test
    void healthMetricsAndOpenApiAreNotOnThePublicPort() {
        // The public port is what the Ingress publishes; /q lives on the management port only.
        for (String path : new String[] { "/q/health/ready", "/q/metrics", "/q/openapi" }) {
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void requestWithoutKeyIsRefusedInOpenAiFormat() {
        given().contentType(ContentType.JSON).body("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions")
                .then().statusCode(401)
                .header("x-request-id", org.hamcrest.Matchers.startsWith("req_"))
                .body("error.type", equalTo("authentication_error"))
                .body("error.code", equalTo("invalid_api_key"));
    }

    @Test
    void keyThatCannotBeVerifiedGivesRetryable503NotAnAdmission() {
        given().header("authorization", "Bearer " + TestKeys.wellFormed()).contentType(ContentType.JSON)
                .body("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions")
                .then().statusCode(503)
                .header("retry-after", "1")
                .body("error.code", equalTo("auth_unavailable"));
    }

    @Test
    void aKeyThatCannotBeASluiceKeyIsRefusedWithoutALookup() {
        // quota-service is down here: a lookup would have answered 503.
        given().header("authorization", "Bearer sk-sluice-any").contentType(ContentType.JSON)
                .body("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions")
                .then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"));
    }
}
