package io.sluice.orchestrator;

import static io.restassured.RestAssured.given;
import static io.sluice.orchestrator.SimFaults.ADMIN;
import static io.sluice.orchestrator.SimFaults.breakerState;
import static io.sluice.orchestrator.SimFaults.chat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testsupport.quarkus.ManagementInterface;

@QuarkusTest
class CircuitBreakerAdminTest extends SimProviderTest {

    @Test
    void listsOneBreakerPerDeployment() {
        given().header("Authorization", ADMIN).get("/admin/circuit-breakers").then().statusCode(200)
                .body("name", hasItems("deployment-sim-gpt-a", "deployment-sim-gpt-b", "deployment-sim-gpt-mini",
                        "deployment-sim-embed"))
                .body("find { it.deployment == 'sim-gpt-a' }.state", equalTo("CLOSED"))
                .body("find { it.deployment == 'sim-gpt-a' }.model", equalTo("sim-gpt"));
    }

    @Test
    void resetClosesAnOpenBreakerAndTheMetricFollows() {
        faults.rule("sim-gpt-a", "status=503");
        for (int i = 0; i < 5; i++) {
            chat("sim-gpt", false).then().statusCode(200);
        }
        assertEquals("OPEN", breakerState("sim-gpt-a"));
        given().get(ManagementInterface.url("/q/metrics")).then()
                .body(containsString("sluice_circuit_breaker_state{deployment=\"sim-gpt-a\"} 1.0"));

        faults.clearRules();
        given().header("Authorization", ADMIN).post("/admin/circuit-breakers/deployment-sim-gpt-a/reset").then()
                .statusCode(200).body("state", equalTo("CLOSED"));
        chat("sim-gpt", false).then().statusCode(200).header("x-sluice-deployment", "sim-gpt-a");
        given().get(ManagementInterface.url("/q/metrics")).then()
                .body(containsString("sluice_circuit_breaker_state{deployment=\"sim-gpt-a\"} 0.0"));
    }

    @Test
    void resetAllClosesEveryBreaker() {
        faults.rule("sim-gpt-mini", "status=500");
        for (int i = 0; i < 2; i++) {
            chat("sim-gpt-mini", false).then().statusCode(502);
        }
        assertEquals("OPEN", breakerState("sim-gpt-mini"));
        given().header("Authorization", ADMIN).post("/admin/circuit-breakers/reset-all").then().statusCode(200)
                .body("find { it.deployment == 'sim-gpt-mini' }.state", equalTo("CLOSED"));
    }

    @Test
    void unknownBreakerIsNotFound() {
        given().header("Authorization", ADMIN).get("/admin/circuit-breakers/nope").then().statusCode(404)
                .body("error.code", equalTo("circuit_breaker_not_found"));
        given().header("Authorization", ADMIN).post("/admin/circuit-breakers/nope/reset").then().statusCode(404);
    }

    @Test
    void adminApiNeedsTheAdminToken() {
        given().get("/admin/circuit-breakers").then().statusCode(401)
                .body("error.type", equalTo("authentication_error"));
        given().header("Authorization", "Bearer wrong").post("/admin/circuit-breakers/reset-all").then()
                .statusCode(401);
    }
}
