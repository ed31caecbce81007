package io.sluice.orchestrator.adapter;

import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ProviderType;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Translates between OpenAI's chat-completion and embeddings formats (what Sluice speaks) and one provider's wire
 * format: requests, complete responses, streams and errors. Stateless; one instance per provider type.
 */
public interface ProviderAdapter {

    ProviderType provider();

    /** The upstream request for an OpenAI chat completion request (its {@code model} is replaced). */
    UpstreamRequest chatRequest(JsonObject openAiRequest, Deployment deployment);

    /**
     * A complete successful upstream answer as an OpenAI {@code chat.completion}, reporting {@code model}. Returning
     * {@code upstreamBody} itself relays the upstream's bytes unchanged (no re-encoding).
     */
    JsonObject chatResponse(JsonObject upstreamBody, Deployment deployment, String model);

    /** A translator for one streamed answer, reporting {@code model}. */
    StreamTranslator chatStream(Deployment deployment, String model);

    /** The upstream request for an OpenAI embeddings request; {@link UnsupportedOperationException} if none. */
    UpstreamRequest embeddingsRequest(JsonObject openAiRequest, Deployment deployment);

    /** A complete successful upstream embeddings answer as OpenAI's {@code list} of embeddings (as above). */
    JsonObject embeddingsResponse(JsonObject upstreamBody, Deployment deployment, String model);

    /**
     * As {@link #embeddingsResponse(JsonObject, Deployment, String)}, with the client's request at hand for
     * providers that do not count embedding tokens (Gemini): their usage is then estimated from the input.
     */
    default JsonObject embeddingsResponse(JsonObject upstreamBody, JsonObject openAiRequest, Deployment deployment,
            String model) {
        return embeddingsResponse(upstreamBody, deployment, model);
    }

    /** An upstream error answer (status ≥ 400) classified and in OpenAI's format. */
    UpstreamFailure failure(int status, MultiMap headers, Buffer body);
}
