package io.sluice.orchestrator.adapter;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ProviderType;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Azure OpenAI speaks OpenAI's format, so bodies, answers, streams and errors are OpenAI's (delegated to
 * {@link OpenAiCompatibleAdapter}); only the address differs (the model is the Azure deployment in the path, the
 * API version a query parameter) and the key goes in {@code api-key}. The deployment's base URL is the resource
 * endpoint, e.g. {@code https://my-resource.openai.azure.com}.
 */
@ApplicationScoped
public class OpenAiToAzureOpenAiAdapter implements ProviderAdapter {
    /** The latest GA data-plane version when the deployment does not name one. */
    static final String DEFAULT_API_VERSION = "2024-10-21";

    private final OpenAiCompatibleAdapter openAi;

    public OpenAiToAzureOpenAiAdapter(OpenAiCompatibleAdapter openAi) {
        this.openAi = openAi;
    }

    @Override
    public ProviderType provider() {
        return ProviderType.AZURE_OPENAI;
    }

    @Override
    public UpstreamRequest chatRequest(JsonObject openAiRequest, Deployment deployment) {
        UpstreamRequest openAiShaped = openAi.chatRequest(openAiRequest, deployment);
        return new UpstreamRequest(url(deployment, "chat/completions"), headers(deployment, openAiShaped.stream()),
                openAiShaped.body(), openAiShaped.stream());
    }

    @Override
    public ClientAnswer chatResponse(Buffer upstreamBody, Deployment deployment, String model) {
        return openAi.chatResponse(upstreamBody, deployment, model);
    }

    @Override
    public StreamTranslator chatStream(Deployment deployment, String model, int maxEventBytes) {
        return openAi.chatStream(deployment, model, maxEventBytes);
    }

    @Override
    public UpstreamRequest embeddingsRequest(JsonObject openAiRequest, Deployment deployment) {
        UpstreamRequest openAiShaped = openAi.embeddingsRequest(openAiRequest, deployment);
        return new UpstreamRequest(url(deployment, "embeddings"), headers(deployment, false), openAiShaped.body(),
                false);
    }

    @Override
    public ClientAnswer embeddingsResponse(Buffer upstreamBody, JsonObject openAiRequest, Deployment deployment,
            String model) {
        return openAi.embeddingsResponse(upstreamBody, openAiRequest, deployment, model);
    }

    @Override
    public UpstreamFailure failure(int status, MultiMap headers, Buffer body) {
        return openAi.failure(status, headers, body);
    }

    private static String url(Deployment deployment, String operation) {
        String base = deployment.baseUrl().endsWith("/") ? deployment.baseUrl().substring(0,
                deployment.baseUrl().length() - 1) : deployment.baseUrl();
        return base + "/openai/deployments/" + URLEncoder.encode(deployment.upstreamModel(), StandardCharsets.UTF_8)
                + "/" + operation + "?api-version="
                + URLEncoder.encode(deployment.apiVersion().orElse(DEFAULT_API_VERSION), StandardCharsets.UTF_8);
    }

    private static Map<String, String> headers(Deployment deployment, boolean stream) {
        Map<String, String> headers = OpenAiCompatibleAdapter.jsonHeaders(stream);
        deployment.apiKey().ifPresent(key -> headers.put("api-key", key));
        return headers;
    }
}
