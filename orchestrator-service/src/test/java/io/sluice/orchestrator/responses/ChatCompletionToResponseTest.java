package io.sluice.orchestrator.responses;

import static io.sluice.orchestrator.responses.ResponsesFixtures.chatCompletion;
import static io.sluice.orchestrator.responses.ResponsesFixtures.draft;
import static io.sluice.orchestrator.responses.ResponsesFixtures.request;
import static io.sluice.orchestrator.responses.ResponsesFixtures.toolCall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class ChatCompletionToResponseTest {
    private static final String ID = "[0-9a-f]{32}";

    @Test
    void aTextAnswerIsOneCompletedMessageWithUsage() {
        JsonObject response = ChatCompletionToResponse.response(draft(request("{\"model\":\"sim-gpt\",\"input\":\"hi\"}")),
                chatCompletion("Hello", null, "stop"));
        assertEquals("response", response.getString("object"));
        assertEquals("resp_0123456789abcdef0123456789abcdef", response.getString("id"));
        assertEquals(1_700_000_000L, response.getLong("created_at"));
        assertEquals("completed", response.getString("status"));
        assertNull(response.getValue("incomplete_details"));
        assertNull(response.getValue("error"));
        JsonObject message = response.getJsonArray("output").getJsonObject(0);
        assertTrue(message.getString("id").matches("msg_" + ID), message.getString("id"));
        assertEquals("assistant", message.getString("role"));
        assertEquals("completed", message.getString("status"));
        assertEquals(new JsonObject("{\"type\":\"output_text\",\"text\":\"Hello\",\"annotations\":[],\"logprobs\":[]}"),
                message.getJsonArray("content").getJsonObject(0));
        assertEquals(new JsonObject("""
                {"input_tokens":12,"input_tokens_details":{"cached_tokens":4,"cache_write_tokens":0},
                 "output_tokens":5,"output_tokens_details":{"reasoning_tokens":1},"total_tokens":17}
                """), response.getJsonObject("usage"));
    }

    @Test
    void toolCallsAreFunctionCallItemsKeepingTheirCallIds() {
        JsonArray calls = new JsonArray().add(toolCall("call_a", "w", "{\"c\":1}")).add(toolCall("call_b", "w", "{}"));
        JsonArray output = ChatCompletionToResponse.response(draft(request("{\"model\":\"m\",\"input\":\"hi\"}")),
                chatCompletion(null, calls, "tool_calls")).getJsonArray("output");
        assertEquals(2, output.size());
        JsonObject first = output.getJsonObject(0);
        assertTrue(first.getString("id").matches("fc_" + ID));
        assertEquals("function_call", first.getString("type"));
        assertEquals("call_a", first.getString("call_id"));
        assertEquals("w", first.getString("name"));
        assertEquals("{\"c\":1}", first.getString("arguments"));
        assertEquals("completed", first.getString("status"));
        assertNotEquals(first.getString("id"), output.getJsonObject(1).getString("id"));
    }

    @Test
    void textBeforeToolCallsIsAMessageFirst() {
        JsonArray output = ChatCompletionToResponse.response(draft(request("{\"model\":\"m\",\"input\":\"hi\"}")),
                chatCompletion("let me look", new JsonArray().add(toolCall("call_a", "w", "{}")), "tool_calls"))
                .getJsonArray("output");
        assertEquals("message", output.getJsonObject(0).getString("type"));
        assertEquals("function_call", output.getJsonObject(1).getString("type"));
    }

    @Test
    void lengthAndContentFilterAreIncomplete() {
        JsonObject cut = ChatCompletionToResponse.response(draft(request("{\"model\":\"m\",\"input\":\"hi\"}")),
                chatCompletion("Hel", null, "length"));
        assertEquals("incomplete", cut.getString("status"));
        assertEquals(new JsonObject().put("reason", "max_output_tokens"), cut.getJsonObject("incomplete_details"));
        assertEquals("incomplete", cut.getJsonArray("output").getJsonObject(0).getString("status"));
        JsonObject filtered = ChatCompletionToResponse.response(draft(request("{\"model\":\"m\",\"input\":\"hi\"}")),
                chatCompletion(null, null, "content_filter"));
        assertEquals(new JsonObject().put("reason", "content_filter"), filtered.getJsonObject("incomplete_details"));
    }

    @Test
    void theRequestIsEchoedWithOpenAisDefaults() {
        JsonObject plain = ChatCompletionToResponse.response(draft(request("{\"model\":\"sim-gpt\",\"input\":\"hi\"}")),
                chatCompletion("x", null, "stop"));
        assertEquals("sim-gpt", plain.getString("model"));
        assertEquals(new JsonObject(), plain.getJsonObject("metadata"));
        assertEquals(1.0, plain.getDouble("temperature"));
        assertEquals(1.0, plain.getDouble("top_p"));
        assertEquals("auto", plain.getString("tool_choice"));
        assertEquals(new JsonArray(), plain.getJsonArray("tools"));
        assertEquals("disabled", plain.getString("truncation"));
        assertEquals(true, plain.getBoolean("parallel_tool_calls"));
        assertEquals(true, plain.getBoolean("store"));
        assertEquals(new JsonObject("{\"format\":{\"type\":\"text\"}}"), plain.getJsonObject("text"));
        assertTrue(plain.containsKey("instructions") && plain.getValue("instructions") == null);
        assertTrue(plain.containsKey("conversation") && plain.getValue("conversation") == null);
        assertTrue(plain.containsKey("previous_response_id") && plain.getValue("previous_response_id") == null);

        ResponsesRequest full = request("""
                {"model":"m","input":"x","instructions":"i","temperature":0.3,"top_p":0.4,"max_output_tokens":64,
                 "metadata":{"a":"b"},"store":false,"truncation":"auto","parallel_tool_calls":false,
                 "previous_response_id":"resp_p","tools":[{"type":"function","name":"f"}],"tool_choice":"required"}
                """);
        JsonObject echoed = ChatCompletionToResponse.response(
                new ResponseDraft("resp_x", 1L, full, "conv_9"), chatCompletion("x", null, "stop"));
        assertEquals("i", echoed.getString("instructions"));
        assertEquals(0.3, echoed.getDouble("temperature"));
        assertEquals(0.4, echoed.getDouble("top_p"));
        assertEquals(64, echoed.getInteger("max_output_tokens"));
        assertEquals(new JsonObject().put("a", "b"), echoed.getJsonObject("metadata"));
        assertEquals(false, echoed.getBoolean("store"));
        assertEquals("auto", echoed.getString("truncation"));
        assertEquals(false, echoed.getBoolean("parallel_tool_calls"));
        assertEquals("resp_p", echoed.getString("previous_response_id"));
        assertEquals(new JsonObject().put("id", "conv_9"), echoed.getJsonObject("conversation"));
        assertEquals("required", echoed.getString("tool_choice"));
        assertEquals("f", echoed.getJsonArray("tools").getJsonObject(0).getString("name"));
    }

    @Test
    void anAnswerWithoutUsageCountsZero() {
        JsonObject chat = chatCompletion("x", null, "stop");
        chat.remove("usage");
        JsonObject usage = ChatCompletionToResponse.response(draft(request("{\"model\":\"m\",\"input\":\"hi\"}")), chat)
                .getJsonObject("usage");
        assertEquals(0, usage.getInteger("total_tokens"));
    }
}
