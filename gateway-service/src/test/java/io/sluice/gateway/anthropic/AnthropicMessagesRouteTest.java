package io.sluice.gateway.anthropic;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sluice.gateway.TestKeys;
import io.sluice.testsupport.quarkus.RedisTestResource;

/** {@code POST /v1/messages} refuses in Anthropic's error format, so Anthropic SDKs surface the gateway's errors. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class AnthropicMessagesRouteTest {
    private static final String HELLO = "{\"model\":\"sim-claude\",\"max_tokens\":16,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    @Test
    void requestWithoutKeyIsRefusedInAnthropicFormat() {
        given().contentType(ContentType.JSON).body(HELLO)
                .post("/v1/messages")
                .then().statusCode(401)
                .header("x-request-id", startsWith("req_"))
                .contentType(ContentType.JSON)
                .body("type", equalTo("error"))
                .body("error.type", equalTo("authentication_error"))
                .body("error.message", startsWith("You didn't provide an API key"));
    }

    @Test
    void keyThatCannotBeVerifiedIsAnOverloadedErrorWithTheSameStatus() {
        // No quota-service runs here, so the key lookup fails: retryable, in Anthropic's format.
        given().header("x-api-key", TestKeys.wellFormed()).contentType(ContentType.JSON).body(HELLO)
                .post("/v1/messages")
                .then().statusCode(503)
                .body("type", equalTo("error"))
                .body("error.type", equalTo("overloaded_error"));
    }

    @Test
    void openAiEndpointsKeepOpenAisErrorFormat() {
        given().contentType(ContentType.JSON).body(HELLO)
                .post("/v1/chat/completions")
                .then().statusCode(401)
                .body("error.type", equalTo("authentication_error"))
                .body("error.code", equalTo("invalid_api_key"));
    }
}
