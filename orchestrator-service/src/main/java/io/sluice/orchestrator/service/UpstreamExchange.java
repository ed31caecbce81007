package io.sluice.orchestrator.service;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;

/**
 * The timers and the HTTP request of one call to a deployment. Cancelling it resets the request, which closes the
 * connection: the provider stops generating instead of running on for nobody.
 */
public final class UpstreamExchange {
    private final Vertx vertx;
    private HttpClientRequest request;
    private long firstByteTimer = -1;
    private long totalTimer = -1;
    private boolean cancelled;
    private boolean timedOut;
    private boolean over;
    private Runnable whenOver;

    UpstreamExchange(Vertx vertx) {
        this.vertx = vertx;
    }

    void startTimers(long firstByteMillis, long totalMillis, Runnable onTimeout) {
        firstByteTimer = vertx.setTimer(Math.max(1, firstByteMillis), id -> timeOut(onTimeout));
        totalTimer = vertx.setTimer(Math.max(1, totalMillis), id -> timeOut(onTimeout));
    }

    private void timeOut(Runnable onTimeout) {
        timedOut = true;
        onTimeout.run();
        cancel();
    }

    void attach(HttpClientRequest request) {
        this.request = request;
        if (cancelled) {
            request.reset();
        }
    }

    /** The first byte arrived: only the total timeout applies from now on. */
    void firstByteArrived() {
        vertx.cancelTimer(firstByteTimer);
    }

    public boolean timedOut() {
        return timedOut;
    }

    /** Whether Sluice abandoned the call (timeout, a client that left, an answer too large). */
    boolean cancelled() {
        return cancelled;
    }

    /** The answer was relayed completely. */
    public void finished() {
        vertx.cancelTimer(firstByteTimer);
        vertx.cancelTimer(totalTimer);
        if (!over) {
            over = true;
            if (whenOver != null) {
                Runnable action = whenOver;
                whenOver = null;
                action.run();
            }
        }
    }

    /**
     * Runs {@code action} once the call is over, relayed to its end or abandoned; at once if it already is. A
     * stream holds its deployment's bulkhead slot until then, not only until its first chunk.
     */
    void whenOver(Runnable action) {
        if (over) {
            action.run();
        } else {
            whenOver = action;
        }
    }

    /** Abandons the call and closes its connection (idempotent). */
    public void cancel() {
        finished();
        if (!cancelled) {
            cancelled = true;
            if (request != null) {
                request.reset();
            }
        }
    }
}
