package io.sluice.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds on what the orchestrator accepts from providers, so that no upstream answer can exhaust its heap. */
@ConfigMapping(prefix = "sluice.upstream")
public interface UpstreamLimitsConfig {

    /**
     * Largest complete (non-streamed) answer, error answers included; a larger one fails with 502
     * {@code upstream_too_large} and its connection is closed. The whole answer is held in memory, and a translated
     * one also as a JSON tree, so this follows the heap (README: Configuration).
     */
    @WithDefault("4194304")
    int maxAnswerBytes();

    /**
     * Largest single server-sent event of a streamed answer; a stream with a longer one (or one that never ends)
     * ends with an SSE error event {@code upstream_too_large}.
     */
    @WithDefault("1048576")
    int maxSseEventBytes();
}
