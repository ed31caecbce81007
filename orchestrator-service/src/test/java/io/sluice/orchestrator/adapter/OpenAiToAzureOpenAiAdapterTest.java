package io.sluice.orchestrator.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.OutputCapField;
import io.sluice.orchestrator.catalog.ProviderType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class OpenAiToAzureOpenAiAdapterTest {
    private final OpenAiToAzureOpenAiAdapter adapter = new OpenAiToAzureOpenAiAdapter(new OpenAiCompatibleAdapter());
    private final Deployment deployment = Deployments.of(ProviderType.AZURE_OPENAI,
            "https://contoso.openai.azure.com/", "gpt-4o-prod", "azure-secret", "2024-06-01");

    @Test
    void chatGoesToTheDeploymentPathWithApiVersionAndApiKey() {
        JsonObject request = new JsonObject().put("model", "gpt-4o").put("temperature", 0.2)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
        UpstreamRequest upstream = adapter.chatRequest(request, deployment);

        assertEquals("https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions"
                + "?api-version=2024-06-01", upstream.absoluteUrl());
        assertEquals("azure-secret", upstream.headers().get("api-key"));
        assertFalse(upstream.headers().containsKey("authorization"));
        JsonObject body = upstream.body().toJsonObject();
        assertEquals(request.getJsonArray("messages"), body.getJsonArray("messages"));
        assertEquals(0.2, body.getDouble("temperature"));
    }

    @Test
    void streamsStillAskForTheUsageChunk() {
        JsonObject request = new JsonObject().put("stream", true)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
        UpstreamRequest upstream = adapter.chatRequest(request, deployment);
        assertTrue(upstream.stream());
        assertEquals("text/event-stream", upstream.headers().get("accept"));
        assertTrue(upstream.body().toJsonObject().getJsonObject("stream_options").getBoolean("include_usage"));
    }

    @Test
    void embeddingsUseTheEmbeddingsPathAndADefaultApiVersion() {
        Deployment noVersion = Deployments.of(ProviderType.AZURE_OPENAI, "https://contoso.openai.azure.com",
                "embed-large", "k", null);
        UpstreamRequest upstream = adapter.embeddingsRequest(new JsonObject().put("input", "text"), noVersion);
        assertEquals("https://contoso.openai.azure.com/openai/deployments/embed-large/embeddings?api-version="
                + OpenAiToAzureOpenAiAdapter.DEFAULT_API_VERSION, upstream.absoluteUrl());
        assertEquals("k", upstream.headers().get("api-key"));
    }

    @Test
    void theGatewaysOutputCapIsSentAsTheDeploymentsField() {
        JsonObject request = new JsonObject().put("messages", new JsonArray().add(new JsonObject()
                .put("role", "user").put("content", "hi")));
        JsonObject capped = adapter.chatRequest(OutputCap.applyTo(request, OptionalInt.of(77), deployment), deployment)
                .body().toJsonObject();
        assertEquals(77, capped.getInteger("max_completion_tokens"));
        assertFalse(capped.containsKey("max_tokens"));
        assertFalse(request.containsKey("max_completion_tokens"), "the client's request is left as it was");

        Deployment older = Deployments.withOutputCapField(ProviderType.OPENAI, "http://vllm.test/v1", "llama", null,
                null, OutputCapField.MAX_TOKENS);
        JsonObject olderBody = new OpenAiCompatibleAdapter().chatRequest(OutputCap.applyTo(request, OptionalInt.of(77),
                older), older).body().toJsonObject();
        assertEquals(77, olderBody.getInteger("max_tokens"));
        assertFalse(olderBody.containsKey("max_completion_tokens"));

        JsonObject own = request.copy().put("max_tokens", 5);
        assertEquals(own, OutputCap.applyTo(own, OptionalInt.of(77), deployment), "a client's own limit stands");
    }
}
