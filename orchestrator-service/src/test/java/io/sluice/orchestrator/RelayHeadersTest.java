package io.sluice.orchestrator;

import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static io.restassured.RestAssured.given;
import static io.sluice.orchestrator.SimFaults.dataLines;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.sluice.contracts.RelayHeaders;

/**
 * What the gateway tells the orchestrator in {@link RelayHeaders}: the key's allow-list bounds the fallbacks, the
 * output cap it reserved for bounds the upstream call, and every answer names the alias that served it.
 */
@QuarkusTest
class RelayHeadersTest extends SimProviderTest {
    private static final String CHAT = "{\"model\":\"%s\",%s\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    private static RequestSpecification chat(String model, String fields) {
        return asGateway().contentType(ContentType.JSON).body(CHAT.formatted(model, fields));
    }

    @Test
    void aFallbackIsTakenOnlyToAnAliasTheKeyMayUseAndTheAnswerNamesIt() {
        faults.rule("sim-gpt-a", "status=502");
        faults.rule("sim-gpt-b", "status=502");

        chat("sim-gpt", "").header(RelayHeaders.ALLOWED_MODELS, "sim-gpt,sim-claude")
                .post("/v1/chat/completions").then().statusCode(502).body("error.code", equalTo("upstream_error"));
        assertEquals(0, faults.requestsFor("sim-gpt-mini"), "sim-gpt-mini is outside the key's allow-list");

        chat("sim-gpt", "").header(RelayHeaders.ALLOWED_MODELS, "sim-gpt, sim-gpt-mini")
                .post("/v1/chat/completions").then().statusCode(200)
                .header(RelayHeaders.DEPLOYMENT, "sim-gpt-mini")
                .header(RelayHeaders.MODEL, "sim-gpt-mini");
        chat("sim-gpt", "\"stream\":true,").post("/v1/chat/completions").then().statusCode(200)
                .header(RelayHeaders.MODEL, "sim-gpt-mini");
    }

    @ParameterizedTest
    @CsvSource({ "sim-gpt,false", "sim-claude,true", "sim-gemini,true" })
    void everyAnswerNamesTheAliasThatServedIt(String model, boolean stream) {
        chat(model, "\"stream\":" + stream + ",").post("/v1/chat/completions").then().statusCode(200)
                .header(RelayHeaders.MODEL, model);
    }

    @Test
    void aModelOutsideTheAllowListIsRefusedHereToo() {
        chat("sim-gpt", "").header(RelayHeaders.ALLOWED_MODELS, "sim-gpt-mini").post("/v1/chat/completions")
                .then().statusCode(403).body("error.code", equalTo("model_not_allowed"));
        assertEquals(0, faults.requestsFor("sim-gpt-a") + faults.requestsFor("sim-gpt-b"));
    }

    /** Only the gateway sets these headers: a bad value is a bug or someone inside the cluster, never ignored. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "x-sluice-allowed-models|sim-gpt;sim-claude",
            "x-sluice-allowed-models|sim-gpt,,sim-claude", "x-sluice-allowed-models|sim gpt",
            "x-sluice-max-output-tokens|ten", "x-sluice-max-output-tokens|0",
            "x-sluice-max-output-tokens|99999999999" })
    void aMalformedRelayHeaderIsA400(String header, String value) {
        chat("sim-gpt", "").header(header, value).post("/v1/chat/completions").then().statusCode(400)
                .body("error.param", equalTo(header))
                .body("error.code", equalTo("invalid_relay_header"));
        assertEquals(0, faults.requestsFor("sim-gpt-a"));
    }

    /**
     * The provider writes up to 30 tokens; the gateway reserved 3 for a request that set no limit, so 3 is what the
     * upstream call may produce, whatever wire format carries the cap (sim-gpt-mini's is max_tokens).
     */
    @ParameterizedTest
    @CsvSource({ "sim-gpt,sim-gpt-a", "sim-gpt-mini,sim-gpt-mini", "sim-claude,sim-claude",
            "sim-gemini,sim-gemini" })
    void theGatewaysOutputCapReachesTheProvider(String model, String upstreamModel) {
        faults.rule(upstreamModel, "tokens=30");
        chat(model, "").post("/v1/chat/completions").then().statusCode(200)
                .body("usage.completion_tokens", equalTo(30));
        chat(model, "").header(RelayHeaders.MAX_OUTPUT_TOKENS, "3").post("/v1/chat/completions").then()
                .statusCode(200)
                .body("usage.completion_tokens", equalTo(3))
                .body("choices[0].finish_reason", equalTo("length"));
        chat(model, "\"max_tokens\":5,").header(RelayHeaders.MAX_OUTPUT_TOKENS, "3").post("/v1/chat/completions")
                .then().statusCode(200)
                .body("usage.completion_tokens", equalTo(5));
    }

    @ParameterizedTest
    @ValueSource(strings = { "sim-claude", "sim-gemini" })
    void translatedStreamsAreCappedToo(String model) {
        faults.rule(model, "tokens=30");
        String sse = chat(model, "\"stream\":true,").header(RelayHeaders.MAX_OUTPUT_TOKENS, "4")
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        var events = dataLines(sse);
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertEquals(4, new io.vertx.core.json.JsonObject(events.get(events.size() - 2)).getJsonObject("usage")
                .getInteger("completion_tokens"));
    }
}
