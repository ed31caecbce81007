package io.sluice.orchestrator.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.subscription.Cancellable;

/** The bound of the pool the embedding model runs on: one worker, one queue place, held by latches. */
class WorkerPoolTest {
    private final WorkerPool pool = new WorkerPool("test-workers", 1, 1);
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        pool.stop(5_000);
    }

    @Test
    void aTaskBeyondTheQueueFailsAtOnce() throws InterruptedException {
        holdTheWorker();
        AtomicBoolean queuedRan = new AtomicBoolean();
        pool.submit(() -> queuedRan.getAndSet(true)).subscribe().with(done -> {
        });
        AtomicReference<Throwable> refused = new AtomicReference<>();
        pool.submit(() -> "never").subscribe().with(done -> {
        }, refused::set);
        assertInstanceOf(RejectedExecutionException.class, refused.get(), "failed at once, not queued");

        release.countDown();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pool.queued() == 0);
        String after = pool.submit(() -> "room again").await().atMost(Duration.ofSeconds(10));
        assertEquals("room again", after);
        assertTrue(queuedRan.get(), "the queued task ran once the worker was free");
    }

    @Test
    void aTaskWhoseCallerLeftBeforeItStartedIsNotRun() throws InterruptedException {
        holdTheWorker();
        AtomicBoolean ran = new AtomicBoolean();
        Cancellable waiting = pool.submit(() -> ran.getAndSet(true)).subscribe().with(done -> {
        });
        assertEquals(1, pool.queued());
        waiting.cancel();
        assertEquals(0, pool.queued(), "its queue place is free at once");

        release.countDown();
        pool.submit(() -> "after").await().atMost(Duration.ofSeconds(10));
        assertFalse(ran.get(), "dropped unrun");
    }

    @Test
    void aFailureOfTheWorkReachesTheCaller() {
        IllegalStateException broken = new IllegalStateException("broken");
        AtomicReference<Throwable> failed = new AtomicReference<>();
        pool.submit(() -> {
            throw broken;
        }).subscribe().with(done -> {
        }, failed::set);
        release.countDown();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> failed.get() != null);
        assertEquals(broken, failed.get());
    }

    private void holdTheWorker() throws InterruptedException {
        pool.submit(() -> {
            running.countDown();
            return release.await(30, TimeUnit.SECONDS);
        }).subscribe().with(done -> {
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        assertEquals(0, pool.queued());
    }
}
