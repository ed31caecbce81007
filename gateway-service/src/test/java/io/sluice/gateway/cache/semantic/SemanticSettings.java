package io.sluice.gateway.cache.semantic;

import java.time.Duration;
import java.util.Optional;

/** {@link SemanticCacheConfig} with its defaults, for tests that build the cache's parts by hand. */
public record SemanticSettings(Duration embedTimeout, int maxQuestionsPerTenant, int maxIndexedTenants, int threads,
        int queue, int candidates) implements SemanticCacheConfig {
    public static final SemanticSettings DEFAULTS = new SemanticSettings(Duration.ofMillis(250), 100_000, 64, 2, 256,
            4);

    @Override
    public String embeddingModel() {
        return "local-minilm";
    }

    @Override
    public Optional<Double> threshold() {
        return Optional.empty();
    }

    @Override
    public Optional<String> indexDirectory() {
        return Optional.empty();
    }
}
