package io.sluice.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The in-process embedding model behind {@code provider=local-embeddings} deployments: the worker pool it runs on
 * (never the event loop) and what one request may ask of it.
 */
@ConfigMapping(prefix = "sluice.local-embeddings")
public interface LocalEmbeddingsConfig {

    /**
     * Threads running inference. Each call uses one CPU ({@link #intraOpThreads()}), so this is the share of the
     * machine embeddings may take; the event loop keeps the rest.
     */
    @WithDefault("1")
    int workerThreads();

    /** Requests waiting for a worker; beyond it a request gets 503 {@code overloaded} with {@code retry-after}. */
    @WithDefault("64")
    int queueSize();

    /** Threads onnxruntime uses inside one call; more than one competes with the other workers and the event loop. */
    @WithDefault("1")
    int intraOpThreads();

    /** Most texts in one request's {@code input}. */
    @WithDefault("256")
    int maxInputs();

    /** Most characters (UTF-16 units) over all texts of one request. */
    @WithDefault("131072")
    int maxTotalCharacters();
}
