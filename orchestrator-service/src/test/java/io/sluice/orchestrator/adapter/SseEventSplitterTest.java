package io.sluice.orchestrator.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.orchestrator.adapter.SseEventSplitter.SseEvent;
import io.vertx.core.buffer.Buffer;

class SseEventSplitterTest {

    @Test
    void completeEventsComeOutAtOnceAndAPartialOneWaits() {
        SseEventSplitter splitter = new SseEventSplitter(Deployments.MAX_EVENT_BYTES);
        List<SseEvent> first = splitter.feed(Buffer.buffer("event: a\ndata: {\"n\":1}\n\nevent: b\ndata: {\"n\""));
        assertEquals(List.of(new SseEvent("a", "{\"n\":1}")), first);
        assertEquals(List.of(new SseEvent("b", "{\"n\":2}")), splitter.feed(Buffer.buffer(":2}\n\n")));
    }

    @Test
    void crlfLineEndsSplitAnywhereAndCommentsAreIgnored() {
        byte[] bytes = ": keep-alive\r\n\r\ndata: one\r\n\r\ndata: two\r\ndata: lines\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        SseEventSplitter splitter = new SseEventSplitter(Deployments.MAX_EVENT_BYTES);
        List<SseEvent> events = new ArrayList<>();
        for (byte b : bytes) {
            events.addAll(splitter.feed(Buffer.buffer(new byte[] { b })));
        }
        assertEquals(List.of(new SseEvent(null, "one"), new SseEvent(null, "two\nlines")), events);
    }

    @Test
    void multiByteCharactersSplitBetweenChunksSurviveWhole() {
        String text = "data: {\"text\":\"héllo 世界 🚀\"}\n\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        SseEventSplitter splitter = new SseEventSplitter(Deployments.MAX_EVENT_BYTES);
        List<SseEvent> events = new ArrayList<>();
        for (byte b : bytes) {
            List<SseEvent> out = splitter.feed(Buffer.buffer(new byte[] { b }));
            events.addAll(out);
        }
        assertEquals(1, events.size());
        assertTrue(events.get(0).data().contains("héllo 世界 🚀"));
    }

    @Test
    void anEventOverTheBoundOverflowsAfterTheEventsBeforeIt() {
        SseEventSplitter splitter = new SseEventSplitter(32);
        String exactly = "data: " + "a".repeat(24) + "\n\n"; // 32 bytes: at the bound, still an event
        assertEquals(List.of(new SseEvent(null, "a".repeat(24))), splitter.feed(Buffer.buffer(exactly)));

        List<SseEvent> events = splitter.feed(Buffer.buffer("data: ok\n\n: " + "x".repeat(40)));

        assertEquals(List.of(new SseEvent(null, "ok")), events);
        assertTrue(splitter.overflowed());
        assertEquals(List.of(), splitter.feed(Buffer.buffer("\n\ndata: later\n\n")), "nothing is read after it");
    }

    @Test
    void aLongEventFedByteByByteIsHeldOnlyAsItsCurrentLine() {
        SseEventSplitter splitter = new SseEventSplitter(1 << 20);
        String data = "z".repeat(100_000);
        List<SseEvent> events = new ArrayList<>();
        for (byte b : ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8)) {
            events.addAll(splitter.feed(Buffer.buffer(new byte[] { b })));
        }
        assertEquals(List.of(new SseEvent(null, data)), events);
    }
}
