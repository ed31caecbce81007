package io.sluice.orchestrator.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.function.Executable;

import io.sluice.orchestrator.adapter.InvalidRequestException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Requests, chat answers and SSE frames the Responses tests share. */
final class ResponsesFixtures {
    record Event(String type, JsonObject data) {
    }

    private ResponsesFixtures() {
    }

    static ResponsesRequest request(String json) {
        return ResponsesRequest.parse(new JsonObject(json));
    }

    static ResponseDraft draft(ResponsesRequest request) {
        return new ResponseDraft("resp_0123456789abcdef0123456789abcdef", 1_700_000_000L, request, null);
    }

    /** The 400 {@code body} makes, asserting the parameter it names. */
    static InvalidRequestException rejected(String param, String json) {
        return rejected(param, () -> request(json));
    }

    static InvalidRequestException rejected(String param, Executable call) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, call);
        assertEquals(param, e.error().error().param(), e.getMessage());
        return e;
    }

    static JsonObject chatCompletion(String content, JsonArray toolCalls, String finishReason) {
        JsonObject message = new JsonObject().put("role", "assistant").put("content", content);
        if (toolCalls != null) {
            message.put("tool_calls", toolCalls);
        }
        return new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion").put("model", "sim-gpt")
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
                        .put("finish_reason", finishReason)))
                .put("usage", new JsonObject().put("prompt_tokens", 12).put("completion_tokens", 5)
                        .put("total_tokens", 17).put("prompt_tokens_details", new JsonObject().put("cached_tokens", 4))
                        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", 1)));
    }

    static JsonObject toolCall(String id, String name, String arguments) {
        return new JsonObject().put("id", id).put("type", "function")
                .put("function", new JsonObject().put("name", name).put("arguments", arguments));
    }

    static JsonObject textChunk(String text) {
        return chunk(new JsonObject().put("content", text), null);
    }

    static JsonObject toolChunk(int index, String id, String name, String arguments) {
        JsonObject call = new JsonObject().put("index", index);
        JsonObject function = new JsonObject().put("arguments", arguments);
        if (id != null) {
            call.put("id", id).put("type", "function");
            function.put("name", name);
        }
        return chunk(new JsonObject().put("tool_calls", new JsonArray().add(call.put("function", function))), null);
    }

    static JsonObject finishChunk(String reason) {
        return chunk(new JsonObject(), reason);
    }

    static JsonObject usageChunk(int prompt, int completion) {
        return new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                .put("choices", new JsonArray()).put("usage", new JsonObject().put("prompt_tokens", prompt)
                        .put("completion_tokens", completion).put("total_tokens", prompt + completion));
    }

    private static JsonObject chunk(JsonObject delta, String finishReason) {
        return new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion.chunk").put("choices",
                new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta).put("finish_reason",
                        finishReason)));
    }

    /** The frames of {@code sse}, checking each is {@code event: <type>\ndata: <json>} with type = data.type. */
    static List<Event> events(Buffer sse) {
        List<Event> events = new ArrayList<>();
        for (String frame : sse.toString().split("\n\n")) {
            if (frame.isEmpty()) {
                continue;
            }
            String[] lines = frame.split("\n");
            assertEquals(2, lines.length, frame);
            String type = lines[0].substring("event: ".length());
            JsonObject data = new JsonObject(lines[1].substring("data: ".length()));
            assertEquals(type, data.getString("type"));
            events.add(new Event(type, data));
        }
        return events;
    }
}
