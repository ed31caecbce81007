package io.sluice.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.RelayHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * What a request is billed and what its budget is charged: a client cannot make a call free by leaving early, an
 * uncapped request cannot cost more than was reserved, and a request is priced as the ledger prices it (by the alias
 * that served it, at 1× whatever the endpoint).
 */
@QuarkusTest
@TestProfile(WithStandInPeers.class)
class BillingAndBudgetsTest extends StandInPeersTest {
    /** "Hello world" is 2 cl100k tokens, plus 4 for the message and 3 for the reply. */
    private static final int PROMPT_ESTIMATE = 9;
    private static final String HELLO = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello world\"}]";
    private static final KeyGrant.Budgets BUDGET = new KeyGrant.Budgets(new BigDecimal("10"), null);

    @Test
    void aCallTheClientAbandonsAfterItWasForwardedIsBilledAtLeastThePromptEstimate() throws IOException {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
        peers.orchestrator((request, body) -> {
            // The model runs and runs: no answer yet.
        });

        try (Socket client = send(key, "{\"model\":\"sim-gpt\"," + HELLO + "}")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !peers.forwarded().isEmpty());
        }

        Map<String, String> event = ledger.eventOf(tenant);
        assertEquals("499", event.get("status"));
        assertEquals(Integer.toString(PROMPT_ESTIMATE), event.get("prompt_tokens"));
        assertEquals(PROMPT_ESTIMATE, ledger.counter(tenant, "tpd"), "settled to what is billed");
    }

    @Test
    void aStreamCutBeforeItsUsageChunkIsBilledThePromptTheOrchestratorReportedEarly() throws IOException {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
        peers.orchestrator((request, body) -> streamTwoDeltas(request.response(), RelayHeaders.STREAM_USAGE_COMMENT
                + "42,0,0\n\n"));

        String received = cutAfterTwoDeltas(key);

        assertFalse(received.contains("sluice-usage"), "the orchestrator's comment is for the gateway only");
        Map<String, String> event = ledger.eventOf(tenant);
        assertEquals("incomplete", event.get("outcome"));
        assertEquals("42", event.get("prompt_tokens"));
        assertEquals("2", event.get("completion_tokens"));
        assertEquals(44, ledger.counter(tenant, "tpd"));
    }

    @Test
    void aStreamCutBeforeAnyUsageIsBilledThePromptEstimate() throws IOException {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
        peers.orchestrator((request, body) -> streamTwoDeltas(request.response(), ""));

        cutAfterTwoDeltas(key);

        Map<String, String> event = ledger.eventOf(tenant);
        assertEquals(Integer.toString(PROMPT_ESTIMATE), event.get("prompt_tokens"));
        assertEquals("2", event.get("completion_tokens"));
        assertEquals(PROMPT_ESTIMATE + 2, ledger.counter(tenant, "tpd"));
    }

    @Test
    void aChatRequestWithoutItsOwnBoundIsCappedAtWhatWasReservedForIt() {
        String key = peers.issueKey("t-" + UUID.randomUUID(), "FREE", 100_000, null, null);
        chat(key, "{\"model\":\"sim-gpt\"," + HELLO + "}");
        chat(key, "{\"model\":\"sim-gpt\",\"max_tokens\":20," + HELLO + "}");
        chat(key, "{\"model\":\"sim-gpt\",\"max_completion_tokens\":20," + HELLO + "}");

        List<StandInPeers.Forwarded> forwarded = peers.forwarded();
        assertEquals("4096", forwarded.get(0).headers().get(RelayHeaders.MAX_OUTPUT_TOKENS));
        assertNull(forwarded.get(1).headers().get(RelayHeaders.MAX_OUTPUT_TOKENS), "the client's own bound stands");
        assertNull(forwarded.get(2).headers().get(RelayHeaders.MAX_OUTPUT_TOKENS));
    }

    @Test
    void theKeysAllowListGoesWithTheRequestSoFallbacksHonourIt() {
        chat(peers.issueKey("t-" + UUID.randomUUID(), "FREE", 100_000, null, List.of("sim-gpt", "sim-gpt-mini")),
                "{\"model\":\"sim-gpt\"," + HELLO + "}");
        chat(peers.issueKey("t-" + UUID.randomUUID(), "FREE", 100_000, null, null),
                "{\"model\":\"sim-gpt\"," + HELLO + "}");

        assertEquals("sim-gpt,sim-gpt-mini", peers.forwarded().get(0).headers().get(RelayHeaders.ALLOWED_MODELS));
        assertNull(peers.forwarded().get(1).headers().get(RelayHeaders.ALLOWED_MODELS), "every model allowed");
    }

    /**
     * sim-gpt's deployments failed and its fallback sim-gpt-mini answered: recorded and priced as sim-gpt-mini (0.15
     * USD in, 0.60 USD out per 1M tokens, where sim-gpt is 2.50 and 10.00). A served name that is no valid model name
     * is not taken: the requested alias stands.
     */
    @ParameterizedTest
    @CsvSource({ "sim-gpt-mini, sim-gpt-mini, 750", "'sim gpt!', sim-gpt, 12500" })
    void aRequestIsRecordedAndPricedAsTheAliasThatServedIt(String served, String recorded, long microUsd) {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, BUDGET, null);
        answeredAs(served, "1000,1000,0");

        chat(key, "{\"model\":\"sim-gpt\"," + HELLO + "}");

        assertEquals(recorded, ledger.eventOf(tenant).get("model"));
        assertEquals(microUsd, ledger.counter(tenant, "usd-day"));
    }

    @Test
    void endpointMultipliersWeighTokenQuotasButBudgetsPayTheLedgersPrice() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, BUDGET, null);
        answeredAs("sim-embed", "1000,0,0");

        given().header("authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"model\":\"sim-embed\",\"input\":\"Hello world\"}")
                .post("/v1/embeddings").then().statusCode(200);

        Map<String, String> event = ledger.eventOf(tenant);
        assertEquals("1000", event.get("prompt_tokens"));
        assertEquals(250, ledger.counter(tenant, "tpd"), "embeddings weigh 0.25 against the token quota");
        assertEquals(20, ledger.counter(tenant, "usd-day"), "1,000 tokens at 0.02 USD per 1M, as the ledger bills");
    }

    /** The orchestrator answers every call as served by {@code model}, with {@code usage} reported. */
    private void answeredAs(String model, String usage) {
        peers.orchestrator((request, body) -> request.response().putHeader("content-type", "application/json")
                .putHeader(RelayHeaders.MODEL, model).putHeader(RelayHeaders.USAGE, usage)
                .putHeader(RelayHeaders.PROVIDER, "openai").end("{\"object\":\"chat.completion\",\"choices\":[]}"));
    }

    private static void chat(String key, String body) {
        given().header("authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/v1/chat/completions").then().statusCode(200);
    }

    private static void streamTwoDeltas(HttpServerResponse response, String before) {
        response.setChunked(true).putHeader("content-type", "text/event-stream")
                .putHeader(RelayHeaders.MODEL, "sim-gpt").putHeader(RelayHeaders.PROVIDER, "openai");
        response.write(before + delta("Hel") + delta("lo"));
        // …and the rest never comes before the client leaves.
    }

    private static String delta(String text) {
        return "data: " + new JsonObject().put("choices", new io.vertx.core.json.JsonArray().add(new JsonObject()
                .put("index", 0).put("delta", new JsonObject().put("content", text)))).encode() + "\n\n";
    }

    /** Streams, reads until both deltas arrived, and leaves; returns what arrived. */
    private String cutAfterTwoDeltas(String key) throws IOException {
        try (Socket client = send(key, "{\"model\":\"sim-gpt\",\"stream\":true," + HELLO + "}")) {
            InputStream in = client.getInputStream();
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (received.indexOf("\"lo\"") < 0) {
                int read = in.read(buffer);
                assertTrue(read > 0, "the stream ended before its deltas: " + received);
                received.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
            return received.toString();
        }
    }

    private Socket send(String key, String body) throws IOException {
        Socket socket = new Socket(gateway.getHost(), gateway.getPort());
        socket.setSoTimeout(10_000);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + key + "\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }
}
