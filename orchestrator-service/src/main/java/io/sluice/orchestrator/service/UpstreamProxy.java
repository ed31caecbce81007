package io.sluice.orchestrator.service;

import java.net.ConnectException;
import java.net.URI;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.vertx.ApiErrorResponses;
import io.sluice.orchestrator.config.UpstreamConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Forwards an OpenAI-format request to the upstream and streams the answer back chunk by chunk as it arrives,
 * with back-pressure, cancelling the upstream call when the client goes away.
 */
@ApplicationScoped
public class UpstreamProxy {
    public static final String PROVIDER_HEADER = "x-sluice-provider";
    public static final String DEPLOYMENT_HEADER = "x-sluice-deployment";

    private final UpstreamConfig upstream;
    private final HttpClient client;
    private final URI baseUri;

    public UpstreamProxy(Vertx vertx, UpstreamConfig upstream) {
        this.upstream = upstream;
        this.baseUri = URI.create(upstream.baseUrl());
        this.client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setConnectTimeout((int) upstream.connectTimeout().toMillis())
                        .setKeepAlive(true)
                        .setTryUseCompression(false),
                new PoolOptions().setHttp1MaxSize(upstream.maxConnections()));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public void forward(RoutingContext ctx, String path) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException e) {
            ApiErrorResponses.send(ctx.response(), 400,
                    ApiError.invalidRequest("invalid_json", null, "Request body is not valid JSON."));
            return;
        }
        if (body == null) {
            ApiErrorResponses.send(ctx.response(), 400,
                    ApiError.invalidRequest("invalid_json", null, "Request body must be a JSON object."));
            return;
        }
        boolean stream = body.getBoolean("stream", false);
        if (stream) {
            // The gateway bills streams from the final usage chunk, so always ask the upstream for it.
            JsonObject options = body.getJsonObject("stream_options", new JsonObject());
            body.put("stream_options", options.put("include_usage", true));
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(baseUri.resolve(path).toString())
                .setIdleTimeout(upstream.idleTimeout().toMillis())
                .putHeader("content-type", "application/json")
                .putHeader("accept", stream ? "text/event-stream" : "application/json");
        upstream.apiKey().ifPresent(key -> options.putHeader("authorization", "Bearer " + key));
        String requestId = ctx.request().getHeader("x-request-id");
        if (requestId != null) {
            options.putHeader("x-request-id", requestId);
        }
        Buffer payload = body.toBuffer();
        HttpServerResponse out = ctx.response();
        client.request(options)
                .onFailure(err -> failBeforeResponse(out, err))
                .onSuccess(request -> {
                    // A client that disconnects cancels the upstream call: the connection is closed, not left generating.
                    out.closeHandler(v -> request.reset());
                    request.send(payload)
                            .onFailure(err -> failBeforeResponse(out, err))
                            .onSuccess(response -> relay(response, out, request));
                });
    }

    private void relay(HttpClientResponse response, HttpServerResponse out, HttpClientRequest request) {
        out.setStatusCode(response.statusCode());
        copyHeader(response, out, "content-type");
        copyHeader(response, out, "retry-after");
        out.putHeader(PROVIDER_HEADER, upstream.provider());
        out.putHeader(DEPLOYMENT_HEADER, upstream.deployment());
        out.setChunked(true);
        response.handler(chunk -> {
            out.write(chunk);
            if (out.writeQueueFull()) {
                response.pause();
                out.drainHandler(v -> response.resume());
            }
        });
        response.endHandler(v -> out.end());
        response.exceptionHandler(err -> {
            // Headers are gone already: end the stream with an SSE error event and no [DONE].
            Log.warnf("upstream %s failed mid-response: %s", upstream.deployment(), err.toString());
            if (!out.ended() && !out.closed()) {
                ApiError error = ApiError.of("server_error", "upstream_disconnected",
                        "The upstream provider closed the stream before it finished.");
                out.end(Buffer.buffer("data: ").appendBuffer(io.vertx.core.json.Json.encodeToBuffer(error))
                        .appendString("\n\n"));
            }
            request.reset();
        });
    }

    private void failBeforeResponse(HttpServerResponse out, Throwable err) {
        if (isTimeout(err)) {
            ApiErrorResponses.send(out, 504, ApiError.of("server_error", "upstream_timeout",
                    "The upstream provider did not answer in time."));
        } else {
            Log.warnf("upstream %s unavailable: %s", upstream.deployment(), err.toString());
            ApiErrorResponses.send(out, 502, ApiError.of("server_error", "upstream_unavailable",
                    "The upstream provider could not be reached."));
        }
    }

    private static boolean isTimeout(Throwable err) {
        return err instanceof TimeoutException
                || err.getClass().getSimpleName().contains("Timeout")
                || (err instanceof ConnectException && String.valueOf(err.getMessage()).contains("timed out"));
    }

    private static void copyHeader(HttpClientResponse from, HttpServerResponse to, String name) {
        String value = from.getHeader(name);
        if (value != null) {
            to.putHeader(name, value);
        }
    }
}
