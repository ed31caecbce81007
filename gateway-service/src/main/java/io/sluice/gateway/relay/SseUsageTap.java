package io.sluice.gateway.relay;

import java.nio.charset.StandardCharsets;

import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.TokenUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Sits in an OpenAI SSE stream on its way to the client. Every complete event is passed on as soon as it has
 * arrived; only an event cut by a network chunk boundary waits for its end (a client cannot use half an event, and
 * cutting bytes apart could split a UTF-8 character). Each byte is scanned once, and an event that grows beyond
 * {@code maxEventBytes} without ending stops the tap ({@link #overflowed()}): nothing waits without a bound.
 * On the way it learns what to bill: the usage chunk when the stream completes; before it, the prompt tokens the
 * orchestrator announces early in a {@link RelayHeaders#STREAM_USAGE_COMMENT} comment (withheld from the client);
 * and the number of content deltas delivered. The orchestrator always asks the provider for the usage chunk; a
 * client that did not ask for it does not get it, as with OpenAI.
 * <p>
 * A Responses API stream ({@link #forResponses}) is read by its {@code event:} lines instead: it is complete once
 * {@code response.completed} (or {@code response.incomplete}) arrived, failed with {@code response.failed} or
 * {@code error}; its usage is the orchestrator's comment, written just before the final event; each {@code *.delta}
 * event counts as a delivered token until then. It has no {@code [DONE]}.
 */
public final class SseUsageTap {
    private static final byte[] DATA = bytes("data:");
    private static final byte[] USAGE_COMMENT = bytes(RelayHeaders.STREAM_USAGE_COMMENT);
    private static final byte[] DONE = bytes("[DONE]");
    private static final byte[] ERROR = bytes("{\"error\"");
    private static final byte[] USAGE = bytes("\"usage\":{");
    private static final byte[] CONTENT = bytes("\"content\":\"");
    private static final byte[] EVENT = bytes("event:");
    private static final byte[] COMPLETED = bytes("response.completed");
    private static final byte[] INCOMPLETE = bytes("response.incomplete");
    private static final byte[] FAILED = bytes("response.failed");
    private static final byte[] ERROR_EVENT = bytes("error");
    private static final byte[] DELTA = bytes(".delta");

    private final boolean forwardUsageChunk;
    private final int maxEventBytes;
    /** Whether the stream is the Responses API's events rather than chat completion chunks. */
    private final boolean responsesEvents;
    /** The start of an event whose end has not arrived yet; null when there is none. */
    private Buffer pending;
    /** The last two bytes scanned in the current event (0 at its start), to find its end across chunks. */
    private byte last;
    private byte beforeLast;
    private boolean overflowed;
    private TokenUsage reported;
    private boolean usageChunkSeen;
    private long firstEventAtNanos;
    private int contentDeltas;
    private boolean done;
    private boolean errored;

    public SseUsageTap(boolean forwardUsageChunk, int maxEventBytes) {
        this(forwardUsageChunk, maxEventBytes, false);
    }

    private SseUsageTap(boolean forwardUsageChunk, int maxEventBytes, boolean responsesEvents) {
        this.forwardUsageChunk = forwardUsageChunk;
        this.maxEventBytes = maxEventBytes;
        this.responsesEvents = responsesEvents;
    }

    /** A tap for a Responses API stream (its usage is in the orchestrator's comment only, never relayed). */
    public static SseUsageTap forResponses(int maxEventBytes) {
        return new SseUsageTap(false, maxEventBytes, true);
    }

    /**
     * Returns the bytes to send to the client now. The events are read in place, as bytes: a chunk of whole events
     * that are all forwarded is returned as it came, without a copy. Once {@link #overflowed()}, passes nothing.
     */
    public Buffer pass(Buffer chunk) {
        if (overflowed) {
            return Buffer.buffer();
        }
        byte[] bytes = chunk.getBytes(); // one copy per network read; scanning an array beats Buffer.getByte
        Buffer out = null; // built only when the chunk is not passed on whole
        int runStart = 0; // forwarded bytes of this chunk not yet copied into out
        int eventStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            boolean ends = b == '\n' && (last == '\n' || last == '\r' && beforeLast == '\n');
            beforeLast = last;
            last = b;
            if (!ends) {
                continue;
            }
            int eventEnd = i + 1;
            last = 0;
            beforeLast = 0;
            if (pending == null) {
                if (!inspect(bytes, eventStart, eventEnd)) {
                    out = append(out, chunk, runStart, eventStart);
                    runStart = eventEnd;
                }
            } else {
                // The event began in an earlier chunk: it goes out whole, from its own copy.
                Buffer event = pending.appendBuffer(chunk, 0, eventEnd);
                pending = null;
                out = append(out, chunk, runStart, eventStart);
                byte[] whole = event.getBytes();
                if (inspect(whole, 0, whole.length)) {
                    out = (out == null ? Buffer.buffer() : out).appendBuffer(event);
                }
                runStart = eventEnd;
            }
            eventStart = eventEnd;
        }
        if (eventStart < bytes.length) {
            int held = (pending == null ? 0 : pending.length()) + bytes.length - eventStart;
            if (held > maxEventBytes) {
                overflowed = true;
                pending = null;
            } else {
                pending = (pending == null ? Buffer.buffer() : pending).appendBuffer(chunk, eventStart,
                        bytes.length - eventStart);
            }
        }
        Buffer passed = out == null && runStart == 0 && eventStart == bytes.length ? chunk
                : append(out, chunk, runStart, eventStart);
        if (passed == null) {
            passed = Buffer.buffer();
        }
        if (firstEventAtNanos == 0 && passed.length() > 0) {
            firstEventAtNanos = System.nanoTime();
        }
        return passed;
    }

    /** Whatever is left when the stream ends without a closing blank line. */
    public Buffer rest() {
        Buffer rest = pending;
        pending = null;
        if (rest == null || !inspect(rest.getBytes(), 0, rest.length())) {
            return Buffer.buffer();
        }
        return rest;
    }

    /** {@code out} plus {@code chunk[from, to)}; null while both are empty. */
    private static Buffer append(Buffer out, Buffer chunk, int from, int to) {
        if (to <= from) {
            return out;
        }
        return (out == null ? Buffer.buffer() : out).appendBuffer(chunk, from, to - from);
    }

    /** Records what the event in {@code [from, to)} says; returns whether the client gets it. */
    private boolean inspect(byte[] bytes, int from, int to) {
        if (responsesEvents) {
            return inspectResponsesEvent(bytes, from, to);
        }
        boolean forward = true;
        int line = from;
        while (line < to) {
            int newline = indexOf(bytes, (byte) '\n', line, to);
            int lineEnd = newline < 0 ? to : newline;
            if (regionMatches(bytes, line, lineEnd, DATA)) {
                int data = line + DATA.length;
                int dataEnd = lineEnd;
                while (data < dataEnd && isBlank(bytes[data])) {
                    data++;
                }
                while (dataEnd > data && isBlank(bytes[dataEnd - 1])) {
                    dataEnd--;
                }
                forward &= inspectData(bytes, data, dataEnd);
            } else if (regionMatches(bytes, line, lineEnd, USAGE_COMMENT)) {
                earlyUsage(bytes, line + USAGE_COMMENT.length, lineEnd);
                forward = false;
            }
            line = lineEnd + 1;
        }
        return forward;
    }

    /** A Responses API event: its name says how the stream stands; its data is never parsed. */
    private boolean inspectResponsesEvent(byte[] bytes, int from, int to) {
        boolean forward = true;
        int line = from;
        while (line < to) {
            int newline = indexOf(bytes, (byte) '\n', line, to);
            int lineEnd = newline < 0 ? to : newline;
            if (regionMatches(bytes, line, lineEnd, EVENT)) {
                int name = line + EVENT.length;
                int nameEnd = lineEnd;
                while (name < nameEnd && isBlank(bytes[name])) {
                    name++;
                }
                while (nameEnd > name && isBlank(bytes[nameEnd - 1])) {
                    nameEnd--;
                }
                eventNamed(bytes, name, nameEnd);
            } else if (regionMatches(bytes, line, lineEnd, USAGE_COMMENT)) {
                finalUsage(bytes, line + USAGE_COMMENT.length, lineEnd);
                forward = false;
            }
            line = lineEnd + 1;
        }
        return forward;
    }

    private void eventNamed(byte[] bytes, int from, int to) {
        if (is(bytes, from, to, COMPLETED) || is(bytes, from, to, INCOMPLETE)) {
            done = true;
        } else if (is(bytes, from, to, FAILED) || is(bytes, from, to, ERROR_EVENT)) {
            errored = true;
        } else if (to - from > DELTA.length && regionMatches(bytes, to - DELTA.length, to, DELTA)) {
            contentDeltas++;
        }
    }

    /** A Responses stream's usage: the orchestrator writes it once, with the final counts. */
    private void finalUsage(byte[] bytes, int from, int to) {
        while (to > from && isBlank(bytes[to - 1])) {
            to--;
        }
        TokenUsage usage = TokenUsage.fromHeaderValue(new String(bytes, from, to - from, StandardCharsets.US_ASCII));
        if (usage != null) {
            reported = usage;
            usageChunkSeen = true;
        }
    }

    private static boolean is(byte[] bytes, int from, int to, byte[] name) {
        return to - from == name.length && regionMatches(bytes, from, to, name);
    }

    /**
     * The event that ends a stream the gateway must cut, in the stream's own format: OpenAI's error chunk, or the
     * Responses API's {@code error} event.
     */
    public Buffer errorEvent(String code, String message) {
        if (responsesEvents) {
            return Buffer.buffer("event: error\ndata: " + new JsonObject().put("type", "error").put("code", code)
                    .put("message", message).putNull("param").encode() + "\n\n");
        }
        return Buffer.buffer("data: " + new JsonObject().put("error", new JsonObject().put("message", message)
                .put("type", "server_error").put("code", code)).encode() + "\n\n");
    }

    private boolean inspectData(byte[] bytes, int from, int to) {
        if (to - from == DONE.length && regionMatches(bytes, from, to, DONE)) {
            done = true;
        } else if (regionMatches(bytes, from, to, ERROR)) {
            errored = true;
        } else if (indexOf(bytes, USAGE, from, to) >= 0) {
            // Once per stream: only the usage chunk is decoded.
            JsonObject chunk;
            try {
                chunk = new JsonObject(new String(bytes, from, to - from, StandardCharsets.UTF_8));
            } catch (DecodeException notAnObject) {
                return true;
            }
            reported = TokenUsage.of(chunk.getValue("usage") instanceof JsonObject usage ? usage : null);
            usageChunkSeen = true;
            return forwardUsageChunk || !(chunk.getValue("choices") instanceof JsonArray choices) || !choices.isEmpty();
        } else if (hasContent(bytes, from, to)) {
            contentDeltas++;
        }
        return true;
    }

    /** The orchestrator's early count ({@code prompt,completion,cached}); the usage chunk, when it comes, wins. */
    private void earlyUsage(byte[] bytes, int from, int to) {
        while (to > from && isBlank(bytes[to - 1])) {
            to--;
        }
        TokenUsage early = TokenUsage.fromHeaderValue(new String(bytes, from, to - from, StandardCharsets.US_ASCII));
        if (early != null && !usageChunkSeen) {
            reported = early;
        }
    }

    /** Whether the data carries a non-empty {@code "content":"..."} delta. */
    private static boolean hasContent(byte[] bytes, int from, int to) {
        int at = indexOf(bytes, CONTENT, from, to);
        return at >= 0 && at + CONTENT.length < to && bytes[at + CONTENT.length] != '"';
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    /** Whether {@code [from, to)} starts with {@code prefix}. */
    private static boolean regionMatches(byte[] bytes, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] bytes, byte[] wanted, int from, int to) {
        for (int i = from; i + wanted.length <= to; i++) {
            if (regionMatches(bytes, i, to, wanted)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * True when the stream ended with [DONE] and no error event (a Responses stream: with its completed or
     * incomplete event, and no failure).
     */
    public boolean completed() {
        return done && !errored && !overflowed;
    }

    /** An event grew beyond the bound without ending: the stream must be ended, and nothing more is passed. */
    public boolean overflowed() {
        return overflowed;
    }

    /** Whether the prompt's tokens were reported (usage chunk or the orchestrator's early comment). */
    public boolean promptReported() {
        return reported != null;
    }

    /**
     * What to bill so far: the reported counts, with the delivered content deltas as completion tokens (one each)
     * until the usage chunk gives the upstream's count.
     */
    public TokenUsage usage() {
        int completion = usageChunkSeen ? reported.completion() : contentDeltas;
        return reported == null ? new TokenUsage(0, completion, 0)
                : new TokenUsage(reported.prompt(), completion, reported.cached());
    }

    /** {@link System#nanoTime()} when the first event was passed on; 0 while none has been. */
    public long firstEventAtNanos() {
        return firstEventAtNanos;
    }
}
