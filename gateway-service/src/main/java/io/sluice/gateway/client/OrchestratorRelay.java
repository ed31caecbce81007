package io.sluice.gateway.client;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.TokenUsage;
import io.sluice.contracts.UsageEvent;
import io.sluice.gateway.config.OrchestratorConfig;
import io.sluice.gateway.metrics.RequestMetrics;
import io.sluice.gateway.service.RelayResult;
import io.sluice.gateway.service.ForwardedRequest;
import io.sluice.gateway.service.ResponseShape;
import io.sluice.gateway.service.SseUsageTap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Sends an admitted request to orchestrator-service and relays the answer to the client: streams chunk by chunk
 * as they arrive (never batched), plain answers whole, and reports what was delivered for billing.
 */
@ApplicationScoped
public class OrchestratorRelay {
    private final HttpClient client;
    private final URI baseUri;
    private final long idleTimeoutMillis;
    private final RequestMetrics metrics;
    private final ServiceCredential credential;

    public OrchestratorRelay(Vertx vertx, OrchestratorConfig config, RequestMetrics metrics,
            ServiceCredential credential) {
        this.metrics = metrics;
        this.credential = credential;
        this.baseUri = URI.create(config.url());
        this.idleTimeoutMillis = config.idleTimeout().toMillis();
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout((int) config.connectTimeout().toMillis()).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(config.maxConnections()).setMaxWaitQueueSize(config.maxWaiting()));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public void relay(ForwardedRequest forwarded, HttpServerResponse out, Consumer<RelayResult> done) {
        if (out.closed()) {
            // Gone while authenticated and admitted: nothing is asked of a model nobody waits for.
            done.accept(RelayResult.clientClosed());
            return;
        }
        RequestOptions options = credential.putOn(new RequestOptions())
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(baseUri.resolve(forwarded.path()).toString())
                .setIdleTimeout(idleTimeoutMillis)
                .putHeader("content-type", "application/json")
                .putHeader("x-request-id", forwarded.requestId());
        client.request(options)
                .onFailure(err -> unavailable(forwarded.shape(), out, err, done))
                .onSuccess(request -> {
                    if (out.closed()) {
                        request.reset();
                        done.accept(RelayResult.clientClosed());
                        return;
                    }
                    out.closeHandler(v -> request.reset());
                    request.send(forwarded.body())
                            .onFailure(err -> unavailable(forwarded.shape(), out, err, done))
                            .onSuccess(response -> {
                                if (response.statusCode() == 401) {
                                    credentialRefused(forwarded.shape(), out, done);
                                    return;
                                }
                                out.setStatusCode(response.statusCode());
                                copyHeader(response, out, "content-type");
                                copyHeader(response, out, "retry-after");
                                if (forwarded.stream() && response.statusCode() == 200) {
                                    relayStream(response, request, out, new SseUsageTap(forwarded.clientWantsUsage()),
                                            forwarded.shape().stream(), done);
                                } else {
                                    relayWhole(response, out, forwarded.shape(), done);
                                }
                            });
                });
    }

    private void relayWhole(HttpClientResponse response, HttpServerResponse out, ResponseShape shape,
            Consumer<RelayResult> done) {
        response.body()
                .onFailure(err -> unavailable(shape, out, err, done))
                .onSuccess(body -> {
                    out.end(shape.whole(response.statusCode(), body));
                    boolean ok = response.statusCode() == 200;
                    TokenUsage usage = ok ? usage(response, body) : TokenUsage.NONE;
                    done.accept(new RelayResult(response.statusCode(),
                            ok ? UsageEvent.Outcome.SUCCESS : UsageEvent.Outcome.ERROR,
                            usage.prompt(), usage.completion(), usage.cached(), response.getHeader(RelayHeaders.PROVIDER),
                            response.getHeader(RelayHeaders.DEPLOYMENT), 0));
                });
    }

    /**
     * The usage orchestrator-service reports in a header, so the body is relayed unparsed; read from the body only
     * when the header is missing (an orchestrator of an earlier release, during a rolling upgrade).
     */
    private static TokenUsage usage(HttpClientResponse response, Buffer body) {
        TokenUsage reported = TokenUsage.fromHeaderValue(response.getHeader(RelayHeaders.USAGE));
        if (reported != null) {
            return reported;
        }
        try {
            return TokenUsage.ofAnswer(body.toJsonObject());
        } catch (RuntimeException notJsonObject) {
            return TokenUsage.NONE;
        }
    }

    private void relayStream(HttpClientResponse response, HttpClientRequest request, HttpServerResponse out,
            SseUsageTap tap, ResponseShape.StreamTranslator translator, Consumer<RelayResult> done) {
        String provider = response.getHeader(RelayHeaders.PROVIDER);
        String deployment = response.getHeader(RelayHeaders.DEPLOYMENT);
        out.setChunked(true);
        response.handler(chunk -> {
            // The tap sees the OpenAI events first (billing), the translator shapes them for the client.
            Buffer events = translator.events(tap.pass(chunk));
            if (events.length() > 0) {
                out.write(events);
            }
            if (out.writeQueueFull()) {
                response.pause();
                out.drainHandler(v -> response.resume());
            }
        });
        metrics.streamStarted();
        AtomicBoolean finished = new AtomicBoolean();
        Runnable finish = () -> {
            if (finished.compareAndSet(false, true)) {
                metrics.streamEnded();
                done.accept(new RelayResult(200,
                        tap.completed() ? UsageEvent.Outcome.SUCCESS : UsageEvent.Outcome.INCOMPLETE,
                        tap.promptTokens(), tap.completionTokens(), tap.cachedTokens(), provider, deployment,
                        tap.firstEventAtNanos()));
            }
        };
        response.endHandler(v -> {
            out.end(translator.events(tap.rest()).appendBuffer(translator.end()));
            finish.run();
        });
        response.exceptionHandler(err -> {
            Log.debugf("stream from orchestrator ended early: %s", err.toString());
            request.reset();
            if (!out.ended()) {
                out.end(translator.end());
            }
            finish.run();
        });
    }

    private static void unavailable(ResponseShape shape, HttpServerResponse out, Throwable err,
            Consumer<RelayResult> done) {
        if (out.closed()) {
            // The client left first, and its leaving reset the forwarded request: nothing failed on our side.
            Log.debugf("client closed the connection before the answer: %s", err.toString());
            done.accept(RelayResult.clientClosed());
            return;
        }
        if (err instanceof ConnectionPoolTooBusyException) {
            // Every connection is busy and the queue for one is full: refuse now instead of queueing without bound.
            Log.debug("refused: every connection to the orchestrator is busy and the queue for one is full");
            out.putHeader("retry-after", "1");
            shape.sendError(out, 503, ApiError.of("server_error", "overloaded",
                    "The gateway has too many requests in flight. Retry shortly."));
            done.accept(RelayResult.failed(503));
            return;
        }
        Log.warnf("orchestrator unavailable: %s", err.toString());
        shape.sendError(out, 502, ApiError.of("server_error", "upstream_unavailable",
                "The model service could not be reached."));
        done.accept(RelayResult.failed(502));
    }

    /**
     * The orchestrator answers 401 only when it refuses the gateway's service token: an operator's error, which the
     * client must not take for a problem with its own key.
     */
    private static void credentialRefused(ResponseShape shape, HttpServerResponse out, Consumer<RelayResult> done) {
        Log.error("the orchestrator refused the gateway's service token (401): check SLUICE_SERVICE_TOKEN");
        shape.sendError(out, 502, ApiError.of("server_error", "upstream_unavailable",
                "The model service could not be reached."));
        done.accept(RelayResult.failed(502));
    }

    private static void copyHeader(HttpClientResponse from, HttpServerResponse to, String name) {
        String value = from.getHeader(name);
        if (value != null) {
            to.putHeader(name, value);
        }
    }
}
