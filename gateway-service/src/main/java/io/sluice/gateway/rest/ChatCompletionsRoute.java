package io.sluice.gateway.rest;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.UsageEvent;
import io.sluice.contracts.rest.ApiException;
import io.sluice.contracts.vertx.ApiErrorResponses;
import io.sluice.contracts.KeyGrant;
import io.sluice.gateway.client.OrchestratorRelay;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.service.ApiKeyAuthenticator;
import io.sluice.gateway.service.ChatRequestValidator;
import io.sluice.gateway.service.ForwardedRequest;
import io.sluice.gateway.service.RateDecision;
import io.sluice.gateway.service.RelayResult;
import io.sluice.gateway.service.RequestRateLimiter;
import io.sluice.gateway.service.UsageRecorder;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /v1/chat/completions}: authenticate, validate, check the quota, relay to the orchestrator and record
 * usage. A raw Vert.x route, because the answer is relayed byte for byte as it streams in.
 */
@ApplicationScoped
public class ChatCompletionsRoute {
    static final String PATH = "/v1/chat/completions";

    private final ApiKeyAuthenticator authenticator;
    private final ChatRequestValidator validator;
    private final RequestRateLimiter limiter;
    private final OrchestratorRelay relay;
    private final UsageRecorder usage;
    private final RequestLimitsConfig limits;

    public ChatCompletionsRoute(ApiKeyAuthenticator authenticator, ChatRequestValidator validator,
            RequestRateLimiter limiter, OrchestratorRelay relay, UsageRecorder usage, RequestLimitsConfig limits) {
        this.authenticator = authenticator;
        this.validator = validator;
        this.limiter = limiter;
        this.relay = relay;
        this.usage = usage;
        this.limits = limits;
    }

    void register(@Observes Router router) {
        router.post(PATH)
                .handler(BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes()))
                .handler(this::handle)
                .failureHandler(ChatCompletionsRoute::failure);
    }

    private void handle(RoutingContext ctx) {
        long startNanos = System.nanoTime();
        // The ledger is idempotent on this id, so it is always ours, never the client's.
        String requestId = "req_" + UUID.randomUUID().toString().replace("-", "");
        HttpServerResponse out = ctx.response().putHeader("x-request-id", requestId);
        Context context = Vertx.currentContext();
        authenticator.authenticate(presentedKey(ctx.request()))
                .emitOn(task -> context.runOnContext(v -> task.run()))
                .subscribe().with(
                        grant -> admitted(ctx, grant, requestId, startNanos),
                        err -> sendError(out, err));
    }

    private void admitted(RoutingContext ctx, KeyGrant grant, String requestId, long startNanos) {
        HttpServerResponse out = ctx.response();
        JsonObject request;
        try {
            request = validator.validate(ctx.body().buffer());
        } catch (ApiException e) {
            sendError(out, e);
            return;
        }
        String model = request.getString("model");
        boolean stream = request.getBoolean("stream", false);
        if (!grant.allowsModel(model)) {
            sendError(out, new ApiException(403, ApiError.of("invalid_request_error", "model_not_allowed",
                    "This API key may not use the model '" + model + "'.")));
            return;
        }
        Context context = Vertx.currentContext();
        limiter.consume(grant)
                .emitOn(task -> context.runOnContext(v -> task.run()))
                .subscribe().with(decision -> {
                    rateLimitHeaders(out, decision);
                    if (!decision.admitted()) {
                        out.putHeader("retry-after", Long.toString(decision.resetSeconds()));
                        sendError(out, new ApiException(429, ApiError.of("requests", "rate_limit_exceeded",
                                "Rate limit reached for requests per minute (" + decision.limit()
                                        + "). Retry after " + decision.resetSeconds() + "s.")));
                        usage.record(event(requestId, grant, model, stream, startNanos,
                                new RelayResult(429, UsageEvent.Outcome.REJECTED, 0, 0, null, null)));
                        return;
                    }
                    boolean clientWantsUsage = request.getJsonObject("stream_options", new JsonObject())
                            .getBoolean("include_usage", false);
                    relay.relay(new ForwardedRequest(PATH, requestId, request.toBuffer(), stream, clientWantsUsage),
                            out, once(result ->
                            usage.record(event(requestId, grant, model, stream, startNanos, result))));
                }, err -> sendError(out, err));
    }

    private static UsageEvent event(String requestId, KeyGrant grant, String model, boolean stream, long startNanos,
            RelayResult result) {
        return new UsageEvent(requestId, grant.tenantId(), grant.keyId(), model, result.provider(),
                result.deployment(), result.promptTokens(), result.completionTokens(),
                (System.nanoTime() - startNanos) / 1_000_000, result.status(), result.outcome(), stream,
                System.currentTimeMillis());
    }

    private static void rateLimitHeaders(HttpServerResponse out, RateDecision decision) {
        out.putHeader("x-ratelimit-limit-requests", Long.toString(decision.limit()))
                .putHeader("x-ratelimit-remaining-requests", Long.toString(decision.remaining()))
                .putHeader("x-ratelimit-reset-requests", decision.resetSeconds() + "s")
                .putHeader("ratelimit-policy", decision.limit() + ";w=60")
                .putHeader("ratelimit", "limit=" + decision.limit() + ", remaining=" + decision.remaining()
                        + ", reset=" + decision.resetSeconds());
    }

    private static String presentedKey(HttpServerRequest request) {
        String authorization = request.getHeader("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7);
        }
        return request.getHeader("x-api-key");
    }

    private static Consumer<RelayResult> once(Consumer<RelayResult> consumer) {
        AtomicBoolean fired = new AtomicBoolean();
        return result -> {
            if (fired.compareAndSet(false, true)) {
                consumer.accept(result);
            }
        };
    }

    private static void sendError(HttpServerResponse out, Throwable err) {
        if (err instanceof ApiException api) {
            ApiErrorResponses.send(out, api.status(), api.error());
        } else {
            Log.errorf(err, "chat completion failed");
            ApiErrorResponses.send(out, 500, ApiError.of("server_error", "internal_error",
                    "The gateway failed to process the request."));
        }
    }

    private static void failure(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            ApiErrorResponses.send(ctx.response(), 413, ApiError.invalidRequest("request_too_large", null,
                    "The request body is larger than this gateway accepts."));
        } else {
            sendError(ctx.response(), ctx.failure() == null ? new IllegalStateException("status " + ctx.statusCode())
                    : ctx.failure());
        }
    }
}
