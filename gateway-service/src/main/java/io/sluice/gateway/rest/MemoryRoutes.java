package io.sluice.gateway.rest;

import static io.sluice.gateway.memory.MemoryApiRequests.conversationId;
import static io.sluice.gateway.memory.MemoryApiRequests.itemId;
import static io.sluice.gateway.memory.MemoryApiRequests.listQuery;
import static io.sluice.gateway.memory.MemoryApiRequests.responseId;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.rest.ApiException;
import io.sluice.contracts.vertx.ApiErrorResponses;
import io.sluice.gateway.client.OrchestratorMemoryClient;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.memory.MemoryApiRequests;
import io.sluice.gateway.memory.MemoryScope;
import io.sluice.gateway.relay.UnexpectedFailures;
import io.sluice.gateway.service.ApiKeyAuthenticator;
import io.sluice.gateway.service.RefusedBody;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The Responses and Conversations APIs' reads, writes and deletions: the key checked as for inference (before the
 * body is read; an unknown, revoked or expired key is refused), the ids and parameters checked, the call forwarded to
 * the same path on the orchestrator with the tenant and its memory policy, and its answer relayed (status and body,
 * bounded). Not billed, no usage event, and not counted against the key's request limits: they run no model.
 */
@ApplicationScoped
public class MemoryRoutes {
    private static final String GRANT = "sluice.memory.grant";
    private static final String REQUEST_ID = "sluice.memory.request-id";

    private final ApiKeyAuthenticator authenticator;
    private final OrchestratorMemoryClient memory;
    private final RequestLimitsConfig limits;

    /** What one route forwards: the orchestrator path (and query) and body, from the checked request; or a 400. */
    @FunctionalInterface
    private interface Target {
        Forward of(RoutingContext ctx, Buffer body);
    }

    private record Forward(String pathAndQuery, Buffer body) {
    }

    public MemoryRoutes(ApiKeyAuthenticator authenticator, OrchestratorMemoryClient memory,
            RequestLimitsConfig limits) {
        this.authenticator = authenticator;
        this.memory = memory;
        this.limits = limits;
    }

    void register(@Observes Router router) {
        mount(router, HttpMethod.GET, "/v1/responses/:id",
                (ctx, body) -> read("/v1/responses/" + responseId(ctx.pathParam("id"))));
        mount(router, HttpMethod.DELETE, "/v1/responses/:id",
                (ctx, body) -> read("/v1/responses/" + responseId(ctx.pathParam("id"))));
        mount(router, HttpMethod.GET, "/v1/responses/:id/input_items", (ctx, body) -> read(
                "/v1/responses/" + responseId(ctx.pathParam("id")) + "/input_items" + listQuery(ctx.queryParams())));
        mount(router, HttpMethod.POST, "/v1/conversations",
                (ctx, body) -> new Forward("/v1/conversations", MemoryApiRequests.newConversation(body, limits)));
        mount(router, HttpMethod.GET, "/v1/conversations/:id",
                (ctx, body) -> read(conversation(ctx)));
        mount(router, HttpMethod.POST, "/v1/conversations/:id",
                (ctx, body) -> new Forward(conversation(ctx), MemoryApiRequests.conversationUpdate(body)));
        mount(router, HttpMethod.DELETE, "/v1/conversations/:id",
                (ctx, body) -> read(conversation(ctx)));
        mount(router, HttpMethod.GET, "/v1/conversations/:id/items",
                (ctx, body) -> read(conversation(ctx) + "/items" + listQuery(ctx.queryParams())));
        mount(router, HttpMethod.POST, "/v1/conversations/:id/items",
                (ctx, body) -> new Forward(conversation(ctx) + "/items", MemoryApiRequests.newItems(body, limits)));
        mount(router, HttpMethod.GET, "/v1/conversations/:id/items/:item",
                (ctx, body) -> read(conversation(ctx) + "/items/" + itemId(ctx.pathParam("item"))));
        mount(router, HttpMethod.DELETE, "/v1/conversations/:id/items/:item",
                (ctx, body) -> read(conversation(ctx) + "/items/" + itemId(ctx.pathParam("item"))));
    }

    private static String conversation(RoutingContext ctx) {
        return "/v1/conversations/" + conversationId(ctx.pathParam("id"));
    }

    /** A call without a body: reads and deletions. */
    private static Forward read(String pathAndQuery) {
        return new Forward(pathAndQuery, null);
    }

    private void mount(Router router, HttpMethod method, String path, Target target) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes());
        router.route(method, path)
                .handler(ctx -> authenticate(ctx, body))
                .handler(ctx -> forward(ctx, method, target))
                .failureHandler(this::failed);
    }

    /** The key first, with the request paused: a refused key never has its body read (as for inference). */
    private void authenticate(RoutingContext ctx, BodyHandler readBody) {
        HttpServerRequest client = ctx.request();
        client.pause();
        String requestId = "req_" + UUID.randomUUID().toString().replace("-", "");
        ctx.response().putHeader("x-request-id", requestId);
        ctx.put(REQUEST_ID, requestId);
        Context context = Vertx.currentContext();
        authenticator.authenticate(ApiKeyAuthenticator.presentedKey(client.getHeader("authorization"),
                        client.getHeader("x-api-key")))
                .subscribe().with(
                        grant -> context.runOnContext(v -> {
                            ctx.put(GRANT, grant);
                            readBody.handle(ctx);
                        }),
                        err -> context.runOnContext(v -> {
                            send(ctx.response(), err, requestId);
                            RefusedBody.discard(client, limits.maxBodyBytes());
                        }));
    }

    private void forward(RoutingContext ctx, HttpMethod method, Target target) {
        String requestId = ctx.get(REQUEST_ID);
        Forward forward;
        try {
            forward = target.of(ctx, ctx.body().buffer());
        } catch (RuntimeException invalid) {
            send(ctx.response(), invalid, requestId);
            return;
        }
        KeyGrant grant = ctx.get(GRANT);
        Context context = Vertx.currentContext();
        memory.forward(method, forward.pathAndQuery(), MemoryScope.of(grant), forward.body(), requestId)
                .subscribe().with(
                        answer -> context.runOnContext(v -> relay(ctx.response(), answer)),
                        err -> context.runOnContext(v -> send(ctx.response(), err, requestId)));
    }

    /** The orchestrator's answer as it gave it: status, body, and what the client needs to read them. */
    private static void relay(HttpServerResponse out, OrchestratorMemoryClient.Answer answer) {
        if (out.ended() || out.closed()) {
            return;
        }
        out.setStatusCode(answer.status())
                .putHeader("content-type", answer.contentType() != null ? answer.contentType() : "application/json");
        if (answer.retryAfter() != null) {
            out.putHeader("retry-after", answer.retryAfter());
        }
        out.end(answer.body());
    }

    private void failed(RoutingContext ctx) {
        Throwable failure = ctx.statusCode() == 413
                ? new ApiException(413, ApiError.invalidRequest("request_too_large", null,
                        "The request body is larger than this gateway accepts."))
                : ctx.failure();
        send(ctx.response(), failure, ctx.get(REQUEST_ID));
    }

    /** An error in OpenAI's format: the gateway's own, or a 500 for anything unexpected. */
    private static void send(HttpServerResponse out, Throwable err, String requestId) {
        ApiException api;
        if (err instanceof ApiException known) {
            api = known;
        } else {
            UnexpectedFailures.log(requestId, "memory", err);
            api = new ApiException(500, ApiError.of("server_error", "internal_error",
                    "The gateway failed to process the request."));
        }
        if (api.status() == 503) {
            out.putHeader("retry-after", "1");
        }
        ApiErrorResponses.send(out, api.status(), api.error());
    }
}
