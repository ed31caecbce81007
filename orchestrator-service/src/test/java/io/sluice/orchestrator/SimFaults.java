package io.sluice.orchestrator;

import static io.restassured.RestAssured.given;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.util.Arrays;
import java.util.List;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sluice.sim.SimProvider;

/** Test-side access to sim-provider's fault rules and counters, and to the orchestrator's endpoints. */
final class SimFaults {
    static final String ADMIN = "Bearer test-admin-token";

    private final SimProvider sim;

    SimFaults(SimProvider sim) {
        this.sim = sim;
    }

    void rule(String upstreamModel, String directives) {
        rule(upstreamModel, directives, 0);
    }

    /** {@code times} 0 means the rule never expires. */
    void rule(String upstreamModel, String directives, int times) {
        String json = "{\"model\":\"" + upstreamModel + "\",\"directives\":\"" + directives + "\""
                + (times > 0 ? ",\"times\":" + times : "") + "}";
        given().contentType(ContentType.JSON).body(json).post(sim.baseUrl() + "/sim/rules").then().statusCode(201);
    }

    /** Clears rules and counters, and closes every breaker, so that tests do not see each other's faults. */
    void reset() {
        given().delete(sim.baseUrl() + "/sim/rules").then().statusCode(greaterThanOrEqualTo(200));
        given().post(sim.baseUrl() + "/sim/stats/reset").then().statusCode(greaterThanOrEqualTo(200));
        given().header("Authorization", ADMIN).post("/admin/circuit-breakers/reset-all").then().statusCode(200);
    }

    void clearRules() {
        given().delete(sim.baseUrl() + "/sim/rules").then().statusCode(greaterThanOrEqualTo(200));
    }

    int requestsFor(String upstreamModel) {
        Integer count = given().get(sim.baseUrl() + "/sim/stats").jsonPath().get("byModel.'" + upstreamModel + "'");
        return count == null ? 0 : count;
    }

    int cancelled() {
        return given().get(sim.baseUrl() + "/sim/stats").jsonPath().getInt("cancelled");
    }

    static String breakerState(String deployment) {
        return given().header("Authorization", ADMIN).get("/admin/circuit-breakers/" + deployment)
                .then().statusCode(200).extract().jsonPath().getString("state");
    }

    static Response chat(String model, boolean stream) {
        return asGateway().contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}")
                .post("/v1/chat/completions");
    }

    static List<String> dataLines(String sse) {
        return Arrays.stream(sse.split("\n"))
                .filter(line -> line.startsWith("data:"))
                .map(line -> line.substring(5).strip())
                .toList();
    }
}
