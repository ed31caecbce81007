package io.sluice.orchestrator.service;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * The rest of a streamed answer after the first chunk Sluice committed to. Until the relay attaches, whatever
 * arrives (chunks, the end, a failure) is held here rather than left in a paused response: Vert.x drops a paused
 * response's buffered chunks when the connection closes, and those chunks already count for the client and the
 * bill. The wait is the moment between commit and relay, so the little held is bounded by what the provider sends
 * in it. Handlers may run on the client connection's event loop while the relay attaches from the server's.
 */
public final class UpstreamStream {
    private final HttpClientResponse response;
    private final List<Buffer> held = new ArrayList<>();
    private boolean ended;
    private Throwable failure;
    private Handler<Buffer> onChunk;
    private Runnable onEnd;
    private Consumer<Throwable> onFailure;

    UpstreamStream(HttpClientResponse response) {
        this.response = response;
        response.handler(this::chunk);
        response.endHandler(v -> end());
        response.exceptionHandler(this::fail);
    }

    /** Delivers what was held, then everything that follows, to the relay's handlers. */
    public synchronized void relay(Handler<Buffer> chunk, Runnable end, Consumer<Throwable> failed) {
        held.forEach(chunk::handle);
        held.clear();
        onChunk = chunk;
        onEnd = end;
        onFailure = failed;
        if (failure != null) {
            failed.accept(failure);
        } else if (ended) {
            end.run();
        }
    }

    /** Back-pressure from the client side: stop reading from the provider until {@link #resume()}. */
    public void pause() {
        response.pause();
    }

    public void resume() {
        response.resume();
    }

    private synchronized void chunk(Buffer chunk) {
        if (onChunk != null) {
            onChunk.handle(chunk);
        } else {
            held.add(chunk);
        }
    }

    private synchronized void end() {
        if (onEnd != null) {
            onEnd.run();
        } else {
            ended = true;
        }
    }

    private synchronized void fail(Throwable err) {
        if (onFailure != null) {
            onFailure.accept(err);
        } else {
            failure = err;
        }
    }
}
