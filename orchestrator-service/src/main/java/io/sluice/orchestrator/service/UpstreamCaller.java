package io.sluice.orchestrator.service;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.sluice.contracts.ApiError;
import io.sluice.orchestrator.adapter.ClientAnswer;
import io.sluice.orchestrator.adapter.CredentialRedactor;
import io.sluice.orchestrator.adapter.FailureClassifier;
import io.sluice.orchestrator.adapter.ProviderAdapter;
import io.sluice.orchestrator.adapter.UpstreamFailure;
import io.sluice.orchestrator.adapter.UpstreamFailure.Recovery;
import io.sluice.orchestrator.adapter.UpstreamRequest;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.config.UpstreamLimitsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * One call to one deployment with its connect, first-byte and total timeouts. The returned Uni completes when Sluice
 * can commit to the answer (the whole body read and translated, or a stream's first chunk) and fails with
 * {@link UpstreamCallException} otherwise. Cancelling the Uni, a timeout, or an answer over
 * {@code sluice.upstream.max-answer-bytes} closes the connection.
 */
@ApplicationScoped
public class UpstreamCaller {
    private static final int MAX_CONNECTIONS_PER_HOST = 256;

    private final Vertx vertx;
    private final HttpClient client;
    private final Clock clock;
    private final int maxAnswerBytes;

    public UpstreamCaller(Vertx vertx, UpstreamLimitsConfig limits, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        this.maxAnswerBytes = limits.maxAnswerBytes();
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTryUseCompression(false),
                new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_HOST));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * @param reader turns a complete successful answer into the client's; whatever it throws makes the answer
     *        malformed, the deployment's fault
     */
    public Uni<UpstreamAnswer> call(Deployment deployment, ProviderAdapter adapter, UpstreamRequest upstream,
            Function<Buffer, ClientAnswer> reader, String requestId, long deadlineMillis) {
        UpstreamExchange exchange = new UpstreamExchange(vertx);
        return Uni.createFrom().<UpstreamAnswer> emitter(emitter -> {
            long total = Math.min(deployment.totalTimeout().toMillis(), deadlineMillis - clock.millis());
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
                        receive(answered.result(), deployment, adapter, upstream.stream(), reader, exchange, emitter);
                    }
                });
            });
        }).onCancellation().invoke(exchange::cancel);
    }

    private void receive(HttpClientResponse response, Deployment deployment, ProviderAdapter adapter,
            boolean stream, Function<Buffer, ClientAnswer> reader, UpstreamExchange exchange,
            UniEmitter<? super UpstreamAnswer> emitter) {
        int status = response.statusCode();
        response.exceptionHandler(err -> {
            if (!exchange.cancelled()) { // else the emitter already has the reason: timeout, too large, left
                exchange.cancel();
                emitter.fail(unreachable(deployment, err));
            }
        });
        if (status >= 400) {
            readWhole(response, deployment, exchange, emitter, body -> {
                emitter.fail(failure(deployment, adapter, status, response, body));
            });
        } else if (stream) {
            // Commit at the first chunk: until then another deployment can still take over unnoticed.
            response.pause();
            response.handler(chunk -> {
                exchange.firstByteArrived();
                UpstreamStream rest = new UpstreamStream(response);
                response.resume();
                emitter.complete(UpstreamAnswer.stream(deployment, status, chunk, rest, exchange));
            });
            response.endHandler(v -> {
                exchange.finished();
                emitter.fail(malformed("The upstream provider ended the stream before sending anything."));
            });
            response.fetch(1);
        } else {
            readWhole(response, deployment, exchange, emitter, body -> {
                ClientAnswer answer;
                try {
                    answer = reader.apply(body);
                } catch (RuntimeException unreadable) {
                    // The class only: a parser's message may quote the answer.
                    Log.warnf("deployment %s sent an answer that cannot be read (%s)", deployment.name(),
                            unreadable.getClass().getSimpleName());
                    // Nothing reached the client yet, so a garbled answer is one more reason to try elsewhere.
                    emitter.fail(malformed("The upstream provider sent an answer that is not valid."));
                    return;
                }
                emitter.complete(UpstreamAnswer.complete(deployment, status, answer, exchange));
            });
        }
    }

    /**
     * Collects a whole body, at most {@code max-answer-bytes} of it: a larger one (announced or arriving) fails
     * the call with {@code upstream_too_large} and closes the connection instead of being buffered.
     */
    private void readWhole(HttpClientResponse response, Deployment deployment, UpstreamExchange exchange,
            UniEmitter<? super UpstreamAnswer> emitter, Consumer<Buffer> whole) {
        long announced = contentLength(response);
        if (announced > maxAnswerBytes) {
            tooLarge(deployment, exchange, emitter);
            return;
        }
        Buffer body = Buffer.buffer(announced > 0 ? (int) announced : 1024);
        response.handler(chunk -> {
            exchange.firstByteArrived();
            if (exchange.cancelled()) {
                return;
            }
            if (body.length() + chunk.length() > maxAnswerBytes) {
                tooLarge(deployment, exchange, emitter);
                return;
            }
            body.appendBuffer(chunk);
        });
        response.endHandler(v -> {
            if (!exchange.cancelled()) {
                exchange.finished();
                whole.accept(body);
            }
        });
    }

    private void tooLarge(Deployment deployment, UpstreamExchange exchange,
            UniEmitter<? super UpstreamAnswer> emitter) {
        Log.warnf("deployment %s sent an answer over sluice.upstream.max-answer-bytes (%d); the call is closed",
                deployment.name(), maxAnswerBytes);
        exchange.cancel();
        emitter.fail(new UpstreamCallException(UpstreamFailure.tooLarge(), false));
    }

    /**
     * An error answer, classified by the adapter, with no operator credential in what the tenant will read. A
     * refused credential (401, 403) is the deployment's fault, as are 5xx and 408; other 4xx are the request's.
     */
    private static UpstreamCallException failure(Deployment deployment, ProviderAdapter adapter, int status,
            HttpClientResponse response, Buffer body) {
        UpstreamFailure failure;
        try {
            failure = adapter.failure(status, response.headers(), body);
        } catch (RuntimeException unreadable) {
            failure = FailureClassifier.classify(status, response.headers(), null, null);
        }
        boolean credentialsRefused = status == 401 || status == 403;
        if (credentialsRefused) {
            // Never the provider's text: it may quote the (masked) key.
            Log.warnf("deployment %s: the provider refused its credentials (HTTP %d); check its api-key",
                    deployment.name(), status);
        }
        return new UpstreamCallException(CredentialRedactor.redact(failure, deployment),
                status >= 500 || status == 408 || credentialsRefused);
    }

    private static long contentLength(HttpClientResponse response) {
        String value = response.getHeader("content-length");
        try {
            return value == null ? -1 : Long.parseLong(value.strip());
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }

    private static UpstreamCallException malformed(String message) {
        return new UpstreamCallException(new UpstreamFailure(502, ApiError.of("server_error", "upstream_malformed",
                message), Recovery.RETRY, Optional.empty()), true);
    }

    static UpstreamCallException timeout(Deployment deployment) {
        return new UpstreamCallException(new UpstreamFailure(504, ApiError.of("server_error", "upstream_timeout",
                "The upstream provider did not answer in time."), Recovery.RETRY, Optional.empty()), true);
    }

    private static UpstreamCallException unreachable(Deployment deployment, Throwable cause) {
        Log.warnf("deployment %s unreachable: %s", deployment.name(), cause.toString());
        return new UpstreamCallException(new UpstreamFailure(502, ApiError.of("server_error", "upstream_unavailable",
                "The upstream provider could not be reached."), Recovery.RETRY, Optional.empty()), true);
    }
}
