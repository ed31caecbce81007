package io.sluice.gateway.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.sluice.contracts.ApiError;
import io.sluice.gateway.anthropic.AnthropicMessagesValidator;
import io.sluice.gateway.anthropic.AnthropicResponseShape;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.service.ChatRequestValidator;
import io.sluice.gateway.service.EmbeddingsRequestValidator;
import io.sluice.gateway.service.InferenceEndpoint;
import io.sluice.gateway.service.InferencePipeline;
import io.sluice.gateway.service.ResponseShape;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The inference endpoints: OpenAI's chat and embeddings, and Anthropic's messages (run by the same chat pipeline,
 * translated on the way in and out). Raw Vert.x routes rather than JAX-RS resources, because answers are relayed
 * byte for byte as they stream in.
 */
@ApplicationScoped
public class InferenceRoutes {
    private final InferencePipeline pipeline;
    private final RequestLimitsConfig limits;
    private final InferenceEndpoint chat;
    private final InferenceEndpoint embeddings;
    private final InferenceEndpoint messages;

    public InferenceRoutes(InferencePipeline pipeline, RequestLimitsConfig limits, ChatRequestValidator chat,
            EmbeddingsRequestValidator embeddings, AnthropicMessagesValidator messages) {
        this.pipeline = pipeline;
        this.limits = limits;
        this.chat = InferenceEndpoint.openAi("chat", "/v1/chat/completions", chat);
        this.embeddings = InferenceEndpoint.openAi("embeddings", "/v1/embeddings", embeddings);
        // A chat completion in Anthropic's clothes: priced (endpoint multiplier) and run as chat.
        this.messages = new InferenceEndpoint("chat", "/v1/messages", "/v1/chat/completions", messages,
                new AnthropicResponseShape());
    }

    void register(@Observes Router router) {
        for (InferenceEndpoint endpoint : new InferenceEndpoint[] { chat, embeddings, messages }) {
            router.post(endpoint.path())
                    .handler(BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes()))
                    .handler(ctx -> pipeline.handle(ctx, endpoint))
                    .failureHandler(ctx -> failure(ctx, endpoint.shape()));
        }
    }

    private static void failure(RoutingContext ctx, ResponseShape shape) {
        if (ctx.statusCode() == 413) {
            shape.sendError(ctx.response(), 413, ApiError.invalidRequest("request_too_large", null,
                    "The request body is larger than this gateway accepts."));
        } else {
            shape.sendError(ctx.response(), ctx.statusCode() > 0 ? ctx.statusCode() : 500,
                    ApiError.of("server_error", "internal_error", "The gateway failed to process the request."));
        }
    }
}
