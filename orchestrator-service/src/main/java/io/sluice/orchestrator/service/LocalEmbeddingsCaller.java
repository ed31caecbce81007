package io.sluice.orchestrator.service;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.orchestrator.adapter.InvalidRequestException;
import io.sluice.orchestrator.adapter.OpenAiToLocalEmbeddings;
import io.sluice.orchestrator.adapter.UpstreamFailure;
import io.sluice.orchestrator.adapter.UpstreamFailure.Recovery;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.config.LocalEmbeddingsConfig;
import io.sluice.orchestrator.embedding.LocalEmbeddingModel;
import io.sluice.orchestrator.embedding.LocalEmbeddingModel.DeadlineException;
import io.sluice.orchestrator.embedding.LocalEmbeddingModel.NoTokensException;
import io.sluice.orchestrator.embedding.MiniLmModel;
import io.sluice.orchestrator.service.UpstreamProxy.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The call to a local-embeddings deployment, the in-process counterpart of {@link UpstreamCaller}: the request is
 * checked on the event loop when the call is built, the model runs on its worker pool, and the answer comes back in
 * OpenAI's format as if a provider had sent it, so that routing, the breaker, the bulkhead and the metrics treat it
 * like any deployment.
 */
@ApplicationScoped
public class LocalEmbeddingsCaller {
    private final LocalEmbeddingModel model;
    private final LocalEmbeddingsConfig config;
    private final Vertx vertx;

    public LocalEmbeddingsCaller(LocalEmbeddingModel model, LocalEmbeddingsConfig config, Vertx vertx) {
        this.model = model;
        this.config = config;
        this.vertx = vertx;
    }

    /**
     * The call for one request, or an {@link UpstreamCallException} that is the request's fault: a chat request
     * (the model does not chat) or an embeddings request it cannot take, a 400 naming the field.
     */
    public DeploymentRouter.Call prepare(Deployment deployment, Endpoint endpoint, JsonObject body) {
        if (endpoint == Endpoint.CHAT) {
            // Another deployment of the alias may chat; if none does, the client learns why.
            throw new UpstreamCallException(new UpstreamFailure(400, ApiError.invalidRequest("model_not_chat", "model",
                    "The model '" + deployment.alias() + "' is an embedding model: it serves /v1/embeddings, not "
                            + "chat completions."), Recovery.OTHER_DEPLOYMENT, Optional.empty()), false);
        }
        OpenAiToLocalEmbeddings.Texts texts;
        try {
            texts = OpenAiToLocalEmbeddings.read(body, MiniLmModel.DIMENSIONS, config.maxInputs(),
                    config.maxTotalCharacters());
        } catch (InvalidRequestException invalid) {
            throw refused(invalid.error());
        }
        return deadlineMillis -> call(deployment, texts, Math.min(deadlineMillis,
                System.currentTimeMillis() + deployment.totalTimeout().toMillis()));
    }

    private Uni<UpstreamAnswer> call(Deployment deployment, OpenAiToLocalEmbeddings.Texts texts, long deadlineMillis) {
        return model.embed(texts.texts(), deadlineMillis)
                .map(batch -> {
                    UpstreamExchange exchange = new UpstreamExchange(vertx);
                    exchange.finished(); // nothing left running: the whole answer is here
                    return UpstreamAnswer.complete(deployment, 200, OpenAiToLocalEmbeddings.answer(batch.vectors(),
                            batch.tokens(), deployment.alias(), texts.base64()), exchange);
                })
                .onFailure().transform(failed -> failure(failed, texts));
    }

    private static Throwable failure(Throwable failed, OpenAiToLocalEmbeddings.Texts texts) {
        if (failed instanceof RejectedExecutionException) {
            // Overload, not a fault: the breaker does not count it, and retry-after tells the client when to come back.
            return new UpstreamCallException(new UpstreamFailure(503, ApiError.of("server_error", "overloaded",
                    "The local embedding model is busy; retry after the indicated time."), Recovery.OTHER_DEPLOYMENT,
                    Optional.of(Duration.ofSeconds(1))), false);
        }
        if (failed instanceof NoTokensException noTokens) {
            String param = texts.param(noTokens.index());
            return refused(ApiError.invalidRequest("invalid_value", param,
                    "'" + param + "' has no text the model can read."));
        }
        if (failed instanceof DeadlineException) {
            return new UpstreamCallException(new UpstreamFailure(504, ApiError.of("server_error", "upstream_timeout",
                    "The local embedding model did not get to the request in time."), Recovery.NONE,
                    Optional.empty()), false);
        }
        if (failed instanceof LocalEmbeddingModel.UnavailableException) {
            return new UpstreamCallException(new UpstreamFailure(503, ApiError.of("server_error",
                    "upstream_unavailable", "The local embedding model is not available."), Recovery.RETRY,
                    Optional.empty()), true);
        }
        return failed; // a bug: the router logs it and answers 500
    }

    private static UpstreamCallException refused(ApiError error) {
        return new UpstreamCallException(new UpstreamFailure(400, error, Recovery.NONE, Optional.empty()), false);
    }
}
