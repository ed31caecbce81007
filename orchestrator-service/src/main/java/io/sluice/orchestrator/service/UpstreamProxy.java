package io.sluice.orchestrator.service;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.rest.ApiException;
import io.sluice.contracts.vertx.ApiErrorResponses;
import io.sluice.orchestrator.adapter.ClientAnswer;
import io.sluice.orchestrator.adapter.CredentialRedactor;
import io.sluice.orchestrator.adapter.InvalidRequestException;
import io.sluice.orchestrator.adapter.OutputCap;
import io.sluice.orchestrator.adapter.ProviderAdapter;
import io.sluice.orchestrator.adapter.StreamTranslator;
import io.sluice.orchestrator.adapter.UpstreamFailure;
import io.sluice.orchestrator.adapter.UpstreamFailure.Recovery;
import io.sluice.orchestrator.adapter.UpstreamRequest;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ModelCatalog;
import io.sluice.orchestrator.catalog.ModelRoute;
import io.sluice.orchestrator.catalog.ProviderType;
import io.sluice.orchestrator.config.UpstreamLimitsConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves one OpenAI-format request: resolves the alias, lets the router find a deployment that answers, and
 * relays that answer through the deployment's adapter. Streams are relayed chunk by chunk with back-pressure; once
 * their first byte reached the client, an upstream failure ends them with an SSE error event and no [DONE]. Every
 * answer names the alias whose deployment served it ({@code x-sluice-model}), which may be a fallback the calling
 * key is allowed ({@code x-sluice-allowed-models}).
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
    private final LocalEmbeddingsCaller localEmbeddings;
    private final int maxSseEventBytes;
    private final Map<ProviderType, ProviderAdapter> adapters = new EnumMap<>(ProviderType.class);

    public UpstreamProxy(ModelCatalog catalog, DeploymentRouter router, UpstreamCaller caller,
            LocalEmbeddingsCaller localEmbeddings, UpstreamLimitsConfig limits, Instance<ProviderAdapter> adapters) {
        this.catalog = catalog;
        this.router = router;
        this.caller = caller;
        this.localEmbeddings = localEmbeddings;
        this.maxSseEventBytes = limits.maxSseEventBytes();
        adapters.forEach(adapter -> this.adapters.put(adapter.provider(), adapter));
        catalog.deployments().stream()
                .filter(d -> !d.provider().inProcess() && !this.adapters.containsKey(d.provider()))
                .forEach(d -> Log.warnf("deployment %s: no adapter for provider %s yet; it is skipped", d.name(),
                        d.providerLabel()));
    }

    public void forward(RoutingContext ctx, Endpoint endpoint) {
        HttpServerResponse out = ctx.response();
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            ApiErrorResponses.send(out, 400, ApiError.invalidRequest("invalid_json", null, "Request body is not valid JSON."));
            return;
        }
        if (body == null) {
            ApiErrorResponses.send(out, 400,
                    ApiError.invalidRequest("invalid_json", null, "Request body must be a JSON object."));
            return;
        }
        ModelRoute route;
        RelayedRequest relayed;
        try {
            relayed = RelayedRequest.of(ctx.request().headers());
            String alias = body.getValue("model") instanceof String model ? model : null;
            if (alias != null && !relayed.allows(alias)) {
                throw new ApiException(403, ApiError.of("invalid_request_error", "model_not_allowed",
                        "This API key may not use the model '" + alias + "'."));
            }
            route = catalog.resolve(alias);
        } catch (ApiException refused) {
            ApiErrorResponses.send(out, refused.status(), refused.error());
            return;
        }
        String requestId = ctx.request().getHeader("x-request-id");
        Cancellable call = route(route, endpoint, body, ctx.body().length(), relayed, requestId)
                .subscribe().with(answer -> respond(answer, out), failure -> fail(failure, out));
        // A client that leaves cancels whatever is running: an attempt, a backoff, or the relayed stream.
        out.closeHandler(v -> call.cancel());
    }

    /**
     * Finds a deployment of {@code route} that answers this OpenAI-format request, with the routing, fault tolerance
     * and fallbacks of every call. Used by the Responses API too, which relays the answer in its own format.
     */
    public Uni<UpstreamAnswer> route(ModelRoute route, Endpoint endpoint, JsonObject body, int bodyBytes,
            RelayedRequest relayed, String requestId) {
        long tokens = estimatedTokens(body, bodyBytes, relayed.maxOutputTokens());
        return router.route(route, relayed::allows, tokens,
                deployment -> prepare(deployment, endpoint, body, relayed, requestId));
    }

    /** The translator of a streamed chat answer from this deployment into OpenAI chunks. */
    public StreamTranslator chatStream(Deployment deployment) {
        return adapters.get(deployment.provider()).chatStream(deployment, deployment.alias(), maxSseEventBytes);
    }

    /**
     * Translates the client's request for one deployment. Whatever the translation throws is the request's fault,
     * never the deployment's: a 400 naming the field (or, for a request this provider cannot serve at all, a
     * failure another deployment may take over).
     */
    private DeploymentRouter.Call prepare(Deployment deployment, Endpoint endpoint, JsonObject body,
            RelayedRequest relayed, String requestId) {
        if (deployment.provider().inProcess()) {
            return localEmbeddings.prepare(deployment, endpoint, body);
        }
        ProviderAdapter adapter = adapters.get(deployment.provider());
        if (adapter == null) {
            throw unsupported(deployment);
        }
        UpstreamRequest request;
        try {
            request = endpoint == Endpoint.CHAT
                    ? adapter.chatRequest(OutputCap.applyTo(body, relayed.maxOutputTokens(), deployment), deployment)
                    : adapter.embeddingsRequest(body, deployment);
        } catch (InvalidRequestException invalid) {
            throw new UpstreamCallException(new UpstreamFailure(400, invalid.error(), Recovery.NONE,
                    Optional.empty()), false);
        } catch (UnsupportedOperationException notOffered) {
            throw unsupported(deployment);
        } catch (RuntimeException untranslatable) {
            // A check the adapter misses: a bug to fix, but still the client's request. No message: it may quote it.
            Log.warnf("deployment %s: a request could not be translated (%s at %s)", deployment.name(),
                    untranslatable.getClass().getName(), untranslatable.getStackTrace().length > 0
                            ? untranslatable.getStackTrace()[0] : "?");
            throw new UpstreamCallException(new UpstreamFailure(400, ApiError.invalidRequest("invalid_request", null,
                    "The request could not be translated for this model's provider."), Recovery.NONE,
                    Optional.empty()), false);
        }
        String model = deployment.alias();
        Function<Buffer, ClientAnswer> reader = endpoint == Endpoint.CHAT
                ? answer -> adapter.chatResponse(answer, deployment, model)
                : answer -> adapter.embeddingsResponse(answer, body, deployment, model);
        return deadline -> caller.call(deployment, adapter, request, reader, requestId, deadline);
    }

    private void respond(UpstreamAnswer answer, HttpServerResponse out) {
        Deployment deployment = answer.deployment();
        if (out.closed()) {
            answer.exchange().cancel();
            return;
        }
        out.closeHandler(v -> answer.exchange().cancel());
        out.putHeader(RelayHeaders.PROVIDER, deployment.providerLabel());
        out.putHeader(RelayHeaders.DEPLOYMENT, deployment.name());
        out.putHeader(RelayHeaders.MODEL, deployment.alias());
        if (!answer.streaming()) {
            ClientAnswer complete = answer.complete();
            out.setStatusCode(200).putHeader("content-type", "application/json")
                    .putHeader(RelayHeaders.USAGE, complete.usage().headerValue())
                    .end(complete.body());
            return;
        }
        StreamTranslator translator = chatStream(deployment);
        out.setStatusCode(200).putHeader("content-type", "text/event-stream").setChunked(true);
        if (!relay(out, translator, () -> translator.translate(answer.firstChunk()), answer)) {
            return;
        }
        UpstreamStream upstream = answer.remainder();
        upstream.relay(chunk -> {
            if (relay(out, translator, () -> translator.translate(chunk), answer) && out.writeQueueFull()) {
                upstream.pause();
                out.drainHandler(v -> upstream.resume());
            }
        }, () -> finish(out, translator, answer), err -> {
            if (out.ended()) {
                return; // the stream was ended here, and its call closed
            }
            Log.warnf("deployment %s failed mid-stream: %s", deployment.name(), err.toString());
            answer.exchange().cancel();
            endWithError(out, answer.exchange().timedOut()
                    ? ApiError.of("server_error", "upstream_timeout", "The upstream provider did not finish in time.")
                    : ApiError.of("server_error", "upstream_disconnected",
                            "The upstream provider closed the stream before it finished."));
        });
    }

    /**
     * Writes what one translation step gives; false when the stream ended here: the translator failed (an error
     * event, an event over {@code sluice.upstream.max-sse-event-bytes}, one it cannot read), so the upstream call
     * is closed and the client gets the error event.
     */
    private static boolean relay(HttpServerResponse out, StreamTranslator translator, Supplier<Buffer> step,
            UpstreamAnswer answer) {
        if (out.ended()) {
            return false;
        }
        Deployment deployment = answer.deployment();
        Optional<UpstreamFailure> failure;
        try {
            write(out, step.get());
            failure = translator.failure();
        } catch (RuntimeException unreadable) {
            Log.warnf("deployment %s sent a stream event that cannot be read (%s)", deployment.name(),
                    unreadable.getClass().getSimpleName());
            failure = Optional.of(new UpstreamFailure(502, ApiError.of("server_error", "upstream_malformed",
                    "The upstream provider sent a stream event that is not valid."), Recovery.NONE, Optional.empty()));
        }
        if (failure.isEmpty()) {
            return true;
        }
        Log.warnf("deployment %s: stream ended with %s", deployment.name(), failure.get().error().error().code());
        // The error event first: closing the call reports the connection's end to the relay, which would end the
        // stream as upstream_disconnected.
        endWithError(out, CredentialRedactor.redact(failure.get(), deployment).error());
        answer.exchange().cancel();
        return false;
    }

    private static void finish(HttpServerResponse out, StreamTranslator translator, UpstreamAnswer answer) {
        answer.exchange().finished();
        if (!relay(out, translator, translator::finish, answer)) {
            return;
        }
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

    /** Answers a request whose routing failed: the upstream's error (and Retry-After), or a 500. */
    public static void fail(Throwable failure, HttpServerResponse out) {
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
     * request per prompt token, plus the completion tokens the request allows (the gateway's cap when it sets
     * none).
     */
    static long estimatedTokens(JsonObject body, int bodyBytes, OptionalInt outputCap) {
        Object maxTokens = body.getValue("max_completion_tokens", body.getValue("max_tokens"));
        long completion = maxTokens instanceof Number n ? Math.max(0, n.longValue()) : outputCap.orElse(0);
        return bodyBytes / 4 + completion;
    }

    private static UpstreamCallException unsupported(Deployment deployment) {
        return new UpstreamCallException(new UpstreamFailure(501, ApiError.of("invalid_request_error",
                "unsupported_by_provider", "Deployment " + deployment.name() + " cannot serve this request."),
                Recovery.OTHER_DEPLOYMENT, Optional.empty()), false);
    }
}
