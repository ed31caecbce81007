package io.sluice.orchestrator;

import static io.restassured.RestAssured.given;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sluice.contracts.RelayHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The Responses and Conversations APIs as the gateway calls them (service token, tenant header), against
 * sim-provider, real PostgreSQL and Redis: a turn is answered in OpenAI's Response shape and stored, a chained turn
 * reaches the provider with the earlier turns, streams follow OpenAI's event order, conversations keep their items,
 * and another tenant finds nothing.
 */
@QuarkusTest
class ResponsesApiTest extends SimProviderTest {
    private String tenant;

    @BeforeEach
    void tenant() {
        tenant = "t-" + UUID.randomUUID();
    }

    private RequestSpecification as(String tenantId) {
        return asGateway().header(RelayHeaders.TENANT, tenantId).contentType(ContentType.JSON);
    }

    private Response create(String tenantId, JsonObject body) {
        return as(tenantId).body(body.encode()).post("/v1/responses");
    }

    private static JsonObject turn(String model, String input) {
        return new JsonObject().put("model", model).put("input", input);
    }

    @Test
    void aTurnIsAnsweredAsAResponseStoredAndBilledByHeader() {
        Response answer = create(tenant, turn("sim-gpt", "Say hello").put("instructions", "Be brief.")).then()
                .statusCode(200)
                .body("object", equalTo("response"))
                .body("status", equalTo("completed"))
                .body("output[0].type", equalTo("message"))
                .body("output[0].content[0].text", not(emptyOrNullString()))
                .body("usage.input_tokens", greaterThan(0))
                .header(RelayHeaders.DEPLOYMENT, "sim-gpt-a")
                .header(RelayHeaders.USAGE, not(emptyOrNullString()))
                .extract().response();
        String id = answer.jsonPath().getString("id");
        assertTrue(id.startsWith("resp_"));
        assertEquals(id, answer.header(RelayHeaders.RESPONSE_ID));

        as(tenant).get("/v1/responses/" + id).then().statusCode(200).body("id", equalTo(id))
                .body("output[0].content[0].text", equalTo(answer.jsonPath().getString("output[0].content[0].text")));
        as(tenant).get("/v1/responses/" + id + "/input_items").then().statusCode(200)
                .body("object", equalTo("list")).body("data.size()", equalTo(1))
                .body("data[0].content[0].text", equalTo("Say hello"));
    }

    @Test
    void aThirdChainedTurnReachesTheProviderWithEveryEarlierTurn() {
        String first = create(tenant, turn("sim-claude", "alpha-one")).then().statusCode(200)
                .extract().jsonPath().getString("id");
        String firstAnswer = as(tenant).get("/v1/responses/" + first).jsonPath().getString("output[0].content[0].text");
        String second = create(tenant, turn("sim-claude", "beta-two").put("previous_response_id", first)).then()
                .statusCode(200).extract().jsonPath().getString("id");
        create(tenant, turn("sim-claude", "gamma-three").put("previous_response_id", second)).then().statusCode(200);

        String sent = lastProviderBody();
        assertTrue(sent.contains("alpha-one") && sent.contains("beta-two") && sent.contains("gamma-three"), sent);
        assertTrue(sent.contains(firstAnswer.split(" ")[0]), "the first answer is part of the history");
    }

    @Test
    void anotherTenantFindsNothing() {
        String id = create(tenant, turn("sim-gpt", "private")).then().statusCode(200)
                .extract().jsonPath().getString("id");
        String other = "t-" + UUID.randomUUID();
        as(other).get("/v1/responses/" + id).then().statusCode(404);
        as(other).get("/v1/responses/" + id + "/input_items").then().statusCode(404);
        as(other).delete("/v1/responses/" + id).then().statusCode(404);
        create(other, turn("sim-gpt", "more").put("previous_response_id", id)).then().statusCode(404)
                .body("error.param", equalTo("previous_response_id"));
        as(other).get("/internal/memory/context?previous_response_id=" + id).then().statusCode(404);
        as(tenant).get("/v1/responses/" + id).then().statusCode(200);
    }

    @Test
    void aStreamedTurnFollowsOpenAisEventOrderAndIsStoredBeforeItCompletes() {
        String body = create(tenant, turn("sim-gemini", "Stream please").put("stream", true)).then().statusCode(200)
                .extract().asString();
        List<String> types = new ArrayList<>();
        List<Integer> sequence = new ArrayList<>();
        StringBuilder deltas = new StringBuilder();
        JsonObject completed = null;
        int usageComment = -1;
        for (String frame : body.split("\n\n")) {
            if (frame.startsWith(RelayHeaders.STREAM_USAGE_COMMENT)) {
                usageComment = types.size();
                continue;
            }
            String data = frame.substring(frame.indexOf("data: ") + 6);
            JsonObject event = new JsonObject(data);
            types.add(event.getString("type"));
            sequence.add(event.getInteger("sequence_number"));
            if ("response.output_text.delta".equals(event.getString("type"))) {
                deltas.append(event.getString("delta"));
            }
            if ("response.completed".equals(event.getString("type"))) {
                completed = event.getJsonObject("response");
            }
        }
        assertEquals("response.created", types.get(0));
        assertEquals("response.in_progress", types.get(1));
        assertEquals("response.completed", types.get(types.size() - 1));
        assertTrue(usageComment > types.lastIndexOf("response.output_text.delta")
                && usageComment < types.size(), "the usage comment comes after the text, before response.completed");
        for (int i = 0; i < sequence.size(); i++) {
            assertEquals(i, sequence.get(i));
        }
        String text = completed.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0)
                .getString("text");
        assertEquals(text, deltas.toString());
        as(tenant).get("/v1/responses/" + completed.getString("id")).then().statusCode(200)
                .body("status", equalTo("completed"));
    }

    @Test
    void aConversationCollectsItsTurnsAndIsDeletedWhole() {
        String conversation = as(tenant).body(new JsonObject().put("metadata", new JsonObject().put("topic", "demo"))
                .put("items", new JsonArray().add(new JsonObject().put("role", "user").put("content", "first words")))
                .encode()).post("/v1/conversations").then().statusCode(200)
                .body("object", equalTo("conversation")).body("metadata.topic", equalTo("demo"))
                .extract().jsonPath().getString("id");
        create(tenant, turn("sim-gpt", "second words").put("conversation", conversation)).then().statusCode(200)
                .header(RelayHeaders.CONVERSATION_ID, conversation);
        assertTrue(lastProviderBody().contains("first words"));

        as(tenant).get("/v1/conversations/" + conversation + "/items?order=asc").then().statusCode(200)
                .body("data.size()", equalTo(3))
                .body("data[0].content[0].text", equalTo("first words"))
                .body("data[1].content[0].text", equalTo("second words"))
                .body("data[2].role", equalTo("assistant"));
        as(tenant).get("/internal/memory/context?conversation=" + conversation).then().statusCode(200)
                .body("items", equalTo(3)).body("tokens", greaterThan(0));
        as(tenant).get("/internal/memory/context").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
        as(tenant).get("/internal/memory/context?conversation=" + conversation + "&previous_response_id=resp_x")
                .then().statusCode(400);
        as("bad tenant id").get("/internal/memory/context?conversation=" + conversation).then().statusCode(400)
                .body("error.param", equalTo(RelayHeaders.TENANT));
        given().header(RelayHeaders.TENANT, tenant).get("/internal/memory/context?conversation=" + conversation)
                .then().statusCode(401);
        as("t-" + UUID.randomUUID()).get("/v1/conversations/" + conversation + "/items").then().statusCode(404);

        as(tenant).delete("/v1/conversations/" + conversation).then().statusCode(200).body("deleted", equalTo(true));
        as(tenant).get("/v1/conversations/" + conversation).then().statusCode(404);
        create(tenant, turn("sim-gpt", "again").put("conversation", conversation)).then().statusCode(404);
    }

    @Test
    void historyBeyondTheContextWindowIsRefusedOrTruncatedAsAsked() {
        // sim-gpt-mini's test catalogue entry has a small context window.
        String words = "word ".repeat(300);
        String first = create(tenant, turn("sim-gpt-mini", words).put("max_output_tokens", 16)).then().statusCode(200)
                .extract().jsonPath().getString("id");
        create(tenant, turn("sim-gpt-mini", words).put("max_output_tokens", 16).put("previous_response_id", first))
                .then().statusCode(400)
                .body("error.code", equalTo("context_length_exceeded"));
        create(tenant, turn("sim-gpt-mini", "short").put("previous_response_id", first).put("truncation", "auto"))
                .then().statusCode(200);
    }

    @Test
    void unstoredResponsesAreNotKeptAndRequestsWithoutATenantAreRefused() {
        String id = create(tenant, turn("sim-gpt", "forget me").put("store", false)).then().statusCode(200)
                .extract().jsonPath().getString("id");
        as(tenant).get("/v1/responses/" + id).then().statusCode(404);
        asGateway().contentType(ContentType.JSON).body(turn("sim-gpt", "who").encode()).post("/v1/responses").then()
                .statusCode(400).body("error.param", equalTo(RelayHeaders.TENANT));
        given().contentType(ContentType.JSON).body(turn("sim-gpt", "who").encode()).post("/v1/responses").then()
                .statusCode(401);
    }

    private String lastProviderBody() {
        List<String> bodies = given().get(sim.baseUrl() + "/sim/requests").jsonPath().getList("body");
        return bodies.get(bodies.size() - 1);
    }
}
