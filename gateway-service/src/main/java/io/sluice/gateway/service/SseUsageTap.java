package io.sluice.gateway.service;

import java.nio.charset.StandardCharsets;

import io.sluice.contracts.TokenUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Sits in an OpenAI SSE stream on its way to the client. Every complete event is passed on as soon as it has
 * arrived; only an event cut by a network chunk boundary waits for its end (a client cannot use half an event, and
 * cutting bytes apart could split a UTF-8 character). On the way it learns what to bill: the usage chunk when the
 * stream completes, the number of content deltas delivered when it does not. The orchestrator always asks the
 * provider for the usage chunk; a client that did not ask for it does not get it, as with OpenAI.
 */
public final class SseUsageTap {
    private static final byte[] DATA = bytes("data:");
    private static final byte[] DONE = bytes("[DONE]");
    private static final byte[] ERROR = bytes("{\"error\"");
    private static final byte[] USAGE = bytes("\"usage\":{");
    private static final byte[] CONTENT = bytes("\"content\":\"");

    private final boolean forwardUsageChunk;
    /** The start of an event whose end has not arrived yet; null when there is none. */
    private Buffer pending;
    private int promptTokens;
    private int cachedTokens;
    private int completionTokens = -1;
    private long firstEventAtNanos;
    private int contentDeltas;
    private boolean done;
    private boolean errored;

    public SseUsageTap(boolean forwardUsageChunk) {
        this.forwardUsageChunk = forwardUsageChunk;
    }

    /**
     * Returns the bytes to send to the client now. The events are read in place, as bytes: a chunk of whole events
     * that are all forwarded is returned as it came, without a copy.
     */
    public Buffer pass(Buffer chunk) {
        Buffer bytes = chunk;
        if (pending != null) {
            pending.appendBuffer(chunk);
            bytes = pending;
        }
        byte[] scanned = bytes.getBytes(); // one copy per network read; scanning an array beats Buffer.getByte
        Buffer withheldSome = null; // once an event is withheld, the forwarded ones are copied into this
        int start = 0;
        int end;
        while ((end = endOfEvent(scanned, start)) >= 0) {
            boolean forward = inspect(scanned, start, end);
            if (!forward && withheldSome == null) {
                withheldSome = bytes.getBuffer(0, start);
            } else if (forward && withheldSome != null) {
                withheldSome.appendBuffer(bytes, start, end - start);
            }
            start = end;
        }
        Buffer out = withheldSome != null ? withheldSome
                : start == bytes.length() ? bytes : bytes.getBuffer(0, start);
        pending = start == bytes.length() ? null : bytes.getBuffer(start, bytes.length());
        if (firstEventAtNanos == 0 && out.length() > 0) {
            firstEventAtNanos = System.nanoTime();
        }
        return out;
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

    /** Index just past the blank line that ends the first event at or after {@code from}, or -1. */
    private static int endOfEvent(byte[] bytes, int from) {
        for (int i = from + 1; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                byte previous = bytes[i - 1];
                if (previous == '\n' || (previous == '\r' && i >= 2 && bytes[i - 2] == '\n')) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    /** Records what the event in {@code [from, to)} says; returns whether the client gets it. */
    private boolean inspect(byte[] bytes, int from, int to) {
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
            }
            line = lineEnd + 1;
        }
        return forward;
    }

    private boolean inspectData(byte[] bytes, int from, int to) {
        if (to - from == DONE.length && regionMatches(bytes, from, to, DONE)) {
            done = true;
        } else if (regionMatches(bytes, from, to, ERROR)) {
            errored = true;
        } else if (indexOf(bytes, USAGE, from, to) >= 0) {
            // Once per stream: only the usage chunk is decoded.
            JsonObject chunk = new JsonObject(new String(bytes, from, to - from, StandardCharsets.UTF_8));
            TokenUsage usage = TokenUsage.of(chunk.getJsonObject("usage"));
            promptTokens = usage.prompt();
            completionTokens = usage.completion();
            cachedTokens = usage.cached();
            JsonArray choices = chunk.getJsonArray("choices", new JsonArray());
            return forwardUsageChunk || !choices.isEmpty();
        } else if (hasContent(bytes, from, to)) {
            contentDeltas++;
        }
        return true;
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

    /** True when the stream ended with [DONE] and no error event. */
    public boolean completed() {
        return done && !errored;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int cachedTokens() {
        return cachedTokens;
    }

    /** {@link System#nanoTime()} when the first event was passed on; 0 while none has been. */
    public long firstEventAtNanos() {
        return firstEventAtNanos;
    }

    /** The upstream's count when it sent one, else one token per delivered content delta. */
    public int completionTokens() {
        return completionTokens >= 0 ? completionTokens : contentDeltas;
    }
}
