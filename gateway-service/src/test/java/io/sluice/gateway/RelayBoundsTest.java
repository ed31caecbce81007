package io.sluice.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.sluice.contracts.RelayHeaders;
import io.vertx.core.json.JsonObject;

/**
 * What the gateway holds of an answer is bounded: a whole answer it must translate, and a stream event that never
 * ends (the stand-in suite runs with caps of {@value StandInPeers#MAX_ANSWER_BYTES} and
 * {@value StandInPeers#MAX_SSE_EVENT_BYTES} bytes). An answer relayed as it is is never held.
 */
@QuarkusTest
@TestProfile(WithStandInPeers.class)
class RelayBoundsTest extends StandInPeersTest {
    private static final String HELLO = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello world\"}]";

    @Test
    void aWholeAnswerTooLargeToTranslateIsRefusedAndStillBilled() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 1_000_000, null, null);
        peers.orchestrator((request, body) -> request.response().putHeader("content-type", "application/json")
                .putHeader(RelayHeaders.USAGE, "5,70000,0").end(completion("x".repeat(70_000))));

        given().config(PATIENT).header("x-api-key", key).contentType(ContentType.JSON)
                .body("{\"model\":\"sim-claude\",\"max_tokens\":100000," + HELLO + "}")
                .post("/v1/messages")
                .then().statusCode(502)
                .body("type", equalTo("error"))
                .body("error.type", equalTo("api_error"));

        Map<String, String> event = ledger.eventOf(tenant);
        assertEquals("502", event.get("status"));
        assertEquals("70000", event.get("completion_tokens"), "the model ran: its usage is billed");
    }

    @Test
    void anOpenAiAnswerIsRelayedAsItArrivesWhateverItsSize() {
        String key = peers.issueKey("t-" + UUID.randomUUID(), "FREE", 1_000_000, null, null);
        String answer = completion("x".repeat(200_000));
        peers.orchestrator((request, body) -> request.response().putHeader("content-type", "application/json")
                .putHeader(RelayHeaders.USAGE, "5,200000,0").end(answer));

        String relayed = given().config(PATIENT).header("authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"model\":\"sim-gpt\"," + HELLO + "}")
                .post("/v1/chat/completions")
                .then().statusCode(200).extract().asString();

        assertEquals(answer, relayed, "byte for byte, never held up to a cap");
    }

    @Test
    void aStreamEventThatNeverEndsEndsTheStreamWithAnErrorAndWhatWasDeliveredIsBilled() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 1_000_000, null, null);
        peers.orchestrator((request, body) -> {
            var response = request.response().setChunked(true).putHeader("content-type", "text/event-stream");
            response.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
            // An event that keeps growing, and the upstream stays open.
            response.write("data: {\"choices\":[{\"delta\":{\"content\":\"" + "x".repeat(8_000));
        });

        given().config(PATIENT).header("authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"model\":\"sim-gpt\",\"stream\":true," + HELLO + "}")
                .post("/v1/chat/completions")
                .then().statusCode(200)
                .body(containsString("\"content\":\"Hi\""))
                .body(containsString("\"code\":\"upstream_too_large\""));

        Map<String, String> event = ledger.eventOf(tenant);
        assertEquals("incomplete", event.get("outcome"));
        assertEquals("1", event.get("completion_tokens"));
        assertTrue(Integer.parseInt(event.get("prompt_tokens")) > 0, "the prompt estimate, at least");
    }

    private static String completion(String content) {
        return new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion").put("model", "m")
                .put("choices", new io.vertx.core.json.JsonArray().add(new JsonObject().put("index", 0)
                        .put("message", new JsonObject().put("role", "assistant").put("content", content))
                        .put("finish_reason", "stop")))
                .put("usage", new JsonObject().put("prompt_tokens", 5).put("completion_tokens", 70_000))
                .encode();
    }
}
