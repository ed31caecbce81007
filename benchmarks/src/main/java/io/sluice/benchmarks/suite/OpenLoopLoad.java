package io.sluice.benchmarks.suite;

import java.util.ArrayList;
import java.util.List;
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
        return interleaved(List.of(target), rate, warmupSeconds, seconds, window).get(0);
    }

    /**
     * Sends at {@code rate} per second in total, request {@code i} to {@code targets[i % n]}: the targets share the
     * same moments of the same machine, so a difference between them is theirs, not the drift of the machine between
     * two phases. One result per target, in order (each at {@code rate / n}).
     */
    List<Result> interleaved(List<LoadTarget> targets, int rate, int warmupSeconds, int seconds, Window window)
            throws InterruptedException {
        int n = targets.size();
        Buffer body = Buffer.buffer(LoadTarget.chatBody(false));
        List<Histogram> latencies = new ArrayList<>(n);
        List<AtomicLong> oks = new ArrayList<>(n);
        List<AtomicLong> failures = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            latencies.add(new SynchronizedHistogram(TimeUnit.SECONDS.toMicros(60), 3));
            oks.add(new AtomicLong());
            failures.add(new AtomicLong());
        }
        Histogram sendLag = new SynchronizedHistogram(TimeUnit.SECONDS.toMicros(60), 3);
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
            int t = (int) (i % n);
            LoadTarget target = targets.get(t);
            // numbered per target, so a target's bodies and answers are as in a phase of its own
            long index = i / n;
            Buffer requestBody = target.body(index, body);
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
                            latencies.get(t).recordValue(micros);
                            oks.get(t).incrementAndGet();
                        } else {
                            failures.get(t).incrementAndGet();
                        }
                        measuredDone.countDown();
                    }));
        }
        boolean all = measuredDone.await(60, TimeUnit.SECONDS);
        window.closed();
        double measuredSeconds = Math.max(seconds, (System.nanoTime() - (start + measuredFrom * period)) / 1e9);
        List<Result> results = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            long measuredCount = sentTo(t, n, total) - sentTo(t, n, measuredFrom);
            long failed = failures.get(t).get();
            if (!all) {
                failed = measuredCount - oks.get(t).get(); // the unanswered too
            }
            results.add(new Result(targets.get(t).name(), rate / n, measuredCount, oks.get(t).get(), failed,
                    latencies.get(t), sendLag, measuredSeconds));
        }
        return results;
    }

    /** How many of requests {@code 0 .. count - 1} went to target {@code t} of {@code n}. */
    private static long sentTo(int t, int n, long count) {
        return count / n + (count % n > t ? 1 : 0);
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
