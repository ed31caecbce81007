package io.sluice.gateway.service;

import io.sluice.gateway.relay.ResponseShape;

/**
 * One public inference endpoint: its name (the usage event's {@code endpoint}), its public path, the orchestrator
 * path it is forwarded to, how its requests are validated, the shape its answers take, the name its tokens are
 * weighed under ({@code sluice.quota.endpoint-multipliers}), and whether it is a conversation-memory endpoint.
 *
 * @param memory the Responses API: forwarded with the tenant and its memory policy, answered with the ids of what
 *        was stored, streamed as Responses events, sized with its stored history, and never served from or stored in
 *        the response cache (its answer depends on history the cache's key does not see)
 */
public record InferenceEndpoint(String name, String path, String upstreamPath, InferenceRequestValidator validator,
        ResponseShape shape, String pricedAs, boolean memory) {

    public InferenceEndpoint(String name, String path, String upstreamPath, InferenceRequestValidator validator,
            ResponseShape shape) {
        this(name, path, upstreamPath, validator, shape, name, false);
    }

    /** Whether its answers are chat completions (whatever the client's format), rather than embeddings. */
    public boolean isChat() {
        return "chat".equals(pricedAs) && !memory;
    }

    /** An OpenAI endpoint: the same path on the orchestrator, answers passed through. */
    public static InferenceEndpoint openAi(String name, String path, InferenceRequestValidator validator) {
        return new InferenceEndpoint(name, path, path, validator, ResponseShape.OPENAI);
    }
}
