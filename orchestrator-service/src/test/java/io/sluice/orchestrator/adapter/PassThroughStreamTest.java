package io.sluice.orchestrator.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

class PassThroughStreamTest {
    private static final String EVENTS = "data: {\"id\":\"1\",\"choices\":[{\"delta\":{\"content\":\"héllo\"}}]}\n\n"
            + "data: {\"id\":\"1\",\"choices\":[],\"usage\":{\"prompt_tokens\":3}}\r\n\r\n"
            + ": keep-alive\n\n"
            + "data: [DONE]\n\n";

    @Test
    void wholeEventsGoOutAsTheyCame() {
        PassThroughStream stream = new PassThroughStream(1024);
        Buffer chunk = Buffer.buffer(EVENTS);
        assertSame(chunk, stream.translate(chunk), "a chunk of whole events is relayed as it is, not copied");
        assertEquals(0, stream.finish().length());
        assertTrue(stream.completed());
    }

    @Test
    void splitAnywhereTheBytesAreRelayedUnchangedAndWholeEventsOnly() {
        byte[] bytes = EVENTS.getBytes(StandardCharsets.UTF_8);
        for (int pieceSize : new int[] { 1, 2, 3, 5, 7, 64 }) {
            PassThroughStream stream = new PassThroughStream(1024);
            Buffer relayed = Buffer.buffer();
            for (int i = 0; i < bytes.length; i += pieceSize) {
                Buffer out = stream.translate(Buffer.buffer().appendBytes(bytes, i, Math.min(pieceSize,
                        bytes.length - i)));
                String text = out.toString(StandardCharsets.UTF_8);
                assertTrue(text.isEmpty() || endsWithBlankLine(text), "only whole events go out: " + text);
                relayed.appendBuffer(out);
            }
            relayed.appendBuffer(stream.finish());
            assertEquals(Buffer.buffer(bytes), relayed, "piece size " + pieceSize);
            assertTrue(stream.completed(), "[DONE] seen across pieces of " + pieceSize);
        }
    }

    @Test
    void aStreamWithoutDoneIsNotCompletedAndItsUnclosedLastEventStillGoesOut() {
        PassThroughStream stream = new PassThroughStream(1024);
        assertEquals(0, stream.translate(Buffer.buffer("data: {\"a\":1}")).length());
        assertEquals("data: {\"a\":1}", stream.finish().toString());
        assertFalse(stream.completed());
        assertTrue(stream.failure().isEmpty());

        PassThroughStream notDone = new PassThroughStream(1024);
        notDone.translate(Buffer.buffer("data: [DONE] later\n\ndata: \"[DONE]\"\n\n"));
        assertFalse(notDone.completed(), "only the marker line itself ends the answer");
    }

    @Test
    void anEventOverTheBoundEndsTheStreamAfterTheEventsBeforeIt() {
        PassThroughStream stream = new PassThroughStream(64);
        Buffer first = stream.translate(Buffer.buffer("data: {\"ok\":1}\n\ndata: " + "x".repeat(40)));
        assertEquals("data: {\"ok\":1}\n\n", first.toString());
        assertTrue(stream.failure().isEmpty());

        Buffer second = stream.translate(Buffer.buffer("y".repeat(40)));

        assertEquals(0, second.length(), "no half event reaches the client");
        assertEquals("upstream_too_large", stream.failure().orElseThrow().error().error().code());
        assertEquals(0, stream.translate(Buffer.buffer("\n\ndata: [DONE]\n\n")).length(), "nothing after it");
        assertEquals(0, stream.finish().length());
        assertFalse(stream.completed());
    }

    /** Whether the text's last line (CR, LF or CRLF line ends) is empty: an event's end. */
    private static boolean endsWithBlankLine(String text) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        return lines.length >= 3 && lines[lines.length - 1].isEmpty() && lines[lines.length - 2].isEmpty();
    }
}
