package io.sluice.gateway.service;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.UsageEvent;
import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.client.OrchestratorRelay;
import io.sluice.gateway.config.QuotaConfig;
import io.sluice.gateway.metrics.RequestMetrics;
import io.sluice.gateway.quota.QuotaEnforcer;
import io.sluice.gateway.quota.QuotaEnforcer.Reservation;
import io.sluice.gateway.quota.QuotaResponses;
import io.sluice.gateway.quota.Usage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The path of every inference request: authenticate, validate, check the model allow-list, reserve quotas, relay
 * to the orchestrator, settle the reservation to the real usage, and record exactly one usage event for every
 * authenticated request (a rejection included). Nothing is forwarded or charged before validation passes.
 */
@ApplicationScoped
public class InferencePipeline {
    private final ApiKeyAuthenticator authenticator;
    private final QuotaEnforcer quotas;
    private final OrchestratorRelay relay;
    private final UsageRecorder usage;
    private final RequestMetrics metrics;
    private final QuotaConfig quotaConfig;

    public InferencePipeline(ApiKeyAuthenticator authenticator, QuotaEnforcer quotas, OrchestratorRelay relay,
            UsageRecorder usage, RequestMetrics metrics, QuotaConfig quotaConfig) {
        this.authenticator = authenticator;
        this.quotas = quotas;
        this.relay = relay;
        this.usage = usage;
        this.metrics = metrics;
        this.quotaConfig = quotaConfig;
    }

    /** One request's identity while it is processed, for its usage event. */
    private record Attempt(String requestId, KeyGrant grant, long startNanos, HttpServerResponse out) {
    }

    public void handle(RoutingContext ctx, InferenceEndpoint endpoint) {
        long startNanos = System.nanoTime();
        // The ledger is idempotent on this id, so it is always ours, never the client's.
        String requestId = "req_" + UUID.randomUUID().toString().replace("-", "");
        HttpServerResponse out = ctx.response().putHeader("x-request-id", requestId);
        HttpServerRequest client = ctx.request();
        authenticator.authenticate(ApiKeyAuthenticator.presentedKey(client.getHeader("authorization"),
                        client.getHeader("x-api-key")))
                .emitOn(onThisContext())
                .subscribe().with(
                        grant -> authenticated(ctx, endpoint, new Attempt(requestId, grant, startNanos, out)),
                        err -> sendError(endpoint.shape(), out, err));
    }

    private void authenticated(RoutingContext ctx, InferenceEndpoint endpoint, Attempt attempt) {
        InferenceRequest request;
        try {
            request = endpoint.validator().validate(ctx.body().buffer());
        } catch (ApiException e) {
            reject(endpoint, attempt, null, false, e);
            return;
        }
        if (!attempt.grant().allowsModel(request.model())) {
            reject(endpoint, attempt, request.model(), request.stream(), new ApiException(403, ApiError.of(
                    "invalid_request_error", "model_not_allowed",
                    "This API key may not use the model '" + request.model() + "'.")));
            return;
        }
        double multiplier = quotaConfig.endpointMultipliers().getOrDefault(endpoint.name(), 1.0);
        quotas.reserve(attempt.grant(), request.model(), request.estimate(), multiplier)
                .emitOn(onThisContext())
                .subscribe().with(
                        reservation -> reserved(endpoint, request, reservation, attempt),
                        err -> sendError(endpoint.shape(), attempt.out(), err));
    }

    private void reserved(InferenceEndpoint endpoint, InferenceRequest request, Reservation reservation,
            Attempt attempt) {
        HttpServerResponse out = attempt.out();
        QuotaResponses.headers(out, reservation.decision());
        if (reservation.decision().refusing().isPresent()) {
            var refusing = reservation.decision().refusing().get();
            metrics.quotaRejected(attempt.grant().plan(), refusing.limit());
            out.putHeader("retry-after", Long.toString(Math.max(1, refusing.resetSeconds())));
            reject(endpoint, attempt, request.model(), request.stream(), QuotaResponses.refusal(refusing));
            return;
        }
        relay.relay(new ForwardedRequest(endpoint.upstreamPath(), attempt.requestId(), request.body(),
                request.stream(), request.clientWantsUsage(),
                endpoint.shape().forRequest(attempt.requestId(), request.model())), out, once(result -> {
                    Usage used = result.status() == 200
                            ? new Usage(result.promptTokens(), result.completionTokens(), result.cachedTokens())
                            : new Usage(0, 0);
                    finished(event(attempt, request.model(), request.stream(), result), reservation, used);
                }));
    }

    private void reject(InferenceEndpoint endpoint, Attempt attempt, String model, boolean stream,
            ApiException refusal) {
        sendError(endpoint.shape(), attempt.out(), refusal);
        finished(event(attempt, model, stream, RelayResult.rejected(refusal.status())), null, null);
    }

    /**
     * Every authenticated request ends here exactly once: one ledger event, one metrics observation. A request
     * that held a reservation settles it to {@code used}, in the same Redis script run as its event.
     */
    private void finished(UsageEvent event, Reservation reservation, Usage used) {
        usage.record(event, reservation == null ? List.of() : quotas.settlement(reservation, used));
        metrics.finished(event);
    }

    private static UsageEvent event(Attempt attempt, String model, boolean stream, RelayResult result) {
        long now = System.nanoTime();
        long firstEvent = result.firstEventAtNanos();
        return UsageEvent.builder(attempt.requestId())
                .tenant(attempt.grant().tenantId(), attempt.grant().keyId(), attempt.grant().plan())
                .route(model, result.provider(), result.deployment())
                .tokens(result.promptTokens(), result.completionTokens(), result.cachedTokens())
                .timing(TimeUnit.NANOSECONDS.toMillis(now - attempt.startNanos()),
                        firstEvent == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(firstEvent - attempt.startNanos()))
                .result(result.status(), result.outcome())
                .stream(stream)
                .build();
    }

    /** Continues on the request's own event loop, whichever thread completed the asynchronous step. */
    private static Executor onThisContext() {
        Context context = Vertx.currentContext();
        return task -> context.runOnContext(v -> task.run());
    }

    private static Consumer<RelayResult> once(Consumer<RelayResult> consumer) {
        AtomicBoolean fired = new AtomicBoolean();
        return result -> {
            if (fired.compareAndSet(false, true)) {
                consumer.accept(result);
            }
        };
    }

    static void sendError(ResponseShape shape, HttpServerResponse out, Throwable err) {
        if (err instanceof ApiException api) {
            shape.sendError(out, api.status(), api.error());
        } else {
            Log.errorf(err, "inference request failed");
            shape.sendError(out, 500, ApiError.of("server_error", "internal_error",
                    "The gateway failed to process the request."));
        }
    }
}
