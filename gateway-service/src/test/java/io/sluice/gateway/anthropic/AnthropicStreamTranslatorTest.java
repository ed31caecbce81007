package io.sluice.gateway.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.gateway.relay.ResponseShape.StreamTranslator;
import io.sluice.gateway.relay.SseUsageTap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

class AnthropicStreamTranslatorTest {

    private static final String TEXT_STREAM = """
            data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Héllo"},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":" world"},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}

            data: [DONE]

            """;

    /** One event as the client sees it: the SSE event name and its data. */
    private record Event(String name, JsonObject data) {
    }

    @Test
    void textStreamFedInSmallPiecesBecomesAnthropicsEventSequence() {
        SseUsageTap tap = new SseUsageTap(true, 1 << 20);
        StreamTranslator translator = new AnthropicResponseShape().forRequest("req_42", "sim-claude").stream();
        Buffer client = Buffer.buffer();
        byte[] bytes = TEXT_STREAM.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 7) {
            client.appendBuffer(translator.events(tap.pass(Buffer.buffer().appendBytes(bytes, i,
                    Math.min(7, bytes.length - i)))));
        }
        client.appendBuffer(translator.events(tap.rest())).appendBuffer(translator.end());

        List<Event> events = parse(client);
        assertEquals(List.of("message_start", "ping", "content_block_start", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop"),
                events.stream().map(Event::name).toList());
        events.forEach(e -> assertEquals(e.name(), e.data().getString("type"), "data type matches the event name"));
        JsonObject message = events.get(0).data().getJsonObject("message");
        assertEquals("msg_42", message.getString("id"));
        assertEquals("sim-claude", message.getString("model"));
        assertEquals("text", events.get(2).data().getJsonObject("content_block").getString("type"));
        assertEquals("Héllo world", events.get(3).data().getJsonObject("delta").getString("text")
                + events.get(4).data().getJsonObject("delta").getString("text"));
        JsonObject messageDelta = events.get(6).data();
        assertEquals("end_turn", messageDelta.getJsonObject("delta").getString("stop_reason"));
        assertEquals(2, messageDelta.getJsonObject("usage").getInteger("output_tokens"));
        assertEquals(9, messageDelta.getJsonObject("usage").getInteger("input_tokens"));
        assertTrue(tap.completed(), "billing still sees the OpenAI stream");
        assertEquals(9, tap.usage().prompt());
        assertEquals(2, tap.usage().completion());
    }

    @Test
    void eachEventIsTranslatedAsSoonAsItArrives() {
        StreamTranslator translator = new AnthropicResponseShape().forRequest("req_1", "m").stream();
        List<Event> first = parse(translator.events(Buffer.buffer(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n")));
        assertEquals(List.of("message_start", "ping", "content_block_start", "content_block_delta"),
                first.stream().map(Event::name).toList());
    }

    @Test
    void toolCallDeltasBecomeToolUseBlocksWithJsonDeltas() {
        StreamTranslator translator = new AnthropicResponseShape().forRequest("req_1", "m").stream();
        Buffer client = translator.events(Buffer.buffer("""
                data: {"choices":[{"index":0,"delta":{"content":"Let me check."}}]}

                data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"weather","arguments":""}}]}}]}

                data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":"}}]}}]}

                data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"Oslo\\"}"}}]}}]}

                data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

                data: [DONE]

                """));
        List<Event> events = parse(client);
        assertEquals(List.of("message_start", "ping", "content_block_start", "content_block_delta",
                "content_block_stop", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop"), events.stream().map(Event::name).toList());
        JsonObject toolBlock = events.get(5).data();
        assertEquals(1, toolBlock.getInteger("index"));
        assertEquals("tool_use", toolBlock.getJsonObject("content_block").getString("type"));
        assertEquals("call_1", toolBlock.getJsonObject("content_block").getString("id"));
        String json = events.get(6).data().getJsonObject("delta").getString("partial_json")
                + events.get(7).data().getJsonObject("delta").getString("partial_json");
        assertEquals(new JsonObject().put("city", "Oslo"), new JsonObject(json));
        assertEquals("tool_use", events.get(9).data().getJsonObject("delta").getString("stop_reason"));
    }

    @Test
    void upstreamErrorEventBecomesAnAnthropicErrorEventAndEndsTheStream() {
        StreamTranslator translator = new AnthropicResponseShape().forRequest("req_1", "m").stream();
        Buffer client = translator.events(Buffer.buffer("""
                data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}

                data: {"error":{"message":"provider failed","type":"server_error","code":"upstream_error"}}

                """)).appendBuffer(translator.end());
        List<Event> events = parse(client);
        Event last = events.get(events.size() - 1);
        assertEquals("error", last.name());
        assertEquals("api_error", last.data().getJsonObject("error").getString("type"));
        assertEquals("provider failed", last.data().getJsonObject("error").getString("message"));
        assertEquals(1, events.stream().filter(e -> e.name().equals("error")).count(), "one error, not two");
    }

    @Test
    void streamThatBreaksOffEndsWithAnErrorEvent() {
        StreamTranslator translator = new AnthropicResponseShape().forRequest("req_1", "m").stream();
        translator.events(Buffer.buffer("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"));
        List<Event> events = parse(translator.end());
        assertEquals(List.of("error"), events.stream().map(Event::name).toList());
    }

    private static List<Event> parse(Buffer sse) {
        List<Event> events = new ArrayList<>();
        for (String block : sse.toString(StandardCharsets.UTF_8).split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            String[] lines = block.split("\n");
            assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), block);
            events.add(new Event(lines[0].substring(7), new JsonObject(lines[1].substring(6))));
        }
        return events;
    }
}
