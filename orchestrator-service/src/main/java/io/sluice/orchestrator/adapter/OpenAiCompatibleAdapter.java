package io.sluice.orchestrator.adapter;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ProviderType;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI and the OpenAI-compatible family (Mistral, DeepSeek, Qwen, Grok, vLLM, Ollama, sim-provider): the wire
 * format is already Sluice's, so requests only get the deployment's model name and credentials, and answers pass
 * through byte for byte. The deployment's base URL is the provider's OpenAI base URL, including its {@code /v1}.
 */
@ApplicationScoped
public class OpenAiCompatibleAdapter implements ProviderAdapter {

    @Override
    public ProviderType provider() {
        return ProviderType.OPENAI;
    }

    @Override
    public UpstreamRequest chatRequest(JsonObject openAiRequest, Deployment deployment) {
        JsonObject body = withUpstreamModel(openAiRequest, deployment);
        boolean stream = RequestReader.flag(openAiRequest, "", "stream");
        if (stream) {
            // Streams are billed from the final usage chunk, so always ask for it.
            JsonObject options = RequestReader.object(openAiRequest, "", "stream_options");
            body.put("stream_options", (options == null ? new JsonObject() : options.copy()).put("include_usage", true));
        }
        return new UpstreamRequest(deployment.baseUrl() + "/chat/completions", headers(deployment, stream),
                body.toBuffer(), stream);
    }

    /** The upstream's bytes, relayed unchanged: checked and scanned for their usage, never parsed into a tree. */
    @Override
    public ClientAnswer chatResponse(Buffer upstreamBody, Deployment deployment, String model) {
        return new ClientAnswer(upstreamBody, RelayedAnswerUsage.of(upstreamBody));
    }

    @Override
    public StreamTranslator chatStream(Deployment deployment, String model, int maxEventBytes) {
        return new PassThroughStream(maxEventBytes);
    }

    @Override
    public UpstreamRequest embeddingsRequest(JsonObject openAiRequest, Deployment deployment) {
        JsonObject body = withUpstreamModel(openAiRequest, deployment);
        return new UpstreamRequest(deployment.baseUrl() + "/embeddings", headers(deployment, false), body.toBuffer(),
                false);
    }

    @Override
    public ClientAnswer embeddingsResponse(Buffer upstreamBody, JsonObject openAiRequest, Deployment deployment,
            String model) {
        return chatResponse(upstreamBody, deployment, model);
    }

    /**
     * The client's request with the deployment's model name. Only top-level fields are copied, the messages are
     * shared: nothing here changes a nested value, and the client's request stays as it was for a fallback.
     */
    private static JsonObject withUpstreamModel(JsonObject openAiRequest, Deployment deployment) {
        return new JsonObject(new LinkedHashMap<>(openAiRequest.getMap())).put("model", deployment.upstreamModel());
    }

    @Override
    public UpstreamFailure failure(int status, MultiMap headers, Buffer body) {
        return openAiStyleFailure(status, headers, body);
    }

    /** Errors shaped {@code {"error":{"message","type","code"}}}, as OpenAI and most compatible servers send. */
    static UpstreamFailure openAiStyleFailure(int status, MultiMap headers, Buffer body) {
        String message = null;
        String code = null;
        try {
            JsonObject error = body == null || body.length() == 0 ? null : body.toJsonObject().getJsonObject("error");
            if (error != null) {
                message = error.getString("message");
                code = error.getValue("code") instanceof String c ? c : error.getString("type");
            }
        } catch (DecodeException | ClassCastException notJson) {
            // A proxy's HTML error page or similar: classify by status alone.
        }
        return FailureClassifier.classify(status, headers, message, code);
    }

    protected Map<String, String> headers(Deployment deployment, boolean stream) {
        Map<String, String> headers = jsonHeaders(stream);
        deployment.apiKey().ifPresent(key -> headers.put("authorization", "Bearer " + key));
        return headers;
    }

    /** Content type and accept headers of a JSON POST, without credentials; each adapter adds its own. */
    static Map<String, String> jsonHeaders(boolean stream) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        headers.put("accept", stream ? "text/event-stream" : "application/json");
        return headers;
    }
}
