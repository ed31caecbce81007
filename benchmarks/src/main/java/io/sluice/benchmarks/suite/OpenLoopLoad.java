package io.sluice.benchmarks.suite;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;

/**
 * Fixed-rate (open-loop) load: request {@code i} is due at {@code start + i / rate}, whether or not earlier ones
 * have answered, and its latency counts from that due time. A slow answer therefore delays nothing else and is not
 * hidden (no coordinated omission); if the sender itself falls behind, that lateness is part of the latency too,
 * and is reported separately as send lag so a saturated load generator is visible.
 */
final class OpenLoopLoad {
    private final HttpClient client;
    /** The client's one event loop: every request is made on it, so its callbacks run there at once. */
    private final Context context;

    OpenLoopLoad(HttpClient client, Context context) {
        this.client = client;
        this.context = context;
    }

    /** Result of one phase; latencies in microseconds, only for requests due inside the measured window. */
    record Result(String target, int rate, long measured, long ok, long failed, Histogram latency,
            Histogram sendLag, double measuredSeconds) {
        double okPerSecond() {
            return ok / measuredSeconds;
        }
    }

    /**
     * Sends at {@code rate} per second for {@code warmupSeconds + seconds}; returns the latencies of the requests
     * due after the warm-up. {@code window} is told when the measured window starts and ends (CPU snapshots).
     */
    Result run(LoadTarget target, int rate, int warmupSeconds, int seconds, Window window) throws InterruptedException {
        Buffer body = Buffer.buffer(LoadTarget.chatBody(false));
        Histogram latency = new SynchronizedHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        Histogram sendLag = new SynchronizedHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long total = (long) rate * (warmupSeconds + seconds);
        long measuredFrom = (long) rate * warmupSeconds;
        CountDownLatch measuredDone = new CountDownLatch((int) (total - measuredFrom));
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        boolean windowOpen = false;
        for (long i = 0; i < total; i++) {
            long due = start + i * period;
            boolean measured = i >= measuredFrom;
            if (measured && !windowOpen) {
                window.opened();
                windowOpen = true;
            }
            waitUntil(due);
            if (measured) {
                sendLag.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
            }
            Buffer requestBody = target.body(i, body);
            long index = i;
            context.runOnContext(send -> client.request(target.request())
                    .compose(request -> request.send(requestBody))
                    .compose(response -> response.body().map(ignored -> response.statusCode()))
                    .onComplete(outcome -> {
                        target.answered().accept(index);
                        if (!measured) {
                            return;
                        }
                        long micros = (System.nanoTime() - due) / 1000;
                        if (outcome.succeeded() && outcome.result() == 200) {
                            latency.recordValue(micros);
                            ok.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                        measuredDone.countDown();
                    }));
        }
        boolean all = measuredDone.await(60, TimeUnit.SECONDS);
        window.closed();
        long measuredCount = total - measuredFrom;
        if (!all) {
            failed.addAndGet(measuredDone.getCount());
        }
        double measuredSeconds = (System.nanoTime() - (start + measuredFrom * period)) / 1e9;
        return new Result(target.name(), rate, measuredCount, ok.get(), failed.get(), latency, sendLag,
                Math.max(seconds, measuredSeconds));
    }

    /** Parks until shortly before {@code due}, then spins: parkNanos alone overshoots by tens of microseconds. */
    static void waitUntil(long due) {
        long left;
        while ((left = due - System.nanoTime()) > 0) {
            if (left > 200_000) {
                LockSupport.parkNanos(left - 100_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Told when the measured part of a phase starts and ends. */
    interface Window {
        void opened();

        void closed();

        Window NONE = new Window() {
            @Override
            public void opened() {
            }

            @Override
            public void closed() {
            }
        };
    }
}
