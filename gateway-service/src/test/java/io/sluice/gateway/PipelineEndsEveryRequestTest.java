package io.sluice.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Every inference request ends exactly once, whatever fails and wherever: answered in its route's format, one usage
 * event (without the raw value that failed validation), its reservation released; and a key is checked before the
 * body is read.
 */
@QuarkusTest
@TestProfile(WithStandInPeers.class)
class PipelineEndsEveryRequestTest extends StandInPeersTest {

    @Test
    void malformedMessagesBodiesThatOnceHungAreRefusedRecordedAndReleased() {
        String assistant = "{\"model\":\"sim-claude\",\"max_tokens\":5,\"messages\":[{\"role\":\"assistant\","
                + "\"content\":[%s]}]}";
        String user = "{\"model\":\"sim-claude\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[%s]}]}";
        String hello = "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
        List<String> bodies = List.of(
                String.format(assistant, "{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":5}"),
                String.format(user, "{\"type\":\"tool_result\",\"tool_use_id\":[],\"content\":\"x\"}"),
                String.format(user, "{\"type\":\"image\",\"source\":\"x\"}"),
                "{\"model\":\"sim-claude\",\"max_tokens\":5,\"tools\":[{\"name\":\"f\",\"input_schema\":[]}]," + hello + "}",
                "{\"model\":\"sim-claude\",\"max_tokens\":5,\"tool_choice\":{\"type\":\"tool\",\"name\":5}," + hello + "}");
        for (String body : bodies) {
            String tenant = "t-" + UUID.randomUUID();
            String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
            given().config(PATIENT).header("x-api-key", key).contentType(ContentType.JSON).body(body)
                    .post("/v1/messages")
                    .then().statusCode(400)
                    .body("type", equalTo("error"))
                    .body("error.type", equalTo("invalid_request_error"));
            Map<String, String> event = ledger.eventOf(tenant);
            assertEquals("400", event.get("status"));
            assertEquals("rejected", event.get("outcome"));
            assertEquals(0, ledger.counter(tenant, "tpd"), "nothing reserved");
        }
        assertTrue(peers.forwarded().isEmpty(), "nothing forwarded");
    }

    @Test
    void aRefusedModelNameIsRecordedWithoutIt() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
        given().header("authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"model\":\"bad\\u0000name\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions")
                .then().statusCode(400).body("error.param", equalTo("model"));
        assertEquals("", ledger.eventOf(tenant).get("model"));
    }

    @Test
    void anExceptionInAnyStageEndsTheRequestOnceAnsweredRecordedAndReleased() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
        String body = "{\"model\":\"sim-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello world\"}]}";

        for (String path : List.of(FaultyEndpoints.VALIDATOR_THROWS, FaultyEndpoints.SHAPE_THROWS)) {
            given().config(PATIENT).header("authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                    .post(path)
                    .then().statusCode(500)
                    .body("error.type", equalTo("server_error"))
                    .body("error.code", equalTo("internal_error"));
        }

        List<Map<String, String>> events = ledger.eventsOf(tenant, 2);
        events.forEach(event -> assertEquals("500", event.get("status")));
        events.forEach(event -> assertEquals("error", event.get("outcome")));
        assertEquals(0, ledger.counter(tenant, "tpd"), "the shape failed after the reservation: released");
        assertTrue(peers.forwarded().isEmpty(), "nothing forwarded");
    }

    @Test
    void anAuthenticatedBodyOverTheLimitIsAnsweredAndRecorded() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
        Response answer = given().header("x-api-key", key).contentType(ContentType.JSON)
                .body("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\""
                        + "x".repeat(1_100_000) + "\"}]}")
                .post("/v1/messages");
        answer.then().statusCode(413).body("type", equalTo("error")).body("error.type", equalTo("request_too_large"));
        assertEquals("413", ledger.eventOf(tenant).get("status"));
    }

    @Test
    void aRefusedKeyNeverHasItsBodyRead() throws IOException {
        for (String key : List.of("sk-sluice-made-up", "")) {
            try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                // Half a megabyte announced, a few bytes sent: the answer must not wait for the rest.
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
                        + (key.isEmpty() ? "" : "Authorization: Bearer " + key + "\r\n")
                        + "Content-Length: 500000\r\n\r\n{\"model\":").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertTrue(statusLine(socket.getInputStream()).startsWith("HTTP/1.1 401"));
            }
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString().strip();
    }
}
