package io.sluice.orchestrator.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The single upstream of the walking skeleton: an OpenAI-compatible provider (sim-provider by default).
 * The model catalogue with many deployments replaces it in a later iteration.
 */
@ConfigMapping(prefix = "sluice.upstream")
public interface UpstreamConfig {
    /** Base URL without the /v1 suffix, e.g. http://localhost:8090. */
    @WithDefault("http://localhost:8090")
    String baseUrl();

    /** Provider type reported in usage records and metrics. */
    @WithDefault("openai")
    String provider();

    /** Deployment name reported in usage records and metrics. */
    @WithDefault("default")
    String deployment();

    /** Provider API key, from a Secret in Kubernetes; never logged. */
    Optional<String> apiKey();

    @WithDefault("2s")
    Duration connectTimeout();

    /** Longest silence from the upstream (before the first byte or between chunks) before the call is cancelled. */
    @WithDefault("60s")
    Duration idleTimeout();

    /** Connections kept to the upstream. */
    @WithDefault("256")
    int maxConnections();
}
