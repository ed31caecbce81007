package io.sluice.orchestrator.adapter;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;

/**
 * OpenAI's own SSE, relayed unchanged but whole events at a time: the bytes up to the end of the last complete
 * event go out at once, the start of an unfinished one waits for its end. An event longer than
 * {@code maxEventBytes} is never held whole: the stream fails with {@code upstream_too_large} and the client gets
 * the events before it, never half an event. The closing {@code data: [DONE]} line marks a completed answer. Each
 * byte is looked at once.
 */
final class PassThroughStream extends StreamTranslatorState {
    private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);

    private final int maxEventBytes;
    /** The start of an unfinished event, held until its end arrives. */
    private Buffer held = Buffer.buffer();
    private int eventBytes;
    /** No byte since the last line end: a line end now is a blank line, the end of an event. */
    private boolean lineEmpty = true;
    /** The previous byte ended a line with {@code \r}: a {@code \n} right after it belongs to the same line end. */
    private boolean afterCr;
    /** Bytes of the current line that match {@link #DONE} so far; -1 once it cannot be that line. */
    private int doneMatched;

    PassThroughStream(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    @Override
    public Buffer translate(Buffer chunk) {
        if (failure != null) {
            return Buffer.buffer();
        }
        byte[] bytes = chunk.getBytes(); // one copy per read: cheaper than Buffer.getByte's bounds checks per byte
        int length = bytes.length;
        int boundary = -1; // end of the last complete event in this chunk
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            if (afterCr) {
                afterCr = false;
                if (b == '\n') {
                    boundary = boundary == i ? i + 1 : boundary; // the \n of a blank line's \r\n
                    continue;
                }
            }
            if (++eventBytes > maxEventBytes) {
                failure = UpstreamFailure.tooLarge();
                Buffer before = boundary < 0 ? Buffer.buffer() : relay(chunk, boundary);
                held = Buffer.buffer();
                return before;
            }
            if (b == '\n' || b == '\r') {
                if (lineEmpty) {
                    boundary = i + 1;
                    eventBytes = 0;
                } else if (doneMatched == DONE.length) {
                    done = true;
                }
                lineEmpty = true;
                doneMatched = 0;
                afterCr = b == '\r';
            } else {
                lineEmpty = false;
                doneMatched = doneMatched >= 0 && doneMatched < DONE.length && b == DONE[doneMatched]
                        ? doneMatched + 1 : -1;
            }
        }
        if (boundary < 0) {
            held.appendBuffer(chunk);
            return Buffer.buffer();
        }
        Buffer out = relay(chunk, boundary);
        held = boundary == length ? Buffer.buffer() : chunk.getBuffer(boundary, length);
        return out;
    }

    /** What was held and {@code chunk} up to {@code boundary}: complete events; the chunk itself when it is that. */
    private Buffer relay(Buffer chunk, int boundary) {
        if (held.length() == 0 && boundary == chunk.length()) {
            return chunk;
        }
        return held.appendBuffer(chunk, 0, boundary);
    }

    /** A last event the provider did not close with a blank line goes out as it is. */
    @Override
    public Buffer finish() {
        if (doneMatched == DONE.length) {
            done = true;
        }
        Buffer rest = held;
        held = Buffer.buffer();
        return failure == null ? rest : Buffer.buffer();
    }
}
