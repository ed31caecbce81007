package io.sluice.orchestrator.embedding;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * A fixed number of threads with a bounded queue for blocking work (model inference) that must never run on the
 * event loop. A task that finds the queue full fails at once with {@link RejectedExecutionException} (the caller's
 * 503) instead of waiting; a task whose caller went away before it started leaves the queue unrun. Results are
 * handed back on the caller's Vert.x context, so that what follows runs on its event loop as if nothing had left it.
 */
public final class WorkerPool implements AutoCloseable {
    private final ThreadPoolExecutor executor;

    public WorkerPool(String name, int threads, int queueSize) {
        if (threads < 1 || queueSize < 0) {
            throw new IllegalStateException(name + ": at least one thread and a queue size of 0 or more");
        }
        AtomicInteger counter = new AtomicInteger();
        BlockingQueue<Runnable> queue = queueSize == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueSize);
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, queue, task -> {
            Thread thread = new Thread(task, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code work} on a worker once one is free. The Uni fails with {@link RejectedExecutionException} when the
     * queue is full, and with whatever {@code work} throws; cancelling it before the work started drops the work.
     */
    public <T> Uni<T> submit(Callable<T> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context caller = Vertx.currentContext();
            AtomicBoolean over = new AtomicBoolean();
            Runnable task = () -> {
                if (over.get()) {
                    return;
                }
                T result;
                try {
                    result = work.call();
                } catch (Throwable failed) {
                    handBack(caller, () -> emitter.fail(failed));
                    return;
                }
                handBack(caller, () -> emitter.complete(result));
            };
            // A caller that left frees its queue place at once, for a caller still waiting.
            emitter.onTermination(() -> {
                if (!over.getAndSet(true)) {
                    executor.remove(task);
                }
            });
            try {
                executor.execute(task);
            } catch (RejectedExecutionException full) {
                emitter.fail(full);
            }
        });
    }

    /** Tasks waiting for a worker. */
    public int queued() {
        return executor.getQueue().size();
    }

    /** Workers busy with a task. */
    public int active() {
        return executor.getActiveCount();
    }

    private static void handBack(Context caller, Runnable action) {
        if (caller != null) {
            caller.runOnContext(v -> action.run());
        } else {
            action.run();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Stops taking tasks, drops the queued ones and waits up to {@code millis} for the running ones to end. */
    public boolean stop(long millis) {
        executor.shutdownNow();
        try {
            return executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
