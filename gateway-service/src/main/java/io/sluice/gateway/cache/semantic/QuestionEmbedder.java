package io.sluice.gateway.cache.semantic;

import java.net.URI;
import java.util.UUID;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.sluice.gateway.client.ServiceCredential;
import io.sluice.gateway.config.OrchestratorConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Embeds a question for the semantic cache through the orchestrator's {@code /v1/embeddings}, with the catalogue
 * alias the operator chose: the cache's own call, not billed to the tenant. Vectors come back normalised to unit
 * length, so that cosine similarity is a dot product whatever the model returns.
 */
@ApplicationScoped
public class QuestionEmbedder {
    private final HttpClient client;
    private final URI embeddings;
    private final ServiceCredential credential;
    private final SemanticCacheConfig config;

    public QuestionEmbedder(Vertx vertx, OrchestratorConfig orchestrator, ServiceCredential credential,
            SemanticCacheConfig config) {
        this.credential = credential;
        this.config = config;
        this.embeddings = URI.create(orchestrator.url()).resolve("/v1/embeddings");
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout((int) orchestrator.connectTimeout().toMillis()).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(32).setMaxWaitQueueSize(64));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public Uni<float[]> embed(String question) {
        RequestOptions options = credential.putOn(new RequestOptions())
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(embeddings.toString())
                .setIdleTimeout(config.embedTimeout().toMillis())
                .putHeader("content-type", "application/json")
                .putHeader("x-request-id", "cache_" + UUID.randomUUID().toString().replace("-", ""));
        Buffer body = new JsonObject().put("model", config.embeddingModel()).put("input", question).toBuffer();
        return Uni.createFrom().completionStage(() -> client.request(options)
                        .compose(request -> request.send(body))
                        .compose(response -> response.body().map(answer -> {
                            if (response.statusCode() != 200) {
                                throw new IllegalStateException("embeddings answered " + response.statusCode());
                            }
                            return unit(answer.toJsonObject().getJsonArray("data").getJsonObject(0)
                                    .getJsonArray("embedding"));
                        }))
                        .toCompletionStage())
                .ifNoItem().after(config.embedTimeout()).fail();
    }

    private static float[] unit(JsonArray values) {
        float[] vector = new float[values.size()];
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            vector[i] = values.getNumber(i).floatValue();
            norm += vector[i] * (double) vector[i];
        }
        if (norm == 0) {
            throw new IllegalStateException("the embedding is a zero vector");
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < vector.length; i++) {
            vector[i] *= scale;
        }
        return vector;
    }
}
