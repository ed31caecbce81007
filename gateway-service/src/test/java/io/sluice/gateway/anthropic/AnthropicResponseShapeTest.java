package io.sluice.gateway.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.sluice.contracts.ApiError;
import io.sluice.gateway.relay.ResponseShape;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

class AnthropicResponseShapeTest {

    private final ResponseShape shape = new AnthropicResponseShape().forRequest("req_abc123", "sim-claude");

    @Test
    void chatCompletionBecomesAMessage() {
        JsonObject message = shape.whole(200, Buffer.buffer("""
                {"id":"chatcmpl-1","object":"chat.completion","model":"sim-gpt-deployment",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi there"},"finish_reason":"length"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":16,"total_tokens":28}}""")).toJsonObject();
        assertEquals("msg_abc123", message.getString("id"));
        assertEquals("message", message.getString("type"));
        assertEquals("assistant", message.getString("role"));
        assertEquals("sim-claude", message.getString("model"), "the model the client asked for");
        assertEquals(new JsonObject().put("type", "text").put("text", "Hi there"),
                message.getJsonArray("content").getJsonObject(0));
        assertEquals("max_tokens", message.getString("stop_reason"));
        assertEquals(12, message.getJsonObject("usage").getInteger("input_tokens"));
        assertEquals(16, message.getJsonObject("usage").getInteger("output_tokens"));
    }

    @Test
    void toolCallsBecomeToolUseBlocks() {
        JsonObject message = shape.whole(200, Buffer.buffer("""
                {"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                  "function":{"name":"weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":3,"completion_tokens":4}}""")).toJsonObject();
        JsonObject block = message.getJsonArray("content").getJsonObject(0);
        assertEquals(1, message.getJsonArray("content").size());
        assertEquals("tool_use", block.getString("type"));
        assertEquals("call_1", block.getString("id"));
        assertEquals(new JsonObject().put("city", "Oslo"), block.getJsonObject("input"));
        assertEquals("tool_use", message.getString("stop_reason"));
    }

    @Test
    void orchestratorErrorsTakeAnthropicsFormatKeepingTheMessage() {
        JsonObject error = shape.whole(429, Buffer.buffer(
                "{\"error\":{\"message\":\"Slow down\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"x\"}}"))
                .toJsonObject();
        assertEquals("error", error.getString("type"));
        assertEquals("rate_limit_error", error.getJsonObject("error").getString("type"));
        assertEquals("Slow down", error.getJsonObject("error").getString("message"));

        JsonObject notJson = shape.whole(502, Buffer.buffer("Bad Gateway")).toJsonObject();
        assertEquals("api_error", notJson.getJsonObject("error").getString("type"));
        assertTrue(notJson.getJsonObject("error").getString("message").contains("502"));
    }

    @Test
    void gatewayErrorTypesFollowTheStatusAsAnthropicDocuments() {
        assertEquals("invalid_request_error", AnthropicErrors.type(400));
        assertEquals("authentication_error", AnthropicErrors.type(401));
        assertEquals("permission_error", AnthropicErrors.type(403));
        assertEquals("not_found_error", AnthropicErrors.type(404));
        assertEquals("request_too_large", AnthropicErrors.type(413));
        assertEquals("rate_limit_error", AnthropicErrors.type(429));
        assertEquals("api_error", AnthropicErrors.type(500));
        assertEquals("overloaded_error", AnthropicErrors.type(503));
        JsonObject error = AnthropicErrors.of(401, ApiError.authentication("Incorrect API key provided."));
        assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                + "\"message\":\"Incorrect API key provided.\"}}", error.encode());
    }
}
