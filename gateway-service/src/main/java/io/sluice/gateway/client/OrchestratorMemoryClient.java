package io.sluice.gateway.client;

import java.net.URI;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.config.OrchestratorConfig;
import io.sluice.contracts.memory.HistoryReference;
import io.sluice.gateway.memory.MemoryScope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * The orchestrator's conversation memory, as the gateway asks it: the size of a request's stored history (before its
 * reservation) and the Responses and Conversations APIs' reads, writes and deletions, each with the service token,
 * the tenant and its memory policy, a timeout, and a bound on the answer. Non-blocking: a Vert.x client of its own,
 * so that these short calls never wait behind the relay's streams for a connection.
 */
@ApplicationScoped
public class OrchestratorMemoryClient {
    static final String CONTEXT_PATH = "/internal/memory/context";

    private final HttpClient client;
    private final URI baseUri;
    private final ServiceCredential credential;
    private final long contextTimeoutMillis;
    private final long apiTimeoutMillis;
    private final long maxAnswerBytes;

    /** The orchestrator's answer to a memory API call, relayed to the client as it is. */
    public record Answer(int status, String contentType, String retryAfter, Buffer body) {
    }

    /** The stored history a request continues: its items and their tokens. */
    public record ContextSize(int items, long tokens) {
    }

    public OrchestratorMemoryClient(Vertx vertx, OrchestratorConfig config, ServiceCredential credential) {
        this.baseUri = URI.create(config.url());
        this.credential = credential;
        this.contextTimeoutMillis = config.memoryContextTimeout().toMillis();
        this.apiTimeoutMillis = config.memoryApiTimeout().toMillis();
        this.maxAnswerBytes = config.maxAnswerBytes();
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout((int) config.connectTimeout().toMillis()).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(512));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * The size of the history {@code history} names: a 404 of the orchestrator is the client's 404 (OpenAI's
     * not-found error naming the field); anything else that is not a size is 503 {@code memory_unavailable}.
     */
    public Uni<ContextSize> contextSize(MemoryScope scope, HistoryReference history, String requestId) {
        Future<ContextSize> size = call(HttpMethod.GET, CONTEXT_PATH + "?" + history.query(), scope, null, requestId,
                contextTimeoutMillis).map(answer -> {
                    if (answer.status() == 404) {
                        throw history.notFound();
                    }
                    if (answer.status() != 200) {
                        Log.warnf("request %s: the orchestrator answered %d for the size of a history", requestId,
                                answer.status());
                        throw unavailable();
                    }
                    return size(answer.body());
                });
        return Uni.createFrom().completionStage(size.toCompletionStage());
    }

    /** One Responses or Conversations API call, answered as the orchestrator answers (up to the answer bound). */
    public Uni<Answer> forward(HttpMethod method, String pathAndQuery, MemoryScope scope, Buffer body,
            String requestId) {
        return Uni.createFrom().completionStage(
                call(method, pathAndQuery, scope, body, requestId, apiTimeoutMillis).toCompletionStage());
    }

    private Future<Answer> call(HttpMethod method, String pathAndQuery, MemoryScope scope, Buffer body,
            String requestId, long timeoutMillis) {
        RequestOptions options = scope.putOn(credential.putOn(new RequestOptions()))
                .setMethod(method)
                .setAbsoluteURI(baseUri.resolve(pathAndQuery).toString())
                .setTimeout(timeoutMillis)
                .putHeader("x-request-id", requestId);
        if (body != null) {
            options.putHeader("content-type", "application/json");
        }
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(this::bounded)
                .recover(err -> {
                    if (err instanceof ApiException) {
                        return Future.failedFuture(err);
                    }
                    Log.warnf("request %s: the orchestrator's memory could not be reached: %s", requestId,
                            err.toString());
                    return Future.failedFuture(unavailable());
                })
                .map(answer -> {
                    if (answer.status() == 401) {
                        // Only the gateway's service token can be refused here: an operator's error, not the client's.
                        Log.error("the orchestrator refused the gateway's service token (401): check "
                                + "SLUICE_SERVICE_TOKEN");
                        throw unavailable();
                    }
                    return answer;
                });
    }

    /** The whole answer, or a failure once it grows beyond the bound (the call is then reset). */
    private Future<Answer> bounded(HttpClientResponse response) {
        Promise<Answer> answer = Promise.promise();
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() + (long) chunk.length() > maxAnswerBytes) {
                response.handler(null);
                answer.tryFail(new ApiException(502, ApiError.of("server_error", "upstream_too_large",
                        "The memory service's answer is larger than this gateway relays.")));
                response.request().reset();
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(answer::tryFail);
        response.endHandler(v -> answer.tryComplete(new Answer(response.statusCode(),
                response.getHeader("content-type"), response.getHeader("retry-after"), body)));
        return answer.future();
    }

    private static ContextSize size(Buffer body) {
        try {
            JsonObject size = body.toJsonObject();
            if (size.getValue("items") instanceof Number items && size.getValue("tokens") instanceof Number tokens
                    && items.longValue() >= 0 && tokens.longValue() >= 0) {
                return new ContextSize((int) Math.min(Integer.MAX_VALUE, items.longValue()), tokens.longValue());
            }
        } catch (RuntimeException notJson) {
            // answered below
        }
        Log.warn("the orchestrator's history size is not {\"items\":N,\"tokens\":T}");
        throw unavailable();
    }

    /** The memory store (or the orchestrator) cannot answer: retryable. */
    public static ApiException unavailable() {
        return new ApiException(503, ApiError.of("server_error", "memory_unavailable",
                "Conversation memory is unavailable right now; retry shortly."));
    }
}
