package io.sluice.gateway.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.vertx.ApiErrorResponses;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.service.ChatRequestValidator;
import io.sluice.gateway.service.EmbeddingsRequestValidator;
import io.sluice.gateway.service.InferenceEndpoint;
import io.sluice.gateway.service.InferencePipeline;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The OpenAI inference endpoints. Raw Vert.x routes rather than JAX-RS resources, because answers are relayed
 * byte for byte as they stream in.
 */
@ApplicationScoped
public class InferenceRoutes {
    private final InferencePipeline pipeline;
    private final RequestLimitsConfig limits;
    private final InferenceEndpoint chat;
    private final InferenceEndpoint embeddings;

    public InferenceRoutes(InferencePipeline pipeline, RequestLimitsConfig limits, ChatRequestValidator chat,
            EmbeddingsRequestValidator embeddings) {
        this.pipeline = pipeline;
        this.limits = limits;
        this.chat = new InferenceEndpoint("chat", "/v1/chat/completions", chat);
        this.embeddings = new InferenceEndpoint("embeddings", "/v1/embeddings", embeddings);
    }

    void register(@Observes Router router) {
        for (InferenceEndpoint endpoint : new InferenceEndpoint[] { chat, embeddings }) {
            router.post(endpoint.path())
                    .handler(BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes()))
                    .handler(ctx -> pipeline.handle(ctx, endpoint))
                    .failureHandler(InferenceRoutes::failure);
        }
    }

    private static void failure(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            ApiErrorResponses.send(ctx.response(), 413, ApiError.invalidRequest("request_too_large", null,
                    "The request body is larger than this gateway accepts."));
        } else {
            ApiErrorResponses.send(ctx.response(), ctx.statusCode() > 0 ? ctx.statusCode() : 500,
                    ApiError.of("server_error", "internal_error", "The gateway failed to process the request."));
        }
    }
}
