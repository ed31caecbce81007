package io.sluice.orchestrator.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.sluice.orchestrator.catalog.ModelCatalog;
import io.sluice.orchestrator.config.LocalEmbeddingsConfig;

/**
 * The built-in embedding model as the orchestrator uses it: loaded once, in the background as the service starts
 * (only when the catalogue has a local-embeddings deployment), and called on its bounded {@link WorkerPool}.
 *
 * <p>Why in the background at start-up rather than on first use or before the service is up: loading takes about two
 * seconds of CPU (native libraries, the ONNX graph), which would either delay every start of the service, including
 * those of catalogues that never embed, or fall on the first caller, typically a response-cache lookup with a short
 * deadline. Started as the first task of the worker pool, it costs start-up nothing, and requests that arrive
 * before it is done simply wait in the queue behind it.
 */
@ApplicationScoped
public class LocalEmbeddingModel {

    /** Where the model is: not wanted by the catalogue, being loaded, ready, or failed to load. */
    public enum State {
        NOT_LOADED, LOADING, READY, FAILED
    }

    /** The vectors of a batch, in input order, and the tokens the model read over all of it. */
    public record Batch(List<float[]> vectors, int tokens) {
    }

    /** A text of the batch the tokenizer leaves nothing of: the client's 400, naming {@code input[index]}. */
    public static final class NoTokensException extends RuntimeException {
        private final int index;

        NoTokensException(int index) {
            super("input " + index + " has no tokens", null, false, false);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }

    private final LocalEmbeddingsConfig config;
    private final ModelCatalog catalog;
    private final WorkerPool workers;
    private final CompletableFuture<MiniLmModel> model = new CompletableFuture<>();
    private final Counter rejected;
    private volatile State state = State.NOT_LOADED;
    private volatile long loadMillis = -1;

    public LocalEmbeddingModel(LocalEmbeddingsConfig config, ModelCatalog catalog, MeterRegistry registry) {
        this.config = config;
        this.catalog = catalog;
        this.workers = new WorkerPool("sluice-embeddings", config.workerThreads(), config.queueSize());
        this.rejected = Counter.builder("sluice.local.embeddings.rejected")
                .description("Requests for the local embedding model refused with 503: its worker queue was full")
                .register(registry);
        Gauge.builder("sluice.local.embeddings.queued", workers, WorkerPool::queued)
                .description("Requests waiting for a worker of the local embedding model").register(registry);
    }

    void startLoading(@Observes StartupEvent started) {
        if (!catalog.hasInProcessDeployments()) {
            return;
        }
        state = State.LOADING;
        workers.submit(this::load).subscribe().with(loaded -> {
        }, failure -> {
        });
    }

    private MiniLmModel load() {
        long start = System.nanoTime();
        try {
            MiniLmModel loaded = MiniLmModel.load(config.intraOpThreads());
            loadMillis = (System.nanoTime() - start) / 1_000_000;
            model.complete(loaded);
            state = State.READY;
            Log.infof("local embedding model %s loaded in %d ms (%d worker thread(s), queue %d)",
                    ModelCatalog.LOCAL_EMBEDDING_MODEL, loadMillis, config.workerThreads(), config.queueSize());
            return loaded;
        } catch (RuntimeException | LinkageError failed) {
            state = State.FAILED;
            model.completeExceptionally(failed);
            Log.error("the local embedding model could not be loaded; local-embeddings deployments will fail", failed);
            throw failed;
        }
    }

    /**
     * Embeds the texts on a worker, one after another, unless {@code deadlineMillis} (epoch) passed while the batch
     * waited. Fails with {@link java.util.concurrent.RejectedExecutionException} when the queue is full,
     * {@link NoTokensException} for a text without tokens, {@link DeadlineException} past the deadline, and
     * {@link UnavailableException} when the model could not be loaded.
     */
    public Uni<Batch> embed(List<String> texts, long deadlineMillis) {
        return workers.submit(() -> {
            if (System.currentTimeMillis() >= deadlineMillis) {
                throw new DeadlineException();
            }
            MiniLmModel loaded = loaded();
            List<float[]> vectors = new ArrayList<>(texts.size());
            int tokens = 0;
            for (int i = 0; i < texts.size(); i++) {
                MiniLmModel.Vector vector;
                try {
                    vector = loaded.embed(texts.get(i));
                } catch (IllegalArgumentException noTokens) {
                    throw new NoTokensException(i);
                }
                vectors.add(vector.values());
                tokens += vector.tokens();
            }
            return new Batch(vectors, tokens);
        }).onFailure(java.util.concurrent.RejectedExecutionException.class).invoke(full -> rejected.increment());
    }

    private MiniLmModel loaded() {
        try {
            return model.get(); // on a worker: waits only while the model is being loaded
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException();
        } catch (ExecutionException e) {
            throw new UnavailableException();
        }
    }

    public State state() {
        return state;
    }

    /** How long loading took, or -1 before it ended. */
    public long loadMillis() {
        return loadMillis;
    }

    /** The worker pool, for tests that need to hold its workers. */
    public WorkerPool workers() {
        return workers;
    }

    @PreDestroy
    void close() {
        // The native session may only go once no worker is inside it; a call takes milliseconds.
        if (workers.stop(5_000)) {
            model.thenAccept(MiniLmModel::close);
        }
    }

    /** The batch waited past its deadline; it was not run. */
    public static final class DeadlineException extends RuntimeException {
        DeadlineException() {
            super("deadline passed in the queue", null, false, false);
        }
    }

    /** The model could not be loaded at start-up. */
    public static final class UnavailableException extends RuntimeException {
        UnavailableException() {
            super("the local embedding model is not available", null, false, false);
        }
    }
}
