package io.sluice.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds on client requests, enforced before anything is forwarded or charged. */
@ConfigMapping(prefix = "sluice.request")
public interface RequestLimitsConfig {
    @WithDefault("1048576")
    long maxBodyBytes();

    @WithDefault("1000")
    int maxMessages();

    /** Characters of text in one message. */
    @WithDefault("262144")
    int maxMessageChars();

    /** Upper bound on max_tokens / max_completion_tokens. */
    @WithDefault("131072")
    int maxTokens();

    /** Upper bound on n (choices per request). */
    @WithDefault("8")
    int maxChoices();

    /** Inputs in one embeddings request. */
    @WithDefault("2048")
    int maxEmbeddingInputs();
}
