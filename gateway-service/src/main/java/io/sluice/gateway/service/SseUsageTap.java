package io.sluice.gateway.service;

import java.nio.charset.StandardCharsets;

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
    private final boolean forwardUsageChunk;
    private Buffer pending = Buffer.buffer();
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

    /** Returns the bytes to send to the client now. */
    public Buffer pass(Buffer chunk) {
        pending.appendBuffer(chunk);
        Buffer out = Buffer.buffer();
        int start = 0;
        int end;
        while ((end = endOfEvent(pending, start)) >= 0) {
            Buffer event = pending.getBuffer(start, end);
            if (inspect(event.toString(StandardCharsets.UTF_8))) {
                out.appendBuffer(event);
            }
            start = end;
        }
        if (firstEventAtNanos == 0 && out.length() > 0) {
            firstEventAtNanos = System.nanoTime();
        }
        pending = start == 0 ? pending : pending.getBuffer(start, pending.length());
        return out;
    }

    /** Whatever is left when the stream ends without a closing blank line. */
    public Buffer rest() {
        Buffer rest = pending;
        pending = Buffer.buffer();
        if (rest.length() > 0 && !inspect(rest.toString(StandardCharsets.UTF_8))) {
            return Buffer.buffer();
        }
        return rest;
    }

    /** Index just past the blank line that ends the first event at or after {@code from}, or -1. */
    private static int endOfEvent(Buffer bytes, int from) {
        for (int i = from + 1; i < bytes.length(); i++) {
            if (bytes.getByte(i) == '\n') {
                byte previous = bytes.getByte(i - 1);
                if (previous == '\n' || (previous == '\r' && i >= 2 && bytes.getByte(i - 2) == '\n')) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    /** Records what the event says; returns whether the client gets it. */
    private boolean inspect(String event) {
        boolean forward = true;
        for (String line : event.split("\r?\n")) {
            if (!line.startsWith("data:")) {
                continue;
            }
            String data = line.substring(5).strip();
            if (data.equals("[DONE]")) {
                done = true;
            } else if (data.startsWith("{\"error\"")) {
                errored = true;
            } else if (data.contains("\"usage\":{")) {
                JsonObject chunk = new JsonObject(data);
                TokenUsage usage = TokenUsage.of(chunk.getJsonObject("usage"));
                promptTokens = usage.prompt();
                completionTokens = usage.completion();
                cachedTokens = usage.cached();
                JsonArray choices = chunk.getJsonArray("choices", new JsonArray());
                forward = forwardUsageChunk || !choices.isEmpty();
            } else if (data.contains("\"content\":\"") && !data.contains("\"content\":\"\"")) {
                contentDeltas++;
            }
        }
        return forward;
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
