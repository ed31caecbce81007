package io.sluice.benchmarks.suite;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;

/**
 * Streamed chat completions at a fixed rate: time from each request's due time to the first byte of the body, the
 * gaps between consecutive SSE events as the client receives them, and how many events each stream carried (so
 * that a relay merging events the upstream sent apart shows as a different count than direct).
 */
final class StreamProbe {
    private final HttpClient client;
    /** The client's one event loop: every request is made on it, so its callbacks run there at once. */
    private final Context context;

    StreamProbe(HttpClient client, Context context) {
        this.client = client;
        this.context = context;
    }

    /** Latencies in microseconds; {@code eventsPerStream} maps an event count to the number of streams with it. */
    record Result(String target, long streams, long failed, Histogram firstByte, Histogram gaps,
            Map<Integer, Long> eventsPerStream, long networkReads) {
    }

    Result run(LoadTarget target, int rate, int count) throws InterruptedException {
        Buffer body = Buffer.buffer(LoadTarget.chatBody(true));
        Histogram firstByte = new SynchronizedHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        Histogram gaps = new SynchronizedHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        Map<Integer, Long> eventsPerStream = new TreeMap<>();
        AtomicLong failed = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        CountDownLatch done = new CountDownLatch(count);
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < count; i++) {
            long due = start + i * period;
            OpenLoopLoad.waitUntil(due);
            StreamTimes times = new StreamTimes(due);
            context.runOnContext(send -> client.request(target.request())
                    .compose(request -> request.send(body))
                    .onComplete(sent -> {
                        if (sent.failed() || sent.result().statusCode() != 200) {
                            failed.incrementAndGet();
                            done.countDown();
                            return;
                        }
                        var response = sent.result();
                        response.handler(times::received);
                        response.exceptionHandler(err -> {
                            failed.incrementAndGet();
                            done.countDown();
                        });
                        response.endHandler(end -> {
                            synchronized (eventsPerStream) {
                                eventsPerStream.merge(times.events, 1L, Long::sum);
                            }
                            reads.addAndGet(times.reads);
                            firstByte.recordValue(times.firstByteMicros);
                            times.gapsMicros.forEach(gaps::recordValue);
                            done.countDown();
                        });
                    }));
        }
        if (!done.await(120, TimeUnit.SECONDS)) {
            failed.addAndGet(done.getCount());
        }
        return new Result(target.name(), count, failed.get(), firstByte, gaps, eventsPerStream, reads.get());
    }

    /** One stream's arrival times, fed on the client's event loop. */
    private static final class StreamTimes {
        private final long due;
        private final java.util.List<Long> gapsMicros = new java.util.ArrayList<>();
        private long firstByteMicros = -1;
        private long lastEventAt;
        private int events;
        private int reads;
        /** The last bytes seen, to find an event end ("\n\n") split across two network reads. */
        private byte previous;

        StreamTimes(long due) {
            this.due = due;
        }

        void received(Buffer chunk) {
            long now = System.nanoTime();
            reads++;
            if (firstByteMicros < 0) {
                firstByteMicros = (now - due) / 1000;
            }
            for (int i = 0; i < chunk.length(); i++) {
                byte b = chunk.getByte(i);
                if (b == '\n' && previous == '\n') {
                    if (events > 0) {
                        gapsMicros.add((now - lastEventAt) / 1000);
                    }
                    events++;
                    lastEventAt = now;
                }
                previous = b;
            }
        }
    }
}
