package io.sluice.gateway.eventloop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Collects the items added during one event-loop turn and hands them over together, in lists of at most
 * {@code maxBatch}, once the loop has done the turn's other work: the requests a loop handled in one turn then share
 * one Redis round trip, and a lone request waits for nothing but its own turn to end. With a linger, the first item
 * waits that long and the items of later turns join it. Thread-safe; items added from outside an event loop (tests,
 * timers of other threads) are handed over on a context of its own.
 */
public final class EventLoopBatcher<T> {
    private final Queue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final int maxBatch;
    private final long lingerMillis;
    private final Vertx vertx;
    private final Context ownContext;
    private final Consumer<List<T>> handOver;

    public EventLoopBatcher(Vertx vertx, int maxBatch, Consumer<List<T>> handOver) {
        this(vertx, maxBatch, Duration.ZERO, handOver);
    }

    /** With a {@code linger}, the first item of a batch waits that long for more, turns included. */
    public EventLoopBatcher(Vertx vertx, int maxBatch, Duration linger, Consumer<List<T>> handOver) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.lingerMillis = linger.toMillis();
        this.vertx = vertx;
        this.ownContext = vertx.getOrCreateContext();
        this.handOver = handOver;
    }

    public void add(T item) {
        items.add(item);
        if (scheduled.compareAndSet(false, true)) {
            Context context = Vertx.currentContext();
            if (context == null) {
                context = ownContext;
            }
            if (lingerMillis == 0) {
                // Queued behind the loop's pending work, so that everything added in this turn is in the batch.
                context.runOnContext(v -> flush());
            } else {
                context.runOnContext(v -> vertx.setTimer(lingerMillis, id -> flush()));
            }
        }
    }

    /** Takes what is waiting instead of handing it over: for shutdown, after which no timer fires. */
    public List<T> drain() {
        List<T> waiting = new ArrayList<>();
        for (T next = items.poll(); next != null; next = items.poll()) {
            waiting.add(next);
        }
        return waiting;
    }

    private void flush() {
        scheduled.set(false);
        List<T> batch = new ArrayList<>();
        for (T next = items.poll(); next != null; next = items.poll()) {
            batch.add(next);
            if (batch.size() == maxBatch) {
                handOver.accept(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            handOver.accept(batch);
        }
    }
}
