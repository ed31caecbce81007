package io.sluice.gateway.relay;

import io.sluice.gateway.memory.MemoryScope;
import io.vertx.core.buffer.Buffer;

/**
 * An admitted request on its way to the orchestrator, with what the relay must know about the answer: whether it
 * streams, whether the client gets the usage chunk, and the shape the client expects it in.
 *
 * @param allowedModels the key's allow-list as {@link io.sluice.contracts.RelayHeaders#ALLOWED_MODELS} carries it;
 *        null when the key may use every model
 * @param outputCap the cap for {@link io.sluice.contracts.RelayHeaders#MAX_OUTPUT_TOKENS}; null for none
 * @param keepAnswerBytes how much of a successful answer to keep for {@link RelayResult#answer()} (the response
 *        cache); 0 keeps nothing, and an answer that grows beyond it is relayed but not kept
 * @param memory for a Responses API request, the tenant and policy it is forwarded with; its answer carries the ids
 *        of what was stored, and its stream is Responses events. Null for every other request
 */
public record ForwardedRequest(String path, String requestId, Buffer body, boolean stream, boolean clientWantsUsage,
        ResponseShape shape, String allowedModels, Integer outputCap, int keepAnswerBytes, MemoryScope memory) {

    public ForwardedRequest(String path, String requestId, Buffer body, boolean stream, boolean clientWantsUsage,
            ResponseShape shape, String allowedModels, Integer outputCap, int keepAnswerBytes) {
        this(path, requestId, body, stream, clientWantsUsage, shape, allowedModels, outputCap, keepAnswerBytes, null);
    }

    public ForwardedRequest(String path, String requestId, Buffer body, boolean stream, boolean clientWantsUsage,
            ResponseShape shape, String allowedModels, Integer outputCap) {
        this(path, requestId, body, stream, clientWantsUsage, shape, allowedModels, outputCap, 0);
    }
}
