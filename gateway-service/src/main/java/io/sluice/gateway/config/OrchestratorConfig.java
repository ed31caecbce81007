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

    /** Connections to the orchestrator; a stream holds one for as long as it lasts. */
    @WithDefault("512")
    int maxConnections();

    /**
     * Requests waiting for a connection when all are busy. Beyond it a request is refused at once with 503 and
     * {@code retry-after}, so a stalled orchestrator cannot make the gateway queue without bound (Envoy bounds
     * pending requests the same way).
     */
    @WithDefault("512")
    int maxWaiting();

    /**
     * Largest whole answer the gateway holds in memory: only answers it must translate (Anthropic's format) or read
     * its usage from (an orchestrator that sends no usage header) are held; OpenAI-format answers are relayed as they
     * arrive. A larger one is refused with 502 {@code upstream_too_large} and its call cancelled.
     */
    @WithDefault("16777216")
    long maxAnswerBytes();

    /**
     * Longest server-sent event of a stream (the orchestrator's limit on what it sends). A stream whose event grows
     * beyond it without ending is ended with an error event and billed for what was delivered.
     */
    @WithDefault("1048576")
    int maxSseEventBytes();

    /**
     * Longest wait for the size of a request's stored history ({@code GET /internal/memory/context}), asked before
     * its reservation on the request's path; beyond it the request is refused with 503 {@code memory_unavailable}.
     */
    @WithDefault("2s")
    Duration memoryContextTimeout();

    /** Longest wait for the orchestrator's answer to a Responses or Conversations API read, write or deletion. */
    @WithDefault("10s")
    Duration memoryApiTimeout();
}
