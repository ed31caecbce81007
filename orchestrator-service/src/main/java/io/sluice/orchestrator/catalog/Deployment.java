package io.sluice.orchestrator.catalog;

import java.time.Duration;
import java.util.Optional;

/**
 * One concrete upstream serving a model alias: a provider endpoint, the model name it knows, credentials and the
 * limits and timeouts that apply to calls to it. Its {@code name} keys its circuit breaker, rate limit and metrics.
 * {@code outputCapField} is the OpenAI request field that carries the gateway's output cap.
 */
public record Deployment(
        String name,
        String alias,
        ProviderType provider,
        String baseUrl,
        String upstreamModel,
        Optional<String> apiKey,
        Optional<String> apiVersion,
        int weight,
        int priority,
        Duration connectTimeout,
        Duration firstTokenTimeout,
        Duration totalTimeout,
        OutputCapField outputCapField) {

    /** The provider label used in usage records and metrics. */
    public String providerLabel() {
        return provider.name().toLowerCase().replace('_', '-');
    }
}
