package io.sluice.gateway.memory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.memory.MemoryKeys;
import io.sluice.gateway.StandInPeers;
import io.sluice.gateway.StandInPeersTest;
import io.sluice.gateway.WithStandInPeers;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /v1/responses} through the whole gateway against a stand-in orchestrator: what it forwards (tenant,
 * memory policy), how the stored history joins the reservation, and how answers and streams are billed.
 */
@QuarkusTest
@TestProfile(WithStandInPeers.class)
class ResponsesApiTest extends StandInPeersTest {
    /** "Hello world": 2 cl100k tokens, plus 4 for the message and 3 for the reply; 20 more reserved for output. */
    private static final String HELLO = "{\"model\":\"sim-gpt\",\"input\":\"Hello world\",\"max_output_tokens\":20";
    private static final String EVENTS = "event: response.created\ndata: {\"type\":\"response.created\"}\n\n"
            + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\n";

    @Test
    void forwardedWithTheTenantAndItsMemoryPolicyAndRecordedWithWhatWasStored() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
        peers.grant(key).put("memory", new JsonObject().put("max_items", 50).put("retention_days", 7));
        peers.orchestrator(ResponsesApiTest::memory);

        given().header("authorization", "Bearer " + key).contentType(ContentType.JSON).body(HELLO + "}")
                .post("/v1/responses")
                .then().statusCode(200)
                .body("id", equalTo("resp_abc"))
                .header(RelayHeaders.RESPONSE_ID, nullValue())
                .header(RelayHeaders.CONVERSATION_ID, nullValue())
                .header(RelayHeaders.USAGE, nullValue());

        StandInPeers.Forwarded forwarded = only("/v1/responses");
        assertEquals(tenant, forwarded.headers().get(RelayHeaders.TENANT));
        assertEquals("50,7", forwarded.headers().get(RelayHeaders.MEMORY_POLICY));
        assertEquals("Bearer test-service-token", forwarded.headers().get("authorization"));
        assertNull(forwarded.headers().get(RelayHeaders.MAX_OUTPUT_TOKENS), "the request bounds itself");
        assertEquals(new JsonObject(HELLO + "}"), forwarded.body());
        Map<String, String> event = ledger.eventOf(tenant);
        assertEquals("responses", event.get("endpoint"));
        assertEquals("resp_abc", event.get("response_id"));
        assertEquals("conv_Abc1", event.get("conversation_id"));
        assertEquals("7", event.get("prompt_tokens"));
        assertEquals("3", event.get("completion_tokens"));
        assertEquals("success", event.get("outcome"));
        assertEquals(10, ledger.counter(tenant, "tpd"));
    }

    @Test
    void withoutTheUsageHeaderTheResponsesOwnUsageIsBilled() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
        peers.orchestrator((request, body) -> request.response().putHeader("content-type", "application/json")
                .end("{\"id\":\"resp_abc\",\"object\":\"response\",\"usage\":{\"input_tokens\":11,"
                        + "\"input_tokens_details\":{\"cached_tokens\":8},\"output_tokens\":4,\"total_tokens\":15}}"));

        respond(key, HELLO + "}").then().statusCode(200).body("usage.input_tokens", equalTo(11));

        Map<String, String> event = ledger.eventOf(tenant);
        assertEquals("11", event.get("prompt_tokens"));
        assertEquals("4", event.get("completion_tokens"));
        assertEquals("8", event.get("cached_tokens"));
    }

    @Test
    void theStoredHistoryJoinsTheReservation() {
        String plain = peers.issueKey("t-" + UUID.randomUUID(), "FREE", 100_000, null, null);
        String chained = peers.issueKey("t-" + UUID.randomUUID(), "FREE", 100_000, null, null);
        peers.orchestrator(ResponsesApiTest::memory);

        long withoutHistory = remainingTokens(respond(plain, HELLO + "}"));
        long withHistory = remainingTokens(respond(chained, HELLO + ",\"previous_response_id\":\"resp_prev1\"}"));

        assertEquals(100_000 - 9 - 20, withoutHistory);
        assertEquals(withoutHistory - 5_000, withHistory, "the 5,000 tokens of stored history are reserved too");
        StandInPeers.Forwarded context = only("/internal/memory/context");
        assertEquals("/internal/memory/context?previous_response_id=resp_prev1", context.uri());
        assertEquals("GET", context.method());
        assertEquals("Bearer test-service-token", context.headers().get("authorization"));
        assertEquals(peers.grant(chained).getString("tenant_id"), context.headers().get(RelayHeaders.TENANT));
    }

    @Test
    void theTokenCountsKeptInRedisSizeTheReservationWithoutAskingTheOrchestrator() {
        String plain = peers.issueKey("t-" + UUID.randomUUID(), "FREE", 100_000, null, null);
        String conversationTenant = "t-" + UUID.randomUUID();
        String inConversation = peers.issueKey(conversationTenant, "FREE", 100_000, null, null);
        String responseTenant = "t-" + UUID.randomUUID();
        String chainedOn = peers.issueKey(responseTenant, "FREE", 100_000, null, null);
        peers.orchestrator(ResponsesApiTest::memory);
        redis.list(Long.class).rpush(MemoryKeys.itemTokens(conversationTenant, "conv_warm1"), 1_200L, 800L);
        redis.value(Long.class).set(MemoryKeys.responseTokens(responseTenant, "resp_warm1"), 3_000L);
        // another tenant's count for an id is not this tenant's: the orchestrator is asked, and answers 404
        redis.value(Long.class).set(MemoryKeys.responseTokens(conversationTenant, "resp_prev2"), 9L);

        long withoutHistory = remainingTokens(respond(plain, HELLO + "}"));
        assertEquals(withoutHistory - 2_000,
                remainingTokens(respond(inConversation, HELLO + ",\"conversation\":\"conv_warm1\"}")),
                "the conversation's 1,200 + 800 stored tokens");
        assertEquals(withoutHistory - 3_000,
                remainingTokens(respond(chainedOn, HELLO + ",\"previous_response_id\":\"resp_warm1\"}")),
                "the previous response's 3,000 context tokens");
        respond(chainedOn, HELLO + ",\"previous_response_id\":\"resp_prev2\"}").then().statusCode(404);

        assertEquals(List.of("/internal/memory/context?previous_response_id=resp_prev2"), peers.forwarded().stream()
                .map(StandInPeers.Forwarded::uri).filter(uri -> uri.startsWith("/internal")).toList());
    }

    @Test
    void historyThatDoesNotExistIsTheClients404BeforeAnyReservation() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
        peers.orchestrator(ResponsesApiTest::memory);

        given().header("authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(HELLO + ",\"conversation\":{\"id\":\"conv_gone\"}}")
                .post("/v1/responses")
                .then().statusCode(404)
                .header("x-ratelimit-remaining-tokens", nullValue())
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("conversation"))
                .body("error.message", equalTo("Conversation with id 'conv_gone' not found."));

        assertEquals(List.of("/internal/memory/context?conversation=conv_gone"),
                peers.forwarded().stream().map(StandInPeers.Forwarded::uri).toList(), "nothing reached a model");
        Map<String, String> event = ledger.eventOf(tenant);
        assertEquals("404", event.get("status"));
        assertEquals("rejected", event.get("outcome"));
        assertEquals("responses", event.get("endpoint"));
        assertEquals(0, ledger.counter(tenant, "tpd"));
    }

    @Test
    void anOrchestratorThatCannotSizeTheHistoryIsARetryable503() {
        String key = peers.issueKey("t-" + UUID.randomUUID(), "FREE", 100_000, null, null);
        peers.orchestrator((request, body) -> request.response().setStatusCode(500).end());

        given().header("authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(HELLO + ",\"previous_response_id\":\"resp_prev1\"}")
                .post("/v1/responses")
                .then().statusCode(503)
                .header("retry-after", "1")
                .body("error.code", equalTo("memory_unavailable"));
    }

    @Test
    void aStreamIsBilledFromTheCommentAndCompleteOnResponseCompleted() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
        String completed = "event: response.completed\ndata: {\"type\":\"response.completed\"}\n\n";
        peers.orchestrator((request, body) -> stream(request, EVENTS + ": sluice-usage 30,2,0\n\n" + completed));

        String received = respond(key, HELLO + ",\"stream\":true}").then().statusCode(200).extract().asString();

        assertEquals(EVENTS + completed, received, "passed through, the comment withheld, no [DONE] added");
        Map<String, String> event = ledger.eventOf(tenant);
        assertEquals("success", event.get("outcome"));
        assertEquals("true", event.get("stream"));
        assertEquals("30", event.get("prompt_tokens"));
        assertEquals("2", event.get("completion_tokens"));
        assertEquals("resp_abc", event.get("response_id"));
        assertEquals(32, ledger.counter(tenant, "tpd"));
    }

    @Test
    void aFailedStreamIsIncompleteAndBillsWhatWasReported() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
        peers.orchestrator((request, body) -> stream(request, EVENTS + ": sluice-usage 30,1,0\n\n"
                + "event: response.failed\ndata: {\"type\":\"response.failed\"}\n\n"));

        respond(key, HELLO + ",\"stream\":true}").then().statusCode(200);

        Map<String, String> event = ledger.eventOf(tenant);
        assertEquals("incomplete", event.get("outcome"));
        assertEquals("30", event.get("prompt_tokens"));
        assertEquals("1", event.get("completion_tokens"));
        assertEquals(31, ledger.counter(tenant, "tpd"));
    }

    @Test
    void responsesBypassTheResponseCacheAndSaySoToKeysThatHaveItOn() {
        String key = peers.issueKey("t-" + UUID.randomUUID(), "FREE", 100_000, null, null);
        peers.grant(key).put("cache", new JsonObject().put("mode", "exact").put("ttl_seconds", 60)
                .put("namespaces", "tenant").put("max_bytes", 100_000));
        String off = peers.issueKey("t-" + UUID.randomUUID(), "FREE", 100_000, null, null);
        peers.orchestrator(ResponsesApiTest::memory);

        respond(key, HELLO + "}").then().statusCode(200).header("x-sluice-cache", "bypass");
        respond(key, HELLO + "}").then().statusCode(200).header("x-sluice-cache", "bypass");
        respond(off, HELLO + "}").then().statusCode(200).header("x-sluice-cache", nullValue());
        assertEquals(3, peers.forwarded().size(), "never answered from the cache");
    }

    @Test
    void aBadRequestIsRefusedNamingItsParamAndNothingIsForwardedOrCharged() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);

        respond(key, HELLO + ",\"background\":true}").then().statusCode(400)
                .body("error.param", equalTo("background"));

        assertTrue(peers.forwarded().isEmpty());
        assertEquals("rejected", ledger.eventOf(tenant).get("outcome"));
        assertEquals(0, ledger.counter(tenant, "tpd"));
    }

    @Test
    void everyUsageEventNamesItsEndpoint() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
        given().header("authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"model\":\"sim-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        ledger.eventsOf(tenant, 1);
        given().header("x-api-key", key).contentType(ContentType.JSON)
                .body("{\"model\":\"sim-claude\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/messages").then().statusCode(200);

        List<Map<String, String>> events = ledger.eventsOf(tenant, 2);
        assertEquals(List.of("chat", "messages"), events.stream().map(event -> event.get("endpoint")).toList());
        assertTrue(events.get(1).getOrDefault("response_id", "").isEmpty());
    }

    private static Response respond(String key, String body) {
        return given().config(PATIENT).header("authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(body).post("/v1/responses");
    }

    private static long remainingTokens(Response response) {
        response.then().statusCode(200);
        return Long.parseLong(response.header("x-ratelimit-remaining-tokens"));
    }

    private StandInPeers.Forwarded only(String path) {
        List<StandInPeers.Forwarded> matching = peers.forwarded().stream()
                .filter(forwarded -> forwarded.uri().startsWith(path)).toList();
        assertEquals(1, matching.size(), matching.toString());
        return matching.get(0);
    }

    /**
     * The orchestrator's memory as these tests set it: 5,000 tokens of history for {@code resp_prev1}, no other
     * history; a Response created as {@code resp_abc} in {@code conv_Abc1}.
     */
    private static void memory(HttpServerRequest request, JsonObject body) {
        if (request.path().equals("/internal/memory/context")) {
            if ("resp_prev1".equals(request.getParam("previous_response_id"))) {
                request.response().putHeader("content-type", "application/json")
                        .end("{\"items\":3,\"tokens\":5000}");
            } else {
                request.response().setStatusCode(404).putHeader("content-type", "application/json")
                        .end("{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\"}}");
            }
            return;
        }
        request.response().putHeader("content-type", "application/json")
                .putHeader(RelayHeaders.PROVIDER, "openai").putHeader(RelayHeaders.MODEL, "sim-gpt")
                .putHeader(RelayHeaders.USAGE, "7,3,0")
                .putHeader(RelayHeaders.RESPONSE_ID, "resp_abc").putHeader(RelayHeaders.CONVERSATION_ID, "conv_Abc1")
                .end(new JsonObject().put("id", "resp_abc").put("object", "response").put("status", "completed")
                        .encode());
    }

    private static void stream(HttpServerRequest request, String events) {
        request.response().setChunked(true).putHeader("content-type", "text/event-stream")
                .putHeader(RelayHeaders.PROVIDER, "openai").putHeader(RelayHeaders.MODEL, "sim-gpt")
                .putHeader(RelayHeaders.RESPONSE_ID, "resp_abc")
                .end(events);
    }
}
