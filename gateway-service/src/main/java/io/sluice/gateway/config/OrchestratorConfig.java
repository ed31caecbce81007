package io.sluice.gateway.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the gateway forwards admitted inference requests. */
@ConfigMapping(prefix = "sluice.orchestrator")
public interface OrchestratorConfig {
    @WithDefault("http://localhost:8081")
    String url();

    @WithDefault("2s")
    Duration connectTimeout();

    /** Longest silence on a forwarded call; the orchestrator applies the finer per-provider timeouts. */
    @WithDefault("180s")
    Duration idleTimeout();

    @WithDefault("512")
    int maxConnections();
}
