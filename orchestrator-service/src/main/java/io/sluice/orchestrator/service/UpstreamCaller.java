package io.sluice.orchestrator.service;

import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.sluice.contracts.ApiError;
import io.sluice.orchestrator.adapter.ProviderAdapter;
import io.sluice.orchestrator.adapter.UpstreamFailure;
import io.sluice.orchestrator.adapter.UpstreamRequest;
import io.sluice.orchestrator.catalog.Deployment;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * One call to one deployment with its connect, first-byte and total timeouts. The returned Uni completes when Sluice
 * can commit to the answer (whole body, or first stream chunk) and fails with {@link UpstreamCallException}
 * otherwise. Cancelling the Uni, or a timeout, closes the connection.
 */
@ApplicationScoped
public class UpstreamCaller {
    private static final int MAX_CONNECTIONS_PER_HOST = 256;

    private final Vertx vertx;
    private final HttpClient client;

    public UpstreamCaller(Vertx vertx) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTryUseCompression(false),
                new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_HOST));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public Uni<UpstreamAnswer> call(Deployment deployment, ProviderAdapter adapter, UpstreamRequest upstream,
            String requestId, long deadlineMillis) {
        UpstreamExchange exchange = new UpstreamExchange(vertx);
        return Uni.createFrom().<UpstreamAnswer> emitter(emitter -> {
            long total = Math.min(deployment.totalTimeout().toMillis(), deadlineMillis - System.currentTimeMillis());
            exchange.startTimers(Math.min(deployment.firstTokenTimeout().toMillis(), total), total,
                    () -> emitter.fail(timeout(deployment)));
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setAbsoluteURI(upstream.absoluteUrl())
                    .setConnectTimeout(deployment.connectTimeout().toMillis());
            upstream.headers().forEach(options::putHeader);
            if (requestId != null) {
                options.putHeader("x-request-id", requestId);
            }
            client.request(options).onComplete(connected -> {
                if (connected.failed()) {
                    exchange.finished();
                    emitter.fail(unreachable(deployment, connected.cause()));
                    return;
                }
                exchange.attach(connected.result());
                connected.result().send(upstream.body()).onComplete(answered -> {
                    if (answered.failed()) {
                        exchange.finished();
                        emitter.fail(exchange.timedOut() ? timeout(deployment)
                                : unreachable(deployment, answered.cause()));
                    } else {
                        receive(answered.result(), deployment, adapter, upstream.stream(), exchange, emitter);
                    }
                });
            });
        }).onCancellation().invoke(exchange::cancel);
    }

    private static void receive(HttpClientResponse response, Deployment deployment, ProviderAdapter adapter,
            boolean stream, UpstreamExchange exchange, UniEmitter<? super UpstreamAnswer> emitter) {
        int status = response.statusCode();
        String contentType = response.getHeader("content-type");
        Buffer body = Buffer.buffer();
        response.exceptionHandler(err -> {
            exchange.cancel();
            emitter.fail(exchange.timedOut() ? timeout(deployment) : unreachable(deployment, err));
        });
        if (status >= 400) {
            response.handler(body::appendBuffer);
            response.endHandler(v -> {
                exchange.finished();
                UpstreamFailure failure = adapter.failure(status, response.headers(), body);
                emitter.fail(new UpstreamCallException(failure, status >= 500 || status == 408));
            });
        } else if (stream) {
            // Commit at the first chunk: until then another deployment can still take over unnoticed.
            response.pause();
            response.handler(chunk -> {
                exchange.firstByteArrived();
                UpstreamStream rest = new UpstreamStream(response);
                response.resume();
                emitter.complete(new UpstreamAnswer(deployment, status, contentType, chunk, null, rest, exchange));
            });
            response.endHandler(v -> {
                exchange.finished();
                emitter.complete(new UpstreamAnswer(deployment, status, contentType, Buffer.buffer(), null, null, exchange));
            });
            response.fetch(1);
        } else {
            response.handler(chunk -> {
                exchange.firstByteArrived();
                body.appendBuffer(chunk);
            });
            response.endHandler(v -> {
                exchange.finished();
                JsonObject json = jsonObject(body);
                if (json != null) {
                    emitter.complete(new UpstreamAnswer(deployment, status, contentType, body, json, null, exchange));
                } else {
                    // Nothing reached the client yet, so a garbled answer is one more reason to try elsewhere.
                    emitter.fail(new UpstreamCallException(new UpstreamFailure(502, ApiError.of("server_error",
                            "upstream_malformed", "The upstream provider sent an answer that is not valid JSON."),
                            true, Optional.empty()), true));
                }
            });
        }
    }

    /** The body as a JSON object; null when it is not one. */
    private static JsonObject jsonObject(Buffer body) {
        try {
            return body.toJsonObject();
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    static UpstreamCallException timeout(Deployment deployment) {
        return new UpstreamCallException(new UpstreamFailure(504, ApiError.of("server_error", "upstream_timeout",
                "The upstream provider did not answer in time."), true, Optional.empty()), true);
    }

    private static UpstreamCallException unreachable(Deployment deployment, Throwable cause) {
        Log.warnf("deployment %s unreachable: %s", deployment.name(), cause.toString());
        return new UpstreamCallException(new UpstreamFailure(502, ApiError.of("server_error", "upstream_unavailable",
                "The upstream provider could not be reached."), true, Optional.empty()), true);
    }
}
