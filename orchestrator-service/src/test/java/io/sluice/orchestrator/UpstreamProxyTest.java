package io.sluice.orchestrator;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sluice.sim.SimProvider;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.SimProviderTestResource;

@QuarkusTest
@QuarkusTestResource(SimProviderTestResource.class)
class UpstreamProxyTest {

    @InjectStore
    SimProvider sim;

    @AfterEach
    void clearFaults() {
        given().delete(sim.baseUrl() + "/sim/rules").then().statusCode(greaterThanOrEqualTo(200));
    }

    @Test
    void healthMetricsAndOpenApi() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("upstream"))
                .body("status", equalTo("UP"));
        chat("sim-gpt", false).then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"));
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void plainCompletionIsRelayedWithProviderAndDeployment() {
        chat("sim-gpt", false).then()
                .statusCode(200)
                .header("x-sluice-provider", "openai")
                .header("x-sluice-deployment", "default")
                .body("object", equalTo("chat.completion"))
                .body("model", equalTo("sim-gpt"))
                .body("usage.completion_tokens", greaterThanOrEqualTo(1));
    }

    @Test
    void streamAlwaysCarriesTheUsageChunkAndEndsWithDone() {
        String body = chat("sim-gpt", true).then().statusCode(200)
                .contentType(containsString("text/event-stream"))
                .extract().asString();
        List<String> events = dataLines(body);
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertTrue(events.get(events.size() - 2).contains("\"usage\""), "the gateway bills from this chunk");
    }

    @Test
    void upstreamErrorStatusIsPassedThroughInOpenAiFormat() {
        rule("{\"model\":\"broken\",\"directives\":\"status=503\"}");
        chat("broken", false).then().statusCode(503).body("error.message", not(equalTo(null)));
    }

    @Test
    void disconnectMidStreamEndsWithAnErrorEventAndNoDone() {
        rule("{\"model\":\"flaky\",\"directives\":\"disconnect-after=2\"}");
        String body = chat("flaky", true).then().statusCode(200).extract().asString();
        List<String> events = dataLines(body);
        long contentChunks = events.stream().filter(e -> e.contains("\"content\":\"") && !e.contains("\"content\":\"\""))
                .count();
        assertEquals(2, contentChunks);
        assertTrue(events.get(events.size() - 1).startsWith("{\"error\""), events.toString());
        assertFalse(events.contains("[DONE]"));
    }

    @Test
    void silentUpstreamTimesOutAndItsConnectionIsClosed() {
        rule("{\"model\":\"stuck\",\"directives\":\"hang\"}");
        given().post(sim.baseUrl() + "/sim/stats/reset");
        chat("stuck", false).then().statusCode(504).body("error.code", equalTo("upstream_timeout"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                given().get(sim.baseUrl() + "/sim/stats").jsonPath().getInt("cancelled") == 1);
    }

    @Test
    void invalidJsonIsRefused() {
        given().contentType(ContentType.JSON).body("{\"model\":").post("/v1/chat/completions")
                .then().statusCode(400).body("error.code", equalTo("invalid_json"));
    }

    private void rule(String json) {
        given().contentType(ContentType.JSON).body(json).post(sim.baseUrl() + "/sim/rules").then().statusCode(201);
    }

    private static io.restassured.response.Response chat(String model, boolean stream) {
        return given().contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}")
                .post("/v1/chat/completions");
    }

    private static List<String> dataLines(String sse) {
        return Arrays.stream(sse.split("\n"))
                .filter(line -> line.startsWith("data:"))
                .map(line -> line.substring(5).strip())
                .toList();
    }
}
