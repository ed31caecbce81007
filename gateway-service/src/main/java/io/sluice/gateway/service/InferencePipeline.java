package io.sluice.gateway.service;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.ModelName;
import io.sluice.contracts.TokenUsage;
import io.sluice.contracts.UsageEvent;
import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.cache.CacheLookup;
import io.sluice.gateway.cache.CacheOutcome;
import io.sluice.gateway.cache.CacheRequest;
import io.sluice.gateway.cache.ChatCompletionStream;
import io.sluice.gateway.cache.ResponseCache;
import io.sluice.gateway.cache.ResponseCacheStore;
import io.sluice.gateway.cache.StoredAnswer;
import io.sluice.gateway.client.HistorySizer;
import io.sluice.gateway.memory.MemoryScope;
import io.sluice.gateway.relay.ForwardedRequest;
import io.sluice.gateway.relay.OrchestratorRelay;
import io.sluice.gateway.config.QuotaConfig;
import io.sluice.gateway.config.RequestLimitsConfig;
import io.sluice.gateway.metrics.RequestMetrics;
import io.sluice.gateway.quota.QuotaEnforcer;
import io.sluice.gateway.quota.QuotaEnforcer.Reservation;
import io.sluice.gateway.quota.QuotaResponses;
import io.sluice.gateway.quota.Usage;
import io.sluice.gateway.relay.RelayResult;
import io.sluice.gateway.relay.ResponseShape;
import io.sluice.gateway.relay.UnexpectedFailures;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The path of every inference request: authenticate (before the body is read), validate, check the model
 * allow-list, look the answer up in the response cache (keys with the cache on), reserve quotas (a hit reserves no
 * tokens), answer from the cache or relay to the orchestrator (offering the answer to the cache), settle the
 * reservation to what is billed, and record exactly one usage event for every authenticated request (a rejection
 * included). A Responses API request skips the cache and has the size of the stored history it continues asked of
 * the orchestrator before its reservation, which includes it. Nothing is forwarded or charged before validation passes. Whatever fails in whichever stage, the request ends once: answered in its route's error format,
 * one usage event, its reservation settled.
 */
@ApplicationScoped
public class InferencePipeline {
    private static final String EXCHANGE = "sluice.exchange";
    private static final Usage NO_TOKENS = new Usage(0, 0, 0);

    private final ApiKeyAuthenticator authenticator;
    private final ResponseCache cache;
    private final QuotaEnforcer quotas;
    private final OrchestratorRelay relay;
    private final HistorySizer historySizer;
    private final UsageRecorder usage;
    private final RequestMetrics metrics;
    private final QuotaConfig quotaConfig;
    private final long maxBodyBytes;

    public InferencePipeline(ApiKeyAuthenticator authenticator, ResponseCache cache, QuotaEnforcer quotas,
            OrchestratorRelay relay, HistorySizer historySizer, UsageRecorder usage, RequestMetrics metrics,
            QuotaConfig quotaConfig, RequestLimitsConfig limits) {
        this.authenticator = authenticator;
        this.cache = cache;
        this.quotas = quotas;
        this.relay = relay;
        this.historySizer = historySizer;
        this.usage = usage;
        this.metrics = metrics;
        this.quotaConfig = quotaConfig;
        this.maxBodyBytes = limits.maxBodyBytes();
    }

    /** One request while it is processed; it ends exactly once. Touched on its event loop only. */
    private static final class Exchange {
        final InferenceEndpoint endpoint;
        final String requestId;
        final long startNanos;
        final HttpServerResponse out;
        final AtomicBoolean ended = new AtomicBoolean();
        KeyGrant grant;
        InferenceRequest request;
        /** Null when the key's response cache is off. */
        CacheRequest cached;
        /** What the cache lookup found; null when none was made. */
        CacheLookup lookup;
        /** The stored answer that serves the request; null unless it is a hit. */
        ResponseCacheStore.Hit hit;
        Reservation reservation;

        Exchange(InferenceEndpoint endpoint, String requestId, long startNanos, HttpServerResponse out) {
            this.endpoint = endpoint;
            this.requestId = requestId;
            this.startNanos = startNanos;
            this.out = out;
        }
    }

    /**
     * The route's first handler: checks the key with the request paused, so that its body is read ({@code readBody},
     * which continues with the next handler) only once the key is known. A refused key never has its body read or
     * buffered.
     */
    public void authenticate(RoutingContext ctx, InferenceEndpoint endpoint, Handler<RoutingContext> readBody) {
        long startNanos = System.nanoTime();
        HttpServerRequest client = ctx.request();
        client.pause();
        // The ledger is idempotent on this id, so it is always ours, never the client's.
        String requestId = "req_" + UUID.randomUUID().toString().replace("-", "");
        Exchange exchange = new Exchange(endpoint, requestId, startNanos,
                ctx.response().putHeader("x-request-id", requestId));
        ctx.put(EXCHANGE, exchange);
        authenticator.authenticate(ApiKeyAuthenticator.presentedKey(client.getHeader("authorization"),
                        client.getHeader("x-api-key")))
                .emitOn(onThisContext())
                .subscribe().with(
                        grant -> {
                            exchange.grant = grant;
                            readBody.handle(ctx);
                        },
                        err -> refuse(ctx, exchange, err));
    }

    /** The route's last handler, once the body has been read: the rest of the request's path. */
    public void handle(RoutingContext ctx, InferenceEndpoint endpoint) {
        Exchange exchange = ctx.get(EXCHANGE);
        guarded(exchange, () -> validate(exchange, ctx.body().buffer(), ctx.request()));
    }

    /**
     * The route's failure handler: the body handler's 413, or anything a handler threw. An authenticated request
     * ends as any other (answered, recorded, released); an unauthenticated one is only answered.
     */
    public void failed(RoutingContext ctx, InferenceEndpoint endpoint) {
        Exchange exchange = ctx.get(EXCHANGE);
        ApiException error = ctx.statusCode() == 413
                ? new ApiException(413, ApiError.invalidRequest("request_too_large", null,
                        "The request body is larger than this gateway accepts."))
                : null;
        if (exchange != null && exchange.grant != null) {
            fail(exchange, error != null ? error : ctx.failure() != null ? ctx.failure() : internalError());
        } else {
            ApiException answer = error != null ? error : internalError();
            endpoint.shape().sendError(ctx.response(), answer.status(), answer.error());
        }
    }

    /**
     * A key that is missing, malformed, unknown or cannot be checked: answered, not recorded (that would let anyone
     * fill the ledger). The unread body is discarded as it arrives, never buffered; a body beyond the size limit
     * closes the connection.
     */
    private void refuse(RoutingContext ctx, Exchange exchange, Throwable err) {
        if (err instanceof ApiException api && api.status() == 503) {
            exchange.out.putHeader("retry-after", "1");
        }
        sendError(exchange, err);
        RefusedBody.discard(ctx.request(), maxBodyBytes);
    }

    private void validate(Exchange exchange, Buffer body, HttpServerRequest client) {
        InferenceRequest request = exchange.endpoint.validator().validate(body);
        exchange.request = request;
        if (!exchange.grant.allowsModel(request.model())) {
            throw new ApiException(403, ApiError.of("invalid_request_error", "model_not_allowed",
                    "This API key may not use the model '" + request.model() + "'."));
        }
        if (exchange.endpoint.memory()) {
            bypassCache(exchange);
            sizeHistory(exchange);
            return;
        }
        exchange.cached = cache.prepare(exchange.grant, exchange.endpoint.path(), request.json(),
                        exchange.endpoint.isChat(), request.outputCap() != null,
                        client.getHeader("cache-control"), client.getHeader(ResponseCache.NAMESPACE_HEADER))
                .orElse(null);
        if (exchange.cached == null) {
            reserve(exchange, request.estimate());
        } else if (!exchange.cached.directives().mayRead()) {
            decided(exchange, exchange.cached.withoutLookup());
        } else {
            cache.lookup(exchange.cached)
                    .emitOn(onThisContextNow())
                    .subscribe().with(
                            found -> guarded(exchange, () -> looked(exchange, found)),
                            err -> fail(exchange, err));
        }
    }

    /**
     * A memory request's answer depends on stored history the cache's key does not see: never looked up or stored.
     * A key with the cache on is told so, as for {@code Cache-Control: no-store}.
     */
    private static void bypassCache(Exchange exchange) {
        if (exchange.grant.cache() != null && exchange.grant.cache().enabled()) {
            exchange.out.putHeader(ResponseCache.OUTCOME_HEADER, CacheOutcome.BYPASS.header());
        }
    }

    /**
     * The stored history a Responses API request continues is sent to the model too: its size (the token counts kept
     * in Redis, else asked of the orchestrator) joins the reservation. History that does not exist is the client's
     * 404, before any reservation.
     */
    private void sizeHistory(Exchange exchange) {
        if (exchange.request.history() == null) {
            reserve(exchange, exchange.request.estimate());
            return;
        }
        historySizer.tokens(MemoryScope.of(exchange.grant), exchange.request.history(), exchange.requestId)
                .emitOn(onThisContext())
                .subscribe().with(
                        tokens -> guarded(exchange, () -> {
                            exchange.request = exchange.request.withHistoryTokens(tokens);
                            reserve(exchange, exchange.request.estimate());
                        }),
                        err -> {
                            if (err instanceof ApiException api && api.status() == 503) {
                                exchange.out.putHeader("retry-after", "1");
                            }
                            fail(exchange, err);
                        });
    }

    /** The cache's answer: a hit reserves no tokens (it costs none); a miss goes on to the provider. */
    private void looked(Exchange exchange, CacheLookup lookup) {
        exchange.lookup = lookup;
        exchange.hit = lookup.hit();
        decided(exchange, lookup.outcome());
    }

    private void decided(Exchange exchange, CacheOutcome outcome) {
        cache.outcome(exchange.cached, outcome, exchange.lookup);
        exchange.out.putHeader(ResponseCache.OUTCOME_HEADER, outcome.header());
        if (outcome != CacheOutcome.HIT && exchange.cached.directives().onlyIfCached()) {
            // RFC 9111: only-if-cached without a stored answer is a 504; the client chose it, so it is no error.
            exchange.endpoint.shape().sendError(exchange.out, 504, ApiError.of("invalid_request_error",
                    "cache_miss", "No cached answer for this request (Cache-Control: only-if-cached)."));
            end(exchange, RelayResult.rejected(504));
            return;
        }
        reserve(exchange, outcome == CacheOutcome.HIT ? NO_TOKENS : exchange.request.estimate());
    }

    private void reserve(Exchange exchange, Usage estimate) {
        double multiplier = quotaConfig.endpointMultipliers().getOrDefault(exchange.endpoint.pricedAs(), 1.0);
        quotas.reserve(exchange.grant, exchange.request.model(), estimate, multiplier)
                .emitOn(onThisContextNow())
                .subscribe().with(
                        reservation -> guarded(exchange, () -> reserved(exchange, reservation)),
                        err -> fail(exchange, err));
    }

    private void reserved(Exchange exchange, Reservation reservation) {
        exchange.reservation = reservation;
        HttpServerResponse out = exchange.out;
        QuotaResponses.headers(out, reservation.decision());
        if (reservation.decision().refusing().isPresent()) {
            var refusing = reservation.decision().refusing().get();
            metrics.quotaRejected(exchange.grant.plan(), refusing.limit());
            out.putHeader("retry-after", Long.toString(Math.max(1, refusing.resetSeconds())));
            throw QuotaResponses.refusal(refusing);
        }
        InferenceRequest request = exchange.request;
        InferenceEndpoint endpoint = exchange.endpoint;
        ResponseShape shape = endpoint.shape().forRequest(exchange.requestId, request.model());
        if (exchange.hit != null) {
            end(exchange, replay(exchange.hit, request, shape, out));
            return;
        }
        int keep = exchange.cached != null && exchange.cached.mayWrite() ? cache.maxEntryBytes() : 0;
        relay.relay(new ForwardedRequest(endpoint.upstreamPath(), exchange.requestId, request.body(),
                request.stream(), request.clientWantsUsage(), shape, allowedModels(exchange.grant),
                request.outputCap(), keep, endpoint.memory() ? MemoryScope.of(exchange.grant) : null), out,
                result -> guarded(exchange, () -> end(exchange, result)));
    }

    /**
     * Answers from the cache in the route's own format: the stored body, or for a streaming request the stored
     * answer replayed as a stream. Billed as a hit: the tokens it would have cost, priced as saved, none consumed.
     */
    private static RelayResult replay(ResponseCacheStore.Hit hit, InferenceRequest request, ResponseShape shape,
            HttpServerResponse out) {
        StoredAnswer answer = hit.answer();
        out.putHeader("age", Long.toString(hit.ageMillis() / 1_000)).setStatusCode(200);
        long firstEventAtNanos = 0;
        if (request.stream()) {
            ResponseShape.StreamTranslator translator = shape.stream();
            Buffer events = translator.events(ChatCompletionStream.replay(new JsonObject(answer.body()),
                    request.clientWantsUsage())).appendBuffer(translator.end());
            firstEventAtNanos = System.nanoTime();
            out.putHeader("content-type", "text/event-stream").end(events);
        } else {
            out.putHeader("content-type", "application/json").end(shape.whole(200, Buffer.buffer(answer.body())));
        }
        return new RelayResult(200, UsageEvent.Outcome.SUCCESS, answer.tokens(), true,
                new RelayResult.Served(answer.provider(), answer.deployment(), answer.model()), firstEventAtNanos,
                false);
    }

    /** Runs one stage of a request; an exception in it ends the request instead of leaving the client waiting. */
    private void guarded(Exchange exchange, Runnable stage) {
        try {
            stage.run();
        } catch (RuntimeException e) {
            fail(exchange, e);
        }
    }

    /** Ends the request with an error in its route's format (unless its answer has begun): 4xx refused, else 5xx. */
    private void fail(Exchange exchange, Throwable err) {
        if (exchange.ended.get()) {
            return;
        }
        int status = sendError(exchange, err);
        end(exchange, status < 500 ? RelayResult.rejected(status) : RelayResult.failed(status));
    }

    private int sendError(Exchange exchange, Throwable err) {
        ApiException api;
        if (err instanceof ApiException known) {
            api = known;
        } else {
            UnexpectedFailures.log(exchange.requestId, "pipeline", err);
            api = internalError();
        }
        exchange.endpoint.shape().sendError(exchange.out, api.status(), api.error());
        return api.status();
    }

    /**
     * Every authenticated request ends here exactly once: one ledger event, one metrics observation, and a
     * reservation settled to what is billed, in the same Redis script run as its event.
     */
    private void end(Exchange exchange, RelayResult result) {
        if (!exchange.ended.compareAndSet(false, true)) {
            return;
        }
        InferenceRequest request = exchange.request;
        boolean hit = exchange.hit != null && result.status() == 200;
        TokenUsage billed = billed(result, request);
        // The alias that served prices the request; the requested one until the orchestrator named another.
        String model = result.served().model() != null ? result.served().model()
                : request == null ? null : request.model();
        UsageEvent event = UsageEvent.builder(exchange.requestId)
                .tenant(exchange.grant.tenantId(), exchange.grant.keyId(), exchange.grant.plan())
                .route(model, result.served().provider(), result.served().deployment())
                .tokens(billed.prompt(), billed.completion(), billed.cached())
                .timing(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - exchange.startNanos),
                        result.firstEventAtNanos() == 0 ? -1
                                : TimeUnit.NANOSECONDS.toMillis(result.firstEventAtNanos() - exchange.startNanos))
                .result(result.status(), result.outcome())
                .stream(request != null && request.stream())
                .cacheHit(hit)
                .endpoint(exchange.endpoint.name())
                .memory(result.stored().responseId(), result.stored().conversationId())
                .build();
        // A hit's event carries the tokens it saved (the ledger prices them as saved); it consumed none.
        Usage consumed = hit ? NO_TOKENS : new Usage(billed.prompt(), billed.completion(), billed.cached());
        usage.record(event, exchange.reservation == null ? List.of()
                : quotas.settlement(exchange.reservation, consumed, model));
        metrics.finished(event);
        if (exchange.cached != null && result.answer() != null) {
            cache.offer(exchange.cached, exchange.lookup, result.answer(), request.stream(), model,
                    result.served().provider(), result.served().deployment());
        }
    }

    /**
     * What the request is billed: what was reported; and once the model may have run without reporting it (a
     * client that left, a stream cut before its usage chunk), at least the gateway's estimate of the prompt, so
     * that leaving early never makes a call free.
     */
    static TokenUsage billed(RelayResult result, InferenceRequest request) {
        TokenUsage reported = result.tokens();
        if (!result.billable() || result.promptReported() || request == null) {
            return reported;
        }
        long estimate = request.estimate().inputTokens();
        return new TokenUsage((int) Math.min(Integer.MAX_VALUE, Math.max(reported.prompt(), estimate)),
                reported.completion(), reported.cached());
    }

    /** The key's allow-list as the orchestrator reads it, of the names a request could name; null for none. */
    private static String allowedModels(KeyGrant grant) {
        if (grant.models() == null || grant.models().isEmpty()) {
            return null;
        }
        return String.join(",", grant.models().stream().filter(ModelName::isValid).toList());
    }

    private static ApiException internalError() {
        return new ApiException(500, ApiError.of("server_error", "internal_error",
                "The gateway failed to process the request."));
    }

    /** Continues on the request's own event loop, whichever thread completed the asynchronous step. */
    private static Executor onThisContext() {
        Context context = Vertx.currentContext();
        return task -> context.runOnContext(v -> task.run());
    }

    /**
     * As {@link #onThisContext()}, but at once when the step completes on the request's own event-loop thread (a
     * Redis reply, a quota decision taken from this replica's blocks): a cache lookup or a quota decision then
     * costs no extra trip through the loop's task queue behind other connections' work.
     */
    private static Executor onThisContextNow() {
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        return task -> {
            if (context.inThread()) {
                context.emit(v -> task.run());
            } else {
                context.runOnContext(v -> task.run());
            }
        };
    }
}
