package io.sluice.gateway.cache.semantic;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The semantic mode of the response cache: where questions are embedded, and the bounds of the vector index. */
@ConfigMapping(prefix = "sluice.cache.semantic")
public interface SemanticCacheConfig {

    /**
     * The catalogue alias that embeds questions (an embeddings model of the orchestrator's catalogue; the built-in
     * {@code local-minilm} runs all-MiniLM-L6-v2 in the orchestrator's process).
     */
    @WithDefault("local-minilm")
    String embeddingModel();

    /**
     * Least cosine similarity of a rephrasing, for the all-MiniLM-L6-v2 embeddings of {@code local-minilm};
     * default {@link RephrasingRule#DEFAULT_THRESHOLD}, chosen on the test set in {@code benchmarks/RESULTS.md}. A
     * lower value answers more rephrasings and more near misses.
     */
    Optional<Double> threshold();

    /** Longest wait for a question's embedding; beyond it the request is a miss. */
    @WithDefault("250ms")
    Duration embedTimeout();

    /** Questions kept per tenant (the Redis stream every replica indexes); the oldest leave first. */
    @WithDefault("100000")
    int maxQuestionsPerTenant();

    /** Tenants whose vector index a replica keeps open; the least recently searched one is closed beyond it. */
    @WithDefault("64")
    int maxIndexedTenants();

    /** Where a replica keeps its indexes (memory-mapped files, rebuilt from Redis at start); default: a temp dir. */
    Optional<String> indexDirectory();

    /** Threads that search and update the indexes, off the event loop. */
    @WithDefault("2")
    int threads();

    /** Searches waiting for a thread; beyond it a lookup is a miss rather than a wait. */
    @WithDefault("256")
    int queue();

    /**
     * Neighbours the HNSW search collects per lookup (its candidate list: more finds the true nearest question more
     * surely); the nearest of them is the one judged.
     */
    @WithDefault("4")
    int candidates();
}
