package io.sluice.orchestrator;

import static io.restassured.RestAssured.given;
import static io.sluice.orchestrator.SimFaults.chat;
import static io.sluice.orchestrator.SimFaults.dataLines;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sluice.testsupport.quarkus.ManagementInterface;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class InferenceRelayTest extends SimProviderTest {

    @Test
    void healthMetricsAndOpenApi() {
        given().get(ManagementInterface.url("/q/health/live")).then().statusCode(200).body("status", equalTo("UP"));
        given().get(ManagementInterface.url("/q/health/ready")).then().statusCode(200)
                .body("checks.name", hasItem("upstream"))
                .body("status", equalTo("UP"));
        chat("sim-gpt", false).then().statusCode(200);
        given().get(ManagementInterface.url("/q/metrics")).then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("sluice_circuit_breaker_state{deployment=\"sim-gpt-a\"}"));
        given().get(ManagementInterface.url("/q/openapi")).then().statusCode(200)
                .body(containsString("/admin/circuit-breakers"));
    }

    @Test
    void completionIsServedByThePreferredDeploymentAndNamesIt() {
        Response answer = chat("sim-gpt", false).then()
                .statusCode(200)
                .header("x-sluice-provider", "openai")
                .header("x-sluice-deployment", "sim-gpt-a")
                .body("object", equalTo("chat.completion"))
                .body("usage.completion_tokens", greaterThanOrEqualTo(1))
                .extract().response();
        assertEquals(1, faults.requestsFor("sim-gpt-a"));
        assertUsageHeaderMatchesBody(answer);
    }

    @Test
    void embeddingsAreRelayed() {
        Response answer = asGateway().contentType(ContentType.JSON).body("{\"model\":\"sim-embed\",\"input\":[\"a\",\"b\"]}")
                .post("/v1/embeddings").then()
                .statusCode(200)
                .header("x-sluice-deployment", "sim-embed")
                .body("object", equalTo("list"))
                .body("data.size()", equalTo(2))
                .extract().response();
        assertUsageHeaderMatchesBody(answer);
    }

    /** Gemini counts no embedding tokens: the input's estimate is what the gateway bills and settles. */
    @Test
    void geminiEmbeddingsReportTheirPromptTokens() {
        Response answer = asGateway().contentType(ContentType.JSON)
                .body("{\"model\":\"sim-gemini\",\"input\":[\"the first text\",\"a second, longer text\"]}")
                .post("/v1/embeddings").then()
                .statusCode(200)
                .header("x-sluice-provider", "gemini")
                .body("data.size()", equalTo(2))
                .extract().response();
        assertUsageHeaderMatchesBody(answer);
    }

    /** The gateway bills a plain answer from this header instead of parsing the body it relays. */
    private static void assertUsageHeaderMatchesBody(Response answer) {
        JsonObject usage = new JsonObject(answer.asString()).getJsonObject("usage");
        JsonObject details = usage.getJsonObject("prompt_tokens_details", new JsonObject());
        assertTrue(usage.getInteger("prompt_tokens") > 0, usage.encode());
        assertEquals(usage.getInteger("prompt_tokens") + "," + usage.getInteger("completion_tokens", 0) + ","
                + details.getInteger("cached_tokens", 0), answer.header("x-sluice-usage"));
    }

    @Test
    void streamAlwaysCarriesTheUsageChunkAndEndsWithDone() {
        String body = chat("sim-gpt", true).then().statusCode(200)
                .contentType(containsString("text/event-stream"))
                .header("x-sluice-deployment", "sim-gpt-a")
                .extract().asString();
        List<String> events = dataLines(body);
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertTrue(events.get(events.size() - 2).contains("\"usage\""), "the gateway bills from this chunk");
    }

    @Test
    void disconnectMidStreamEndsWithAnErrorEventAndNoDoneAndNoFailover() {
        faults.rule("sim-gpt-a", "disconnect-after=2");
        String body = chat("sim-gpt", true).then().statusCode(200)
                .header("x-sluice-deployment", "sim-gpt-a").extract().asString();
        List<String> events = dataLines(body);
        long contentChunks = events.stream().filter(e -> e.contains("\"content\":\"") && !e.contains("\"content\":\"\""))
                .count();
        assertEquals(2, contentChunks);
        assertTrue(events.get(events.size() - 1).startsWith("{\"error\""), events.toString());
        assertFalse(events.contains("[DONE]"));
        assertEquals(0, faults.requestsFor("sim-gpt-b"), "bytes already reached the client: no fallback");
    }

    @Test
    void unknownModelIsNotFound() {
        chat("no-such-model", false).then().statusCode(404)
                .body("error.code", equalTo("model_not_found"))
                .body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void aDisabledAliasIsNotServedAndNeverReachesItsProvider() {
        chat("retired", false).then().statusCode(404).body("error.code", equalTo("model_not_found"));
        assertEquals(0, faults.requestsFor("retired-a"));
    }

    @ParameterizedTest
    @CsvSource({ "sim-claude,anthropic", "sim-gemini,gemini" })
    void anthropicAndGeminiDeploymentsAnswerInOpenAiFormatPlainAndStreamed(String model, String provider) {
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":6,\"stream\":%s,"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":\"hello there\"}]}";
        Response plainAnswer = asGateway().contentType(ContentType.JSON).body(body.formatted(false))
                .post("/v1/chat/completions").then().statusCode(200)
                .header("x-sluice-provider", provider)
                .body("object", equalTo("chat.completion"))
                .body("usage.completion_tokens", equalTo(6))
                .extract().response();
        assertUsageHeaderMatchesBody(plainAnswer);
        String plain = plainAnswer.jsonPath().getString("choices[0].message.content");

        String sse = asGateway().contentType(ContentType.JSON).body(body.formatted(true))
                .post("/v1/chat/completions").then().statusCode(200)
                .header("x-sluice-provider", provider)
                .extract().asString();
        java.util.List<String> events = java.util.Arrays.stream(sse.split("\n"))
                .filter(line -> line.startsWith("data: ")).map(line -> line.substring(6)).toList();
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertTrue(events.get(events.size() - 2).contains("\"completion_tokens\":6"), events.toString());
        String streamed = events.stream().filter(e -> e.startsWith("{"))
                .map(e -> new io.vertx.core.json.JsonObject(e).getJsonArray("choices"))
                .filter(choices -> !choices.isEmpty())
                .map(choices -> choices.getJsonObject(0).getJsonObject("delta").getString("content", ""))
                .collect(java.util.stream.Collectors.joining());
        assertEquals(plain, streamed);
    }

    @Test
    void modelsListsTheCatalogueAliases() {
        asGateway().get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list"))
                // In alphabetical order; bulk, daily, hourly, leased, lim and lim-short are the %test aliases of
                // ProviderLimitsTest, local-minilm the built-in embedding model.
                .body("data.id", equalTo(List.of("bulk", "daily", "hourly", "leased", "lim", "lim-short",
                        "local-minilm", "sim-claude", "sim-embed", "sim-gemini", "sim-gpt", "sim-gpt-mini",
                        "weighted")))
                .body("data[0].object", equalTo("model"))
                .body("data[0].owned_by", equalTo("sluice"));
    }

    @Test
    void invalidJsonIsRefused() {
        asGateway().contentType(ContentType.JSON).body("{\"model\":").post("/v1/chat/completions")
                .then().statusCode(400).body("error.code", equalTo("invalid_json"));
    }
}
