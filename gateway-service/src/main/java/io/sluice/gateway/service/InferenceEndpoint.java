package io.sluice.gateway.service;

import io.sluice.gateway.relay.ResponseShape;

/**
 * One public inference endpoint: its name in configuration (endpoint multipliers), its public path, the
 * orchestrator path it is forwarded to, how its requests are validated and the shape its answers take.
 */
public record InferenceEndpoint(String name, String path, String upstreamPath, InferenceRequestValidator validator,
        ResponseShape shape) {

    /** Whether its answers are chat completions (whatever the client's format), rather than embeddings. */
    public boolean isChat() {
        return "chat".equals(name);
    }

    /** An OpenAI endpoint: the same path on the orchestrator, answers passed through. */
    public static InferenceEndpoint openAi(String name, String path, InferenceRequestValidator validator) {
        return new InferenceEndpoint(name, path, path, validator, ResponseShape.OPENAI);
    }
}
