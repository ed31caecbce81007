package io.sluice.benchmarks.redis;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.vertx.redis.client.Request;

/**
 * Keeps up to {@code inFlight} commands outstanding on the trial's one connection, as concurrent requests on a
 * gateway replica do: a benchmark invocation sends one command as soon as a slot is free and does not wait for its
 * reply, so in steady state invocations per second are replies per second at that concurrency.
 */
@State(Scope.Thread)
public class PipelineState {
    private static final long DRAIN_TIMEOUT_SECONDS = 30;

    @Param({"16", "64"})
    public int inFlight;

    private RedisConnectionState redis;
    private Semaphore slots;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @Setup(Level.Trial)
    public void open(RedisConnectionState redis) {
        this.redis = redis;
        this.slots = new Semaphore(inFlight);
    }

    /** Waits for a free slot, then sends; the slot is freed when the reply (or an error) arrives. */
    public void submit(Request request) throws InterruptedException {
        Throwable failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("a pipelined command failed: " + failed.getMessage(), failed);
        }
        slots.acquire();
        redis.send(request).onComplete(reply -> {
            if (reply.failed()) {
                failure.compareAndSet(null, reply.cause());
            }
            slots.release();
        });
    }

    /** Lets the commands still in flight finish, so no iteration's replies spill into the next one. */
    @TearDown(Level.Iteration)
    public void drain() throws InterruptedException {
        if (!slots.tryAcquire(inFlight, DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("commands still in flight after " + DRAIN_TIMEOUT_SECONDS + "s");
        }
        slots.release(inFlight);
    }
}
