package io.sluice.gateway.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.sluice.gateway.anthropic.AnthropicMessagesValidator;
import io.sluice.gateway.anthropic.AnthropicResponseShape;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.memory.ResponsesRequestValidator;
import io.sluice.gateway.relay.ResponseShape;
import io.sluice.gateway.service.ChatRequestValidator;
import io.sluice.gateway.service.EmbeddingsRequestValidator;
import io.sluice.gateway.service.InferenceEndpoint;
import io.sluice.gateway.service.InferencePipeline;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The inference endpoints: OpenAI's chat, embeddings and responses, and Anthropic's messages (run by the same chat
 * pipeline, translated on the way in and out). Raw Vert.x routes rather than JAX-RS resources, because answers are relayed
 * byte for byte as they stream in, and because the key is checked before the body is read.
 */
@ApplicationScoped
public class InferenceRoutes {
    private final InferencePipeline pipeline;
    private final RequestLimitsConfig limits;
    private final InferenceEndpoint chat;
    private final InferenceEndpoint embeddings;
    private final InferenceEndpoint messages;
    private final InferenceEndpoint responses;

    public InferenceRoutes(InferencePipeline pipeline, RequestLimitsConfig limits, ChatRequestValidator chat,
            EmbeddingsRequestValidator embeddings, AnthropicMessagesValidator messages,
            ResponsesRequestValidator responses) {
        this.pipeline = pipeline;
        this.limits = limits;
        this.chat = InferenceEndpoint.openAi("chat", "/v1/chat/completions", chat);
        this.embeddings = InferenceEndpoint.openAi("embeddings", "/v1/embeddings", embeddings);
        // A chat completion in Anthropic's clothes: priced (endpoint multiplier) and run as chat.
        this.messages = new InferenceEndpoint("messages", "/v1/messages", "/v1/chat/completions", messages,
                new AnthropicResponseShape(), "chat", false);
        // Run by the orchestrator with the stored history; answered in OpenAI's Responses format, passed through.
        this.responses = new InferenceEndpoint("responses", "/v1/responses", "/v1/responses", responses,
                ResponseShape.OPENAI, "responses", true);
    }

    void register(@Observes Router router) {
        for (InferenceEndpoint endpoint : new InferenceEndpoint[] { chat, embeddings, messages, responses }) {
            mount(router, endpoint);
        }
    }

    /**
     * The key first (body unread), then the body, then the pipeline; every failure through the pipeline. The body
     * handler is run by the key check rather than routed: Vert.x routes a body handler before any other.
     */
    public void mount(Router router, InferenceEndpoint endpoint) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes());
        router.post(endpoint.path())
                .handler(ctx -> pipeline.authenticate(ctx, endpoint, body))
                .handler(ctx -> pipeline.handle(ctx, endpoint))
                .failureHandler(ctx -> pipeline.failed(ctx, endpoint));
    }
}
