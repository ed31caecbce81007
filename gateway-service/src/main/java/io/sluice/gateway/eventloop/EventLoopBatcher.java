package io.sluice.gateway.eventloop;

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
 * one Redis round trip, and a lone request waits for nothing but its own turn to end. Thread-safe; items added from
 * outside an event loop (tests, timers of other threads) are handed over on a context of its own.
 */
public final class EventLoopBatcher<T> {
    private final Queue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final int maxBatch;
    private final Context ownContext;
    private final Consumer<List<T>> handOver;

    public EventLoopBatcher(Vertx vertx, int maxBatch, Consumer<List<T>> handOver) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.ownContext = vertx.getOrCreateContext();
        this.handOver = handOver;
    }

    public void add(T item) {
        items.add(item);
        if (scheduled.compareAndSet(false, true)) {
            // Queued behind the loop's pending work, so that everything added in this turn is in the batch.
            Context context = Vertx.currentContext();
            (context != null ? context : ownContext).runOnContext(v -> flush());
        }
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
