package io.sluice.orchestrator.adapter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts a provider's server-sent-event byte stream into complete events as bytes arrive. Events end with a blank
 * line ({@code \n}, {@code \r\n} or {@code \r} line ends); only an unfinished event is kept. Lines are decoded
 * once complete, and line ends are ASCII, so a UTF-8 character split across chunks is never broken.
 */
final class SseEventSplitter {

    /** One event: its {@code event:} name (null if none) and its {@code data:} lines joined by {@code \n}. */
    record SseEvent(String name, String data) {
    }

    private Buffer pending = Buffer.buffer();
    private String name;
    private StringBuilder data;

    /** The events completed by this chunk, in order. */
    List<SseEvent> feed(Buffer chunk) {
        pending.appendBuffer(chunk);
        List<SseEvent> events = new ArrayList<>();
        int lineStart = 0;
        int length = pending.length();
        for (int i = 0; i < length; i++) {
            byte b = pending.getByte(i);
            if (b != '\n' && b != '\r') {
                continue;
            }
            int next = i + 1;
            if (b == '\r') {
                if (next == length) {
                    break; // a \r\n may be split between chunks: wait for the next byte
                }
                if (pending.getByte(next) == '\n') {
                    next++;
                }
            }
            line(pending.getString(lineStart, i, StandardCharsets.UTF_8.name()), events);
            lineStart = next;
            i = next - 1;
        }
        pending = pending.getBuffer(lineStart, length);
        return events;
    }

    private void line(String line, List<SseEvent> events) {
        if (line.isEmpty()) {
            if (data != null) {
                events.add(new SseEvent(name, data.toString()));
            }
            name = null;
            data = null;
            return;
        }
        if (line.startsWith(":")) {
            return; // comment, used by some providers as keep-alive
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (field.equals("event")) {
            name = value;
        } else if (field.equals("data")) {
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
    }
}
