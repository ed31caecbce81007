package io.sluice.orchestrator.adapter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts a provider's server-sent-event byte stream into complete events as bytes arrive. Events end with a blank
 * line ({@code \n}, {@code \r\n} or {@code \r} line ends). Each byte is looked at once: only the current line's
 * bytes are kept until its end, and complete lines are decoded at once (line ends are ASCII, so a UTF-8 character
 * split across chunks is never broken). An event longer than {@code maxEventBytes} (comments and line ends
 * included) is never buffered whole: the splitter {@link #overflowed() overflows} and reads nothing more.
 */
public final class SseEventSplitter {

    /** One event: its {@code event:} name (null if none) and its {@code data:} lines joined by {@code \n}. */
    public record SseEvent(String name, String data) {
    }

    private final int maxEventBytes;
    /** The current line's bytes so far: {@code lineLength} of them. */
    private byte[] line = new byte[256];
    private int lineLength;
    /** The previous byte ended a line with {@code \r}: a {@code \n} right after it belongs to the same line end. */
    private boolean afterCr;
    /** Bytes of the current event so far. */
    private int eventBytes;
    private boolean overflowed;
    private String name;
    private StringBuilder data;

    public SseEventSplitter(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    /** The events completed by this chunk, in order; none once the splitter overflowed. */
    public List<SseEvent> feed(Buffer chunk) {
        List<SseEvent> events = new ArrayList<>();
        byte[] bytes = chunk.getBytes(); // one copy per read: cheaper than Buffer.getByte's bounds checks per byte
        int length = bytes.length;
        int lineStart = 0;
        for (int i = 0; i < length && !overflowed; i++) {
            byte b = bytes[i];
            if (afterCr) {
                afterCr = false;
                if (b == '\n') {
                    lineStart = i + 1;
                    continue;
                }
            }
            if (++eventBytes > maxEventBytes) {
                overflowed = true;
                line = null;
                return events;
            }
            if (b == '\n' || b == '\r') {
                keep(bytes, lineStart, i);
                line(new String(line, 0, lineLength, StandardCharsets.UTF_8), events);
                lineLength = 0;
                afterCr = b == '\r';
                lineStart = i + 1;
            }
        }
        if (!overflowed) {
            keep(bytes, lineStart, length);
        }
        return events;
    }

    /** Adds {@code bytes[from, to)} to the current line; never more than an event may hold. */
    private void keep(byte[] bytes, int from, int to) {
        int needed = lineLength + to - from;
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.max(needed, Math.min(line.length * 2, maxEventBytes)));
        }
        System.arraycopy(bytes, from, line, lineLength, to - from);
        lineLength = needed;
    }

    /** Whether an event outgrew {@code maxEventBytes}; the stream cannot be read further. */
    boolean overflowed() {
        return overflowed;
    }

    private void line(String line, List<SseEvent> events) {
        if (line.isEmpty()) {
            if (data != null) {
                events.add(new SseEvent(name, data.toString()));
            }
            name = null;
            data = null;
            eventBytes = 0;
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
