package io.sluice.orchestrator.adapter;

import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ProviderType;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Translates between OpenAI's chat-completion and embeddings formats (what Sluice speaks) and one provider's wire
 * format: requests, complete responses, streams and errors. Stateless; one instance per provider type.
 *
 * <p>Who is at fault when a translation fails decides what it costs: a request the adapter cannot translate throws
 * {@link InvalidRequestException} (the client's 400; any other exception there is treated alike) or
 * {@link UnsupportedOperationException} (this provider cannot serve it, another deployment may), and never counts
 * against the deployment; an answer it cannot read throws whatever it throws and is the deployment's fault
 * ({@code upstream_malformed}).
 */
public interface ProviderAdapter {

    ProviderType provider();

    /** The upstream request for an OpenAI chat completion request (its {@code model} is replaced). */
    UpstreamRequest chatRequest(JsonObject openAiRequest, Deployment deployment);

    /** A complete successful upstream chat answer as the client's {@code chat.completion}, reporting {@code model}. */
    ClientAnswer chatResponse(Buffer upstreamBody, Deployment deployment, String model);

    /**
     * A translator for one streamed answer, reporting {@code model}; a provider event longer than
     * {@code maxEventBytes} ends it with {@code upstream_too_large}.
     */
    StreamTranslator chatStream(Deployment deployment, String model, int maxEventBytes);

    /** The upstream request for an OpenAI embeddings request; {@link UnsupportedOperationException} if none. */
    UpstreamRequest embeddingsRequest(JsonObject openAiRequest, Deployment deployment);

    /**
     * A complete successful upstream embeddings answer as OpenAI's {@code list} of embeddings, with the client's
     * request at hand for providers that do not count embedding tokens (Gemini estimates them from the input).
     */
    ClientAnswer embeddingsResponse(Buffer upstreamBody, JsonObject openAiRequest, Deployment deployment,
            String model);

    /** An upstream error answer (status ≥ 400) classified and in OpenAI's format. */
    UpstreamFailure failure(int status, MultiMap headers, Buffer body);
}
