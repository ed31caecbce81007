package io.sluice.orchestrator;

import static io.restassured.RestAssured.given;
import static io.sluice.orchestrator.SimFaults.breakerState;
import static io.sluice.orchestrator.SimFaults.chat;
import static io.sluice.orchestrator.SimFaults.dataLines;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.orchestrator.config.UpstreamLimitsConfig;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;

/**
 * No upstream answer can exhaust the orchestrator's heap: a complete answer over
 * {@code sluice.upstream.max-answer-bytes} (64 KiB in %test) and a stream event over
 * {@code sluice.upstream.max-sse-event-bytes} (16 KiB in %test) are refused and their calls closed.
 */
@QuarkusTest
class UpstreamBoundsTest extends SimProviderTest {

    @Inject
    UpstreamLimitsConfig limits;

    @Test
    void anAnswerOverTheCapIsA502AndItsCallIsClosedNotRead() {
        // ttft: the length is announced with the headers, and the body would follow later.
        faults.rule("sim-gpt-mini", "pad=" + limits.maxAnswerBytes() * 2 + ";ttft=2000");
        chat("sim-gpt-mini", false).then().statusCode(502)
                .body("error.code", equalTo("upstream_too_large"))
                .body("error.type", equalTo("server_error"));
        assertEquals(1, faults.requestsFor("sim-gpt-mini"), "a sibling would answer as much: not retried");
        await().atMost(Duration.ofSeconds(5)).until(() -> faults.cancelled() == 1);
        assertEquals("CLOSED", breakerState("sim-gpt-mini"), "the size follows from the request");
    }

    @Test
    void anAnswerUnderTheCapIsRelayedByteForByteWithItsUsage() {
        faults.rule("sim-gpt-mini", "pad=" + limits.maxAnswerBytes() / 2);
        Response answer = chat("sim-gpt-mini", false).then().statusCode(200).extract().response();
        JsonObject body = new JsonObject(answer.asString());
        assertEquals(limits.maxAnswerBytes() / 2, body.getString("sim_padding").length());
        JsonObject usage = body.getJsonObject("usage");
        assertEquals(usage.getInteger("prompt_tokens") + "," + usage.getInteger("completion_tokens") + ","
                + usage.getJsonObject("prompt_tokens_details").getInteger("cached_tokens"),
                answer.header("x-sluice-usage"));
    }

    /** The padded event is the first content event; gap keeps sim-provider writing when the call is closed. */
    @ParameterizedTest
    @CsvSource({ "sim-gpt,sim-gpt-a", "sim-claude,sim-claude", "sim-gemini,sim-gemini" })
    void aStreamEventOverTheCapEndsTheStreamWithAnErrorEvent(String model, String upstreamModel) {
        faults.rule(upstreamModel, "pad=" + limits.maxSseEventBytes() * 3 + ";gap=100");
        String sse = chat(model, true).then().statusCode(200).extract().asString();
        List<String> events = dataLines(sse);
        String last = events.get(events.size() - 1);
        assertEquals("upstream_too_large", new JsonObject(last).getJsonObject("error").getString("code"), last);
        assertFalse(events.contains("[DONE]"));
        assertTrue(sse.length() < limits.maxSseEventBytes(), "the oversized event never reached the client");
        await().atMost(Duration.ofSeconds(5)).until(() -> faults.cancelled() == 1);
    }

    @Test
    void aStreamUnderTheCapIsRelayedWhole() {
        faults.rule("sim-gpt-a", "pad=" + limits.maxSseEventBytes() / 2);
        List<String> events = dataLines(chat("sim-gpt", true).then().statusCode(200).extract().asString());
        assertEquals("[DONE]", events.get(events.size() - 1));
    }
}
