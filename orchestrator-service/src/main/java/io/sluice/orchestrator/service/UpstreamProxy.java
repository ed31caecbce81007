package io.sluice.orchestrator.service;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.TokenUsage;
import io.sluice.contracts.rest.ApiException;
import io.sluice.contracts.vertx.ApiErrorResponses;
import io.sluice.orchestrator.adapter.ProviderAdapter;
import io.sluice.orchestrator.adapter.StreamTranslator;
import io.sluice.orchestrator.adapter.UpstreamFailure;
import io.sluice.orchestrator.adapter.UpstreamRequest;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ModelCatalog;
import io.sluice.orchestrator.catalog.ModelRoute;
import io.sluice.orchestrator.catalog.ProviderType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves one OpenAI-format request: resolves the alias, lets the router find a deployment that answers, and
 * relays that answer through the deployment's adapter. Streams are relayed chunk by chunk with back-pressure; once
 * their first byte reached the client, an upstream failure ends them with an SSE error event and no [DONE].
 */
@ApplicationScoped
public class UpstreamProxy {
    /** The two inference endpoints differ only in how the adapter builds and translates their messages. */
    public enum Endpoint {
        CHAT, EMBEDDINGS
    }

    private final ModelCatalog catalog;
    private final DeploymentRouter router;
    private final UpstreamCaller caller;
    private final Map<ProviderType, ProviderAdapter> adapters = new EnumMap<>(ProviderType.class);

    public UpstreamProxy(ModelCatalog catalog, DeploymentRouter router, UpstreamCaller caller,
            Instance<ProviderAdapter> adapters) {
        this.catalog = catalog;
        this.router = router;
        this.caller = caller;
        adapters.forEach(adapter -> this.adapters.put(adapter.provider(), adapter));
        catalog.deployments().stream().filter(d -> !this.adapters.containsKey(d.provider())).forEach(d -> Log.warnf(
                "deployment %s: no adapter for provider %s yet; it is skipped", d.name(), d.providerLabel()));
    }

    public void forward(RoutingContext ctx, Endpoint endpoint) {
        HttpServerResponse out = ctx.response();
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException e) {
            ApiErrorResponses.send(out, 400, ApiError.invalidRequest("invalid_json", null, "Request body is not valid JSON."));
            return;
        }
        if (body == null) {
            ApiErrorResponses.send(out, 400,
                    ApiError.invalidRequest("invalid_json", null, "Request body must be a JSON object."));
            return;
        }
        ModelRoute route;
        try {
            route = catalog.resolve(body.getValue("model") instanceof String model ? model : null);
        } catch (ApiException unknown) {
            ApiErrorResponses.send(out, unknown.status(), unknown.error());
            return;
        }
        String requestId = ctx.request().getHeader("x-request-id");
        String model = route.alias();
        Cancellable call = router.route(route, estimatedTokens(body, ctx.body().length()), (deployment, deadline) -> {
            ProviderAdapter adapter = adapters.get(deployment.provider());
            if (adapter == null) {
                return Uni.createFrom().failure(unsupported(deployment));
            }
            UpstreamRequest request;
            try {
                request = endpoint == Endpoint.CHAT ? adapter.chatRequest(body, deployment)
                        : adapter.embeddingsRequest(body, deployment);
            } catch (UnsupportedOperationException notOffered) {
                return Uni.createFrom().failure(unsupported(deployment));
            }
            return caller.call(deployment, adapter, request, requestId, deadline);
        }).subscribe().with(
                answer -> respond(answer, adapters.get(answer.deployment().provider()), endpoint, model, out),
                failure -> fail(failure, out));
        // A client that leaves cancels whatever is running: an attempt, a backoff, or the relayed stream.
        out.closeHandler(v -> call.cancel());
    }

    private void respond(UpstreamAnswer answer, ProviderAdapter adapter, Endpoint endpoint, String model,
            HttpServerResponse out) {
        Deployment deployment = answer.deployment();
        if (out.closed()) {
            answer.exchange().cancel();
            return;
        }
        out.closeHandler(v -> answer.exchange().cancel());
        out.putHeader(RelayHeaders.PROVIDER, deployment.providerLabel());
        out.putHeader(RelayHeaders.DEPLOYMENT, deployment.name());
        if (!answer.streaming() && !isEventStream(answer.contentType())) {
            JsonObject upstreamBody = answer.json();
            if (upstreamBody == null) {
                ApiErrorResponses.send(out, 502, ApiError.of("server_error", "upstream_malformed",
                        "The upstream provider sent an answer that is not valid JSON."));
                return;
            }
            JsonObject translated = endpoint == Endpoint.CHAT ? adapter.chatResponse(upstreamBody, deployment, model)
                    : adapter.embeddingsResponse(upstreamBody, deployment, model);
            // An adapter that passes the answer through returns it as it was: relay the upstream's own bytes.
            Buffer bytes = translated == upstreamBody ? answer.firstBytes() : translated.toBuffer();
            out.setStatusCode(200).putHeader("content-type", "application/json")
                    .putHeader(RelayHeaders.USAGE, TokenUsage.ofAnswer(translated).headerValue())
                    .end(bytes);
            return;
        }
        StreamTranslator translator = adapter.chatStream(deployment, model);
        out.setStatusCode(200).putHeader("content-type", "text/event-stream").setChunked(true);
        write(out, translator.translate(answer.firstBytes()));
        if (!answer.streaming()) {
            finish(out, translator, answer);
            return;
        }
        UpstreamStream upstream = answer.remainder();
        upstream.relay(chunk -> {
            write(out, translator.translate(chunk));
            if (out.writeQueueFull()) {
                upstream.pause();
                out.drainHandler(v -> upstream.resume());
            }
        }, () -> finish(out, translator, answer), err -> {
            Log.warnf("deployment %s failed mid-stream: %s", deployment.name(), err.toString());
            answer.exchange().cancel();
            endWithError(out, answer.exchange().timedOut()
                    ? ApiError.of("server_error", "upstream_timeout", "The upstream provider did not finish in time.")
                    : ApiError.of("server_error", "upstream_disconnected",
                            "The upstream provider closed the stream before it finished."));
        });
    }

    private static void finish(HttpServerResponse out, StreamTranslator translator, UpstreamAnswer answer) {
        answer.exchange().finished();
        write(out, translator.finish());
        if (translator.completed()) {
            out.end();
        } else {
            endWithError(out, ApiError.of("server_error", "upstream_incomplete",
                    "The upstream provider ended the stream without finishing the answer."));
        }
    }

    private static void write(HttpServerResponse out, Buffer bytes) {
        if (bytes != null && bytes.length() > 0 && !out.ended() && !out.closed()) {
            out.write(bytes);
        }
    }

    /** Headers are gone already: the client learns of the failure from an SSE error event, and gets no [DONE]. */
    private static void endWithError(HttpServerResponse out, ApiError error) {
        if (!out.ended() && !out.closed()) {
            out.end(Buffer.buffer("data: ").appendBuffer(Json.encodeToBuffer(error)).appendString("\n\n"));
        }
    }

    private static void fail(Throwable failure, HttpServerResponse out) {
        if (failure instanceof UpstreamCallException call) {
            UpstreamFailure upstream = call.failure();
            upstream.retryAfter().ifPresent(wait -> out.putHeader("retry-after",
                    String.valueOf(Math.max(1, wait.toSeconds()))));
            ApiErrorResponses.send(out, upstream.status(), upstream.error());
        } else {
            Log.error("routing failed unexpectedly", failure);
            ApiErrorResponses.send(out, 500, ApiError.of("server_error", "internal_error", "Internal error."));
        }
    }

    /**
     * What the call may count against a provider's token quota before its usage is known: about four bytes of the
     * request per prompt token, plus the completion tokens the request allows.
     */
    static long estimatedTokens(JsonObject body, int bodyBytes) {
        Object maxTokens = body.getValue("max_completion_tokens", body.getValue("max_tokens"));
        long completion = maxTokens instanceof Number n ? Math.max(0, n.longValue()) : 0;
        return bodyBytes / 4 + completion;
    }

    private static boolean isEventStream(String contentType) {
        return Optional.ofNullable(contentType).map(c -> c.startsWith("text/event-stream")).orElse(false);
    }

    private static UpstreamCallException unsupported(Deployment deployment) {
        return new UpstreamCallException(new UpstreamFailure(501, ApiError.of("invalid_request_error",
                "unsupported_by_provider", "Deployment " + deployment.name() + " cannot serve this request."), true,
                Optional.empty()), false);
    }
}
