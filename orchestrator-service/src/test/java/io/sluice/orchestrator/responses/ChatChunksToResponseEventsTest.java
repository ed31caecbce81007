package io.sluice.orchestrator.responses;

import static io.sluice.orchestrator.responses.ResponsesFixtures.draft;
import static io.sluice.orchestrator.responses.ResponsesFixtures.events;
import static io.sluice.orchestrator.responses.ResponsesFixtures.finishChunk;
import static io.sluice.orchestrator.responses.ResponsesFixtures.request;
import static io.sluice.orchestrator.responses.ResponsesFixtures.textChunk;
import static io.sluice.orchestrator.responses.ResponsesFixtures.toolChunk;
import static io.sluice.orchestrator.responses.ResponsesFixtures.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.orchestrator.responses.ResponsesFixtures.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

class ChatChunksToResponseEventsTest {

    /** A text stream: what OpenAI sends, in its order, sequence numbers 0, 1, 2… */
    static List<Event> textStream(ChatChunksToResponseEvents stream) {
        Buffer sse = Buffer.buffer().appendBuffer(stream.start()).appendBuffer(stream.chunk(textChunk("Hel")))
                .appendBuffer(stream.chunk(textChunk(""))).appendBuffer(stream.chunk(textChunk("lo")))
                .appendBuffer(stream.chunk(finishChunk("stop"))).appendBuffer(stream.chunk(usageChunk(9, 2)))
                .appendBuffer(stream.complete());
        return events(sse);
    }

    @Test
    void textStreamsInOpenAisOrder() {
        ChatChunksToResponseEvents stream = new ChatChunksToResponseEvents(
                draft(request("{\"model\":\"sim-gpt\",\"input\":\"hi\",\"stream\":true}")));
        List<Event> events = textStream(stream);
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed"), events.stream().map(Event::type).toList());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, events.get(i).data().getInteger("sequence_number"));
        }
        assertEquals("in_progress", events.get(0).data().getJsonObject("response").getString("status"));
        JsonObject added = events.get(2).data();
        assertEquals(0, added.getInteger("output_index"));
        String itemId = added.getJsonObject("item").getString("id");
        assertEquals("in_progress", added.getJsonObject("item").getString("status"));
        assertEquals(itemId, events.get(4).data().getString("item_id"));
        assertEquals("Hel", events.get(4).data().getString("delta"));
        assertEquals("Hello", events.get(6).data().getString("text"));
        assertEquals("Hello", events.get(7).data().getJsonObject("part").getString("text"));
        assertEquals("completed", events.get(8).data().getJsonObject("item").getString("status"));

        JsonObject completed = events.get(9).data().getJsonObject("response");
        assertEquals("completed", completed.getString("status"));
        assertEquals(11, completed.getJsonObject("usage").getInteger("total_tokens"));
        assertEquals("Hello", completed.getJsonArray("output").getJsonObject(0).getJsonArray("content")
                .getJsonObject(0).getString("text"));
        assertEquals(completed, stream.response());
        assertTrue(stream.completed());
        assertEquals(0, stream.complete().length(), "a second complete() adds nothing");
    }

    @Test
    void toolCallsStreamOneItemAfterTheOther() {
        ChatChunksToResponseEvents stream = new ChatChunksToResponseEvents(
                draft(request("{\"model\":\"m\",\"input\":\"hi\",\"stream\":true}")));
        Buffer sse = Buffer.buffer().appendBuffer(stream.start()).appendBuffer(stream.chunk(textChunk("Checking")))
                .appendBuffer(stream.chunk(toolChunk(0, "call_a", "w", "")))
                .appendBuffer(stream.chunk(toolChunk(0, null, null, "{\"c\":")))
                .appendBuffer(stream.chunk(toolChunk(0, null, null, "1}")))
                .appendBuffer(stream.chunk(toolChunk(1, "call_b", "w", "{}")))
                .appendBuffer(stream.chunk(finishChunk("tool_calls"))).appendBuffer(stream.chunk(usageChunk(3, 4)))
                .appendBuffer(stream.complete());
        List<Event> events = events(sse);
        assertEquals(List.of("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.done",
                "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed"), events.stream().map(Event::type).toList());
        JsonObject firstCall = events.get(8).data();
        assertEquals(1, firstCall.getInteger("output_index"));
        assertEquals("call_a", firstCall.getJsonObject("item").getString("call_id"));
        assertEquals("{\"c\":1}", events.get(11).data().getString("arguments"));
        assertEquals("w", events.get(11).data().getString("name"));
        assertEquals(2, events.get(13).data().getInteger("output_index"));
        JsonObject response = stream.response();
        assertEquals(3, response.getJsonArray("output").size());
        assertEquals("{\"c\":1}", response.getJsonArray("output").getJsonObject(1).getString("arguments"));
        assertEquals("completed", response.getJsonArray("output").getJsonObject(2).getString("status"));
    }

    @Test
    void argumentsOfAnEarlierCallThatArriveLateStillReachTheStoredResponse() {
        ChatChunksToResponseEvents stream = new ChatChunksToResponseEvents(
                draft(request("{\"model\":\"m\",\"input\":\"hi\"}")));
        stream.start();
        stream.chunk(toolChunk(0, "call_a", "w", "{\"a\""));
        stream.chunk(toolChunk(1, "call_b", "w", "{}"));
        stream.chunk(toolChunk(0, null, null, ":1}"));
        stream.complete();
        assertEquals("{\"a\":1}", stream.response().getJsonArray("output").getJsonObject(0).getString("arguments"));
    }

    @Test
    void aLengthFinishIsResponseIncomplete() {
        ChatChunksToResponseEvents stream = new ChatChunksToResponseEvents(
                draft(request("{\"model\":\"m\",\"input\":\"hi\"}")));
        Buffer sse = Buffer.buffer().appendBuffer(stream.start()).appendBuffer(stream.chunk(textChunk("Hel")))
                .appendBuffer(stream.chunk(finishChunk("length"))).appendBuffer(stream.complete());
        List<Event> events = events(sse);
        Event last = events.get(events.size() - 1);
        assertEquals("response.incomplete", last.type());
        assertEquals("max_output_tokens",
                last.data().getJsonObject("response").getJsonObject("incomplete_details").getString("reason"));
        assertEquals("incomplete", events.get(events.size() - 2).data().getJsonObject("item").getString("status"));
        assertTrue(stream.completed());
    }

    @Test
    void aFailureMidwaySendsErrorThenResponseFailedAndClosesNothingAsDone() {
        ChatChunksToResponseEvents stream = new ChatChunksToResponseEvents(
                draft(request("{\"model\":\"m\",\"input\":\"hi\"}")));
        Buffer sse = Buffer.buffer().appendBuffer(stream.start()).appendBuffer(stream.chunk(textChunk("Hel")))
                .appendBuffer(stream.failed("upstream_timeout", "The provider stopped answering."));
        List<Event> events = events(sse);
        List<String> types = events.stream().map(Event::type).toList();
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "error", "response.failed"), types);
        JsonObject error = events.get(5).data();
        assertEquals("upstream_timeout", error.getString("code"));
        assertEquals("The provider stopped answering.", error.getString("message"));
        JsonObject failed = events.get(6).data().getJsonObject("response");
        assertEquals("failed", failed.getString("status"));
        assertEquals(new JsonObject().put("code", "server_error").put("message", "The provider stopped answering."),
                failed.getJsonObject("error"));
        assertEquals("incomplete", failed.getJsonArray("output").getJsonObject(0).getString("status"));
        assertNull(failed.getValue("usage"));
        assertFalse(stream.completed());
        assertEquals(failed, stream.response());
        assertEquals(0, stream.complete().length(), "nothing completes after a failure");
        assertEquals(0, stream.chunk(textChunk("more")).length());
    }

    @Test
    void aRateLimitKeepsItsCodeAndSequenceNumbersStayStrictlyIncreasing() {
        ChatChunksToResponseEvents stream = new ChatChunksToResponseEvents(
                draft(request("{\"model\":\"m\",\"input\":\"hi\"}")));
        List<Event> events = new ArrayList<>(events(stream.start()));
        events.addAll(events(stream.failed("rate_limit_exceeded", "slow down")));
        assertEquals("rate_limit_exceeded",
                events.get(3).data().getJsonObject("response").getJsonObject("error").getString("code"));
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, events.get(i).data().getInteger("sequence_number"));
        }
    }

    @Test
    void theChatStreamsErrorEventIsAFailure() {
        ChatChunksToResponseEvents stream = new ChatChunksToResponseEvents(
                draft(request("{\"model\":\"m\",\"input\":\"hi\"}")));
        stream.start();
        stream.chunk(textChunk("Hel"));
        List<Event> events = events(stream.chunk(new JsonObject("{\"error\":{\"message\":\"The upstream provider "
                + "closed the stream before it finished.\",\"type\":\"server_error\",\"param\":null,"
                + "\"code\":\"upstream_disconnected\"}}")));
        assertEquals(List.of("error", "response.failed"), events.stream().map(Event::type).toList());
        assertEquals("upstream_disconnected", events.get(0).data().getString("code"));
        assertEquals("failed", stream.response().getString("status"));
        assertFalse(stream.completed());
    }
}
