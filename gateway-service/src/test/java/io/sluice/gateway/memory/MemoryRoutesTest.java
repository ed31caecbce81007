package io.sluice.gateway.memory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.sluice.contracts.RelayHeaders;
import io.sluice.gateway.StandInPeers;
import io.sluice.gateway.StandInPeersTest;
import io.sluice.gateway.TestKeys;
import io.sluice.gateway.WithStandInPeers;
import io.vertx.core.json.JsonObject;

/**
 * The Responses and Conversations APIs' reads, writes and deletions: forwarded to the same path on the orchestrator
 * with the tenant and its memory policy, answered as the orchestrator answers, refused without a valid key.
 */
@QuarkusTest
@TestProfile(WithStandInPeers.class)
class MemoryRoutesTest extends StandInPeersTest {

    @Test
    void aListIsForwardedWithTheTenantAndItsValidParametersAndAnsweredAsTheOrchestratorAnswers() {
        String tenant = "t-" + UUID.randomUUID();
        String key = peers.issueKey(tenant, "FREE", 100_000, null, null);
        peers.orchestrator((request, body) -> request.response().putHeader("content-type", "application/json")
                .end("{\"object\":\"list\",\"data\":[],\"has_more\":false}"));

        given().header("authorization", "Bearer " + key)
                .get("/v1/conversations/conv_abc/items?limit=5&order=asc&include=message.output_text.logprobs")
                .then().statusCode(200)
                .header("x-request-id", org.hamcrest.Matchers.startsWith("req_"))
                .body("object", equalTo("list"));

        StandInPeers.Forwarded forwarded = peers.forwarded().get(0);
        assertEquals("GET", forwarded.method());
        assertEquals("/v1/conversations/conv_abc/items?limit=5&order=asc", forwarded.uri());
        assertEquals(tenant, forwarded.headers().get(RelayHeaders.TENANT));
        assertEquals("100,30", forwarded.headers().get(RelayHeaders.MEMORY_POLICY), "the default policy");
        assertEquals("Bearer test-service-token", forwarded.headers().get("authorization"));
        assertNull(forwarded.body());
    }

    @Test
    void writesAndDeletionsAreForwardedAndTheOrchestratorsErrorsRelayed() {
        String key = peers.issueKey("t-" + UUID.randomUUID(), "FREE", 100_000, null, null);
        peers.orchestrator((request, body) -> {
            if (request.method().name().equals("DELETE")) {
                request.response().setStatusCode(404).putHeader("content-type", "application/json")
                        .end("{\"error\":{\"message\":\"Response with id 'resp_1' not found.\","
                                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
            } else {
                request.response().putHeader("content-type", "application/json")
                        .end("{\"id\":\"conv_new\",\"object\":\"conversation\"}");
            }
        });
        String create = "{\"metadata\":{\"topic\":\"demo\"},\"items\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        given().header("authorization", "Bearer " + key).contentType(ContentType.JSON).body(create)
                .post("/v1/conversations").then().statusCode(200).body("id", equalTo("conv_new"));
        given().header("authorization", "Bearer " + key).delete("/v1/responses/resp_1")
                .then().statusCode(404).body("error.message", equalTo("Response with id 'resp_1' not found."));

        assertEquals(new JsonObject(create), peers.forwarded().get(0).body());
        assertEquals("/v1/conversations", peers.forwarded().get(0).uri());
        assertEquals("DELETE", peers.forwarded().get(1).method());
        assertEquals("/v1/responses/resp_1", peers.forwarded().get(1).uri());
    }

    @Test
    void badIdsParametersAndBodiesAreRefusedNamingTheParamAndNotForwarded() {
        String key = peers.issueKey("t-" + UUID.randomUUID(), "FREE", 100_000, null, null);

        given().header("authorization", "Bearer " + key).get("/v1/responses/conv_1")
                .then().statusCode(400).body("error.param", equalTo("response_id"));
        given().header("authorization", "Bearer " + key).get("/v1/responses/resp_1/input_items?limit=1000")
                .then().statusCode(400).body("error.param", equalTo("limit"));
        given().header("authorization", "Bearer " + key).delete("/v1/conversations/conv_1/items/item-1")
                .then().statusCode(400).body("error.param", equalTo("item_id"));
        given().header("authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"metadata\":{\"k\":7}}").post("/v1/conversations/conv_1")
                .then().statusCode(400).body("error.param", equalTo("metadata"));
        given().header("authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"items\":[{\"type\":\"reasoning\"}]}").post("/v1/conversations/conv_1/items")
                .then().statusCode(400).body("error.param", equalTo("items[0].type"));

        assertTrue(peers.forwarded().isEmpty());
    }

    @Test
    void withoutAValidKeyNothingIsForwarded() {
        given().get("/v1/conversations/conv_abc").then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"));
        given().header("authorization", "Bearer " + TestKeys.wellFormed()).delete("/v1/conversations/conv_abc")
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header("authorization", "Bearer " + TestKeys.wellFormed()).contentType(ContentType.JSON)
                .body("{}").post("/v1/conversations").then().statusCode(401);

        assertTrue(peers.forwarded().isEmpty());
    }

    @Test
    void anUnreachableMemoryIsARetryable503() {
        String key = peers.issueKey("t-" + UUID.randomUUID(), "FREE", 100_000, null, null);
        peers.orchestrator((request, body) -> request.connection().close());

        given().header("authorization", "Bearer " + key).get("/v1/responses/resp_1")
                .then().statusCode(503).header("retry-after", "1")
                .body("error.code", equalTo("memory_unavailable"));
    }
}
