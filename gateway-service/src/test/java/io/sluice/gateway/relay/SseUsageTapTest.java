package io.sluice.gateway.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.sluice.contracts.TokenUsage;
import io.vertx.core.buffer.Buffer;

class SseUsageTapTest {

    private static final String USAGE_EVENT =
            "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}\n\n";
    private static final String STREAM = """
            data: {"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}

            data: {"id":"c1","choices":[{"index":0,"delta":{"content":"Grüße"}}]}

            data: {"id":"c1","choices":[{"index":0,"delta":{"content":" 世界"}}]}

            data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            """ + USAGE_EVENT + "data: [DONE]\n\n";

    @Test
    void forwardsEveryEventUnchangedAndBillsFromTheUsageChunkEvenWhenBytesAreSplitAnywhere() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        SseUsageTap tap = new SseUsageTap(true, 1 << 20);
        Buffer delivered = Buffer.buffer();
        // 5-byte pieces cut through lines, event ends and multi-byte characters.
        for (int i = 0; i < bytes.length; i += 5) {
            delivered.appendBuffer(tap.pass(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i,
                    Math.min(bytes.length, i + 5)))));
        }
        delivered.appendBuffer(tap.rest());
        assertEquals(STREAM, delivered.toString(StandardCharsets.UTF_8));
        assertTrue(tap.completed());
        assertEquals(9, tap.usage().prompt());
        assertEquals(2, tap.usage().completion());
    }

    @Test
    void completeEventsArePassedOnAtOnceAndOnlyAPartialEventWaits() {
        SseUsageTap tap = new SseUsageTap(true, 1 << 20);
        String first = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n";
        assertEquals(first, tap.pass(Buffer.buffer(first + "data: {\"cho")).toString());
        assertEquals("data: {\"choices\":[]}\n\n", tap.pass(Buffer.buffer("ices\":[]}\n\n")).toString());
    }

    @Test
    void aChunkOfWholeEventsThatAllGoOutIsPassedOnAsItCameWithoutACopy() {
        SseUsageTap tap = new SseUsageTap(true, 1 << 20);
        Buffer chunk = Buffer.buffer("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n");
        assertSame(chunk, tap.pass(chunk));
        assertEquals(1, tap.usage().completion());
    }

    @Test
    void eventsWithCrLfLineEndsAreReadToo() {
        SseUsageTap tap = new SseUsageTap(true, 1 << 20);
        String stream = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\r\n\r\ndata: [DONE]\r\n\r\n";
        assertEquals(stream, tap.pass(Buffer.buffer(stream)).toString());
        assertTrue(tap.completed());
        assertEquals(1, tap.usage().completion());
    }

    @Test
    void usageChunkTheClientDidNotAskForIsWithheldButStillBilled() {
        SseUsageTap tap = new SseUsageTap(false, 1 << 20);
        String delivered = tap.pass(Buffer.buffer(STREAM)).toString(StandardCharsets.UTF_8);
        assertEquals(STREAM.replace(USAGE_EVENT, ""), delivered);
        assertEquals(2, tap.usage().completion());
        assertTrue(tap.completed());
    }

    @Test
    void cutStreamCountsTheDeliveredContentDeltas() {
        SseUsageTap tap = new SseUsageTap(false, 1 << 20);
        String cut = STREAM.substring(0, STREAM.indexOf("data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},"));
        tap.pass(Buffer.buffer(cut));
        tap.pass(Buffer.buffer("data: {\"error\":{\"message\":\"gone\",\"type\":\"server_error\"}}\n\n"));
        assertFalse(tap.completed());
        assertEquals(2, tap.usage().completion());
    }

    @Test
    void billsPromptCacheHitsAndNotesWhenTheFirstEventWentOut() {
        SseUsageTap tap = new SseUsageTap(false, 1 << 20);
        assertEquals(0, tap.firstEventAtNanos(), "nothing passed yet");
        tap.pass(Buffer.buffer("data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"con"));
        assertEquals(0, tap.firstEventAtNanos(), "half an event is not an event");

        long before = System.nanoTime();
        tap.pass(Buffer.buffer("tent\":\"Hi\"}}]}\n\n"));
        long first = tap.firstEventAtNanos();
        assertTrue(first >= before, "stamped when the first whole event passed");
        tap.pass(Buffer.buffer("data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":1200,"
                + "\"completion_tokens\":1,\"prompt_tokens_details\":{\"cached_tokens\":1024}}}\n\ndata: [DONE]\n\n"));

        assertEquals(first, tap.firstEventAtNanos(), "later events do not move it");
        assertEquals(1200, tap.usage().prompt());
        assertEquals(1024, tap.usage().cached());
    }

    @Test
    void theOrchestratorsEarlyUsageCommentBillsACutStreamAndNeverReachesTheClient() {
        SseUsageTap tap = new SseUsageTap(true, 1 << 20);
        String content = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n";
        // Split inside the comment, as network reads may.
        String delivered = tap.pass(Buffer.buffer(content + ": sluice-us")).toString()
                + tap.pass(Buffer.buffer("age 1200,0,1024\n\n" + content)).toString();

        assertEquals(content + content, delivered, "the comment is withheld, the events around it pass");
        assertTrue(tap.promptReported());
        assertEquals(new TokenUsage(1200, 2, 1024), tap.usage(), "prompt from the comment, output from the deltas");

        tap.pass(Buffer.buffer(USAGE_EVENT));
        assertEquals(new TokenUsage(9, 2, 0), tap.usage(), "the usage chunk, once it comes, has the last word");
    }

    @Test
    void withoutAnyUsageThePromptIsNotReported() {
        SseUsageTap tap = new SseUsageTap(false, 1 << 20);
        tap.pass(Buffer.buffer("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"));
        assertFalse(tap.promptReported(), "the gateway bills its own estimate then");
        assertEquals(1, tap.usage().completion());
    }

    @Test
    void anEventThatGrowsBeyondTheBoundStopsTheTapAndWhatCameBeforeIsStillBilled() {
        SseUsageTap tap = new SseUsageTap(true, 64);
        String content = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n";
        assertEquals(content, tap.pass(Buffer.buffer(content + "data: {\"x\":\"" + "y".repeat(20))).toString());
        assertFalse(tap.overflowed(), "32 bytes held: within the bound");

        assertEquals("", tap.pass(Buffer.buffer("y".repeat(40))).toString());
        assertTrue(tap.overflowed(), "72 bytes of one event without an end");
        assertEquals("", tap.pass(Buffer.buffer("\n\n" + content)).toString(), "nothing passes once stopped");
        assertFalse(tap.completed());
        assertEquals(1, tap.usage().completion());
    }

    private static final String RESPONSES_STREAM = """
            event: response.created
            data: {"type":"response.created","sequence_number":0,"response":{"usage":null}}

            event: response.output_text.delta
            data: {"type":"response.output_text.delta","sequence_number":1,"delta":"Hel"}

            event: response.output_text.delta
            data: {"type":"response.output_text.delta","sequence_number":2,"delta":"lo"}

            """;
    private static final String COMPLETED = """
            event: response.completed
            data: {"type":"response.completed","sequence_number":3,"response":{"usage":{"input_tokens":1,"output_tokens":1}}}

            """;

    @Test
    void aResponsesStreamIsCompleteOnItsCompletedEventAndBilledFromTheCommentWhichItWithholds() {
        SseUsageTap tap = SseUsageTap.forResponses(1 << 20);
        String stream = RESPONSES_STREAM + ": sluice-usage 30,2,8\n\n" + COMPLETED;
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        Buffer delivered = Buffer.buffer();
        for (int i = 0; i < bytes.length; i += 7) {
            delivered.appendBuffer(tap.pass(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i,
                    Math.min(bytes.length, i + 7)))));
        }
        delivered.appendBuffer(tap.rest());
        assertEquals(RESPONSES_STREAM + COMPLETED, delivered.toString(StandardCharsets.UTF_8),
                "no [DONE], and the comment is the gateway's only");
        assertTrue(tap.completed());
        assertTrue(tap.promptReported());
        assertEquals(new TokenUsage(30, 2, 8), tap.usage(), "the data's usage is never read: the comment is final");
    }

    @Test
    void aResponsesStreamCutBeforeItsEndIsIncompleteAndBillsItsDeltas() {
        SseUsageTap tap = SseUsageTap.forResponses(1 << 20);
        tap.pass(Buffer.buffer(RESPONSES_STREAM));
        assertFalse(tap.completed());
        assertFalse(tap.promptReported(), "the gateway's prompt estimate stands in");
        assertEquals(2, tap.usage().completion(), "one per delta event");

        SseUsageTap incomplete = SseUsageTap.forResponses(1 << 20);
        incomplete.pass(Buffer.buffer(RESPONSES_STREAM + "event: response.incomplete\ndata: {}\n\n"));
        assertTrue(incomplete.completed(), "stopped at max_output_tokens: a complete answer");
    }

    @Test
    void aFailedResponsesStreamIsNotCompleteAndStillBillsWhatWasReported() {
        SseUsageTap tap = SseUsageTap.forResponses(1 << 20);
        tap.pass(Buffer.buffer(RESPONSES_STREAM + ": sluice-usage 30,2,0\n\n"
                + "event: response.failed\ndata: {\"type\":\"response.failed\"}\n\n"));
        assertFalse(tap.completed());
        assertEquals(new TokenUsage(30, 2, 0), tap.usage());
        assertTrue(tap.errorEvent("upstream_too_large", "m").toString().startsWith("event: error\ndata: {\"type\":\"error\""));
    }

    @Test
    void aChatStreamIsNotTakenForCompleteByAResponsesEventName() {
        SseUsageTap chat = new SseUsageTap(false, 1 << 20);
        chat.pass(Buffer.buffer(COMPLETED));
        assertFalse(chat.completed(), "chat streams end with [DONE] only");
    }
}
