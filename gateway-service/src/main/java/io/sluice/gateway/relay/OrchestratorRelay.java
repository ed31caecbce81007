package io.sluice.gateway.relay;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.ModelName;
import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.TokenUsage;
import io.sluice.contracts.UsageEvent;
import io.sluice.gateway.client.ServiceCredential;
import io.sluice.gateway.config.OrchestratorConfig;
import io.sluice.gateway.memory.MemoryIds;
import io.sluice.gateway.metrics.RequestMetrics;
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
import io.vertx.core.json.JsonObject;

/**
 * Sends an admitted request to orchestrator-service and relays the answer to the client: streams chunk by chunk
 * as they arrive (never batched), whole answers as they arrive too unless the client's format needs them whole
 * (then held up to {@code max-answer-bytes}), and reports what was delivered for billing, exactly once, whatever
 * happens on the way: a failure inside the relay ends the call and is reported like any other.
 */
@ApplicationScoped
public class OrchestratorRelay {
    private final HttpClient client;
    private final URI baseUri;
    private final long idleTimeoutMillis;
    private final long maxAnswerBytes;
    private final int maxSseEventBytes;
    private final RequestMetrics metrics;
    private final ServiceCredential credential;

    public OrchestratorRelay(Vertx vertx, OrchestratorConfig config, RequestMetrics metrics,
            ServiceCredential credential) {
        this.metrics = metrics;
        this.credential = credential;
        this.baseUri = URI.create(config.url());
        this.idleTimeoutMillis = config.idleTimeout().toMillis();
        this.maxAnswerBytes = config.maxAnswerBytes();
        this.maxSseEventBytes = config.maxSseEventBytes();
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout((int) config.connectTimeout().toMillis()).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(config.maxConnections()).setMaxWaitQueueSize(config.maxWaiting()));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** Relays one request; {@code done} is called exactly once, when the client's answer has ended. */
    public void relay(ForwardedRequest forwarded, HttpServerResponse out, Consumer<RelayResult> done) {
        new Call(forwarded, out, done).start();
    }

    /** One forwarded request, from the connection to the end of the client's answer. */
    private final class Call {
        private final ForwardedRequest forwarded;
        private final HttpServerResponse out;
        private final Consumer<RelayResult> done;
        private final AtomicBoolean finished = new AtomicBoolean();
        private HttpClientRequest request;
        /** The request went to the orchestrator: from then on the model may run. */
        private boolean sent;
        private RelayResult.Served served = RelayResult.Served.NONE;
        private RelayResult.Stored stored = RelayResult.Stored.NONE;
        /** The orchestrator answered 200: the model ran. */
        private boolean answeredOk;
        private TokenUsage reportedUsage;
        private ResponseShape.StreamTranslator translator;
        private SseUsageTap tap;
        /** The answer kept for the response cache while it is relayed; null when not kept (or no longer). */
        private Buffer kept;

        Call(ForwardedRequest forwarded, HttpServerResponse out, Consumer<RelayResult> done) {
            this.forwarded = forwarded;
            this.out = out;
            this.done = done;
        }

        void start() {
            if (out.closed()) {
                // Gone while authenticated and admitted: nothing is asked of a model nobody waits for.
                finish(RelayResult.clientClosed(false));
                return;
            }
            RequestOptions options = credential.putOn(new RequestOptions())
                    .setMethod(HttpMethod.POST)
                    .setAbsoluteURI(baseUri.resolve(forwarded.path()).toString())
                    .setIdleTimeout(idleTimeoutMillis)
                    .putHeader("content-type", "application/json")
                    .putHeader("x-request-id", forwarded.requestId());
            if (forwarded.allowedModels() != null) {
                options.putHeader(RelayHeaders.ALLOWED_MODELS, forwarded.allowedModels());
            }
            if (forwarded.outputCap() != null) {
                options.putHeader(RelayHeaders.MAX_OUTPUT_TOKENS, Integer.toString(forwarded.outputCap()));
            }
            if (forwarded.memory() != null) {
                forwarded.memory().putOn(options);
            }
            client.request(options)
                    .onFailure(this::unavailable)
                    .onSuccess(created -> guarded(() -> send(created)));
        }

        private void send(HttpClientRequest created) {
            request = created;
            if (out.closed()) {
                request.reset();
                finish(RelayResult.clientClosed(false));
                return;
            }
            out.closeHandler(v -> request.reset());
            sent = true;
            request.send(forwarded.body())
                    .onFailure(this::unavailable)
                    .onSuccess(response -> guarded(() -> answered(response)));
        }

        private void answered(HttpClientResponse response) {
            int status = response.statusCode();
            if (status == 401) {
                credentialRefused();
                return;
            }
            answeredOk = status == 200;
            kept = answeredOk && forwarded.keepAnswerBytes() > 0 ? Buffer.buffer() : null;
            served = new RelayResult.Served(response.getHeader(RelayHeaders.PROVIDER),
                    response.getHeader(RelayHeaders.DEPLOYMENT), servedModel(response));
            reportedUsage = TokenUsage.fromHeaderValue(response.getHeader(RelayHeaders.USAGE));
            if (forwarded.memory() != null) {
                stored = storedIds(response);
            }
            response.exceptionHandler(err -> guarded(() -> brokenOff(err)));
            out.setStatusCode(status);
            copyHeader(response, out, "content-type");
            copyHeader(response, out, "retry-after");
            if (forwarded.stream() && answeredOk) {
                relayStream(response);
            } else if (forwarded.shape().passesWholeAnswersThrough() && (reportedUsage != null || !answeredOk)) {
                passThrough(response);
            } else {
                relayWhole(response);
            }
        }

        /** An OpenAI-format answer whose usage is in the header: relayed as it arrives, never held. */
        private void passThrough(HttpClientResponse response) {
            String length = response.getHeader("content-length");
            if (length != null) {
                out.putHeader("content-length", length);
            } else {
                out.setChunked(true);
            }
            relayChunks(response, chunk -> {
                keep(chunk);
                return chunk;
            });
            response.endHandler(v -> guarded(() -> {
                out.end();
                finish(answer(response.statusCode(), answeredOk ? UsageEvent.Outcome.SUCCESS : UsageEvent.Outcome.ERROR,
                        reportedUsage));
            }));
        }

        /** An answer the client's format needs whole (or whose usage is only in its body): held, up to the cap. */
        private void relayWhole(HttpClientResponse response) {
            Buffer body = Buffer.buffer();
            response.handler(chunk -> guarded(() -> {
                if (body.length() + (long) chunk.length() > maxAnswerBytes) {
                    tooLarge(response);
                } else {
                    body.appendBuffer(chunk);
                    keep(chunk);
                }
            }));
            response.endHandler(v -> guarded(() -> {
                if (finished.get()) {
                    return;
                }
                out.end(forwarded.shape().whole(response.statusCode(), body));
                TokenUsage usage = reportedUsage != null ? reportedUsage : answeredOk ? usageInBody(body) : null;
                finish(answer(response.statusCode(), answeredOk ? UsageEvent.Outcome.SUCCESS : UsageEvent.Outcome.ERROR,
                        usage));
            }));
        }

        private void tooLarge(HttpClientResponse response) {
            response.handler(null);
            Log.warnf("request %s: the orchestrator's answer exceeds %d bytes; refused", forwarded.requestId(),
                    maxAnswerBytes);
            forwarded.shape().sendError(out, 502, ApiError.of("server_error", "upstream_too_large",
                    "The model's answer is larger than this gateway relays."));
            finish(answer(502, UsageEvent.Outcome.ERROR, reportedUsage));
            request.reset();
        }

        private void relayStream(HttpClientResponse response) {
            tap = forwarded.memory() != null ? SseUsageTap.forResponses(maxSseEventBytes)
                    : new SseUsageTap(forwarded.clientWantsUsage(), maxSseEventBytes);
            translator = forwarded.shape().stream();
            out.setChunked(true);
            metrics.streamStarted();
            // The tap sees the OpenAI events first (billing), the translator shapes them for the client.
            relayChunks(response, chunk -> {
                keep(chunk);
                Buffer events = translator.events(tap.pass(chunk));
                if (tap.overflowed()) {
                    eventTooLarge(events);
                    return Buffer.buffer();
                }
                return events;
            });
            response.endHandler(v -> guarded(() -> {
                if (finished.get()) {
                    return;
                }
                out.end(translator.events(tap.rest()).appendBuffer(translator.end()));
                finish(streamed());
            }));
        }

        /**
         * An event that never ends: the stream ends with an error event, billed for what was delivered. Here as
         * wherever the gateway ends a call, the client's answer ends and the call finishes before the upstream request
         * is reset, since the reset reports the answer broken off.
         */
        private void eventTooLarge(Buffer before) {
            Log.warnf("request %s: a stream event from the orchestrator exceeds %d bytes; stream ended",
                    forwarded.requestId(), maxSseEventBytes);
            Buffer error = tap.errorEvent("upstream_too_large",
                    "The model's stream sent an event larger than this gateway relays.");
            out.end(before.appendBuffer(translator.events(error)).appendBuffer(translator.end()));
            finish(streamed());
            request.reset();
        }

        private RelayResult streamed() {
            return new RelayResult(200, tap.completed() ? UsageEvent.Outcome.SUCCESS : UsageEvent.Outcome.INCOMPLETE,
                    tap.usage(), tap.promptReported(), served, tap.firstEventAtNanos(), true,
                    tap.completed() && !tap.overflowed() ? kept : null);
        }

        /** Keeps a chunk of a successful answer for the cache, up to its limit; beyond it, nothing is kept. */
        private void keep(Buffer chunk) {
            if (kept != null) {
                kept = kept.length() + (long) chunk.length() > forwarded.keepAnswerBytes() ? null
                        : kept.appendBuffer(chunk);
            }
        }

        /** Writes each chunk as shaped, pausing the orchestrator's answer while the client reads slower. */
        private void relayChunks(HttpClientResponse response, UnaryOperator<Buffer> shape) {
            response.handler(chunk -> guarded(() -> {
                if (finished.get()) {
                    return;
                }
                Buffer shaped = shape.apply(chunk);
                if (finished.get()) {
                    return;
                }
                if (shaped.length() > 0) {
                    out.write(shaped);
                }
                if (out.writeQueueFull()) {
                    response.pause();
                    out.drainHandler(v -> response.resume());
                }
            }));
        }

        /** The answer broke off after it began: the client left (which reset it) or the orchestrator went away. */
        private void brokenOff(Throwable err) {
            if (finished.get()) {
                return;
            }
            Log.debugf("answer from orchestrator ended early: %s", err.toString());
            request.reset();
            if (tap != null) {
                if (!out.ended()) {
                    out.end(translator.end());
                }
                finish(streamed());
            } else if (out.closed()) {
                finish(new RelayResult(RelayResult.CLIENT_CLOSED_REQUEST, UsageEvent.Outcome.INCOMPLETE,
                        orNone(reportedUsage), reportedUsage != null, served, 0, true));
            } else {
                // Part of a whole answer went out: cut the connection so the client cannot take it for all of it.
                out.reset();
                finish(answer(502, UsageEvent.Outcome.ERROR, reportedUsage));
            }
        }

        /**
         * The orchestrator answers 401 only when it refuses the gateway's service token: an operator's error, which
         * the client must not take for a problem with its own key.
         */
        private void credentialRefused() {
            Log.error("the orchestrator refused the gateway's service token (401): check SLUICE_SERVICE_TOKEN");
            forwarded.shape().sendError(out, 502, ApiError.of("server_error", "upstream_unavailable",
                    "The model service could not be reached."));
            finish(RelayResult.failed(502));
            request.reset();
        }

        private RelayResult answer(int status, UsageEvent.Outcome outcome, TokenUsage usage) {
            return new RelayResult(status, outcome, orNone(usage), usage != null, served, 0, answeredOk,
                    status == 200 && outcome == UsageEvent.Outcome.SUCCESS ? kept : null);
        }

        private void unavailable(Throwable err) {
            guarded(() -> {
                if (out.closed()) {
                    // The client left first, and its leaving reset the forwarded request: nothing failed on our side.
                    Log.debugf("client closed the connection before the answer: %s", err.toString());
                    finish(RelayResult.clientClosed(sent));
                    return;
                }
                if (err instanceof ConnectionPoolTooBusyException) {
                    // Every connection is busy and the queue for one is full: refuse now instead of queueing.
                    Log.debug("refused: every connection to the orchestrator is busy and the queue for one is full");
                    out.putHeader("retry-after", "1");
                    forwarded.shape().sendError(out, 503, ApiError.of("server_error", "overloaded",
                            "The gateway has too many requests in flight. Retry shortly."));
                    finish(RelayResult.failed(503));
                    return;
                }
                Log.warnf("orchestrator unavailable: %s", err.toString());
                forwarded.shape().sendError(out, 502, ApiError.of("server_error", "upstream_unavailable",
                        "The model service could not be reached."));
                finish(RelayResult.failed(502));
            });
        }

        /** Runs one step of the call; an exception in it ends the call instead of leaving the client waiting. */
        private void guarded(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                failedHere(e);
            }
        }

        private void failedHere(RuntimeException err) {
            if (finished.get()) {
                return;
            }
            UnexpectedFailures.log(forwarded.requestId(), "relay", err);
            if (tap != null) {
                if (!out.ended()) {
                    out.end(Buffer.buffer());
                }
                finish(streamed());
            } else {
                forwarded.shape().sendError(out, 502, ApiError.of("server_error", "upstream_error",
                        "The gateway could not relay the model's answer."));
                finish(answer(502, UsageEvent.Outcome.ERROR, reportedUsage));
            }
            // Last: resetting the call reports it broken off, which must find it finished.
            if (request != null) {
                request.reset();
            }
        }

        private void finish(RelayResult result) {
            if (finished.compareAndSet(false, true)) {
                if (tap != null) {
                    metrics.streamEnded();
                }
                done.accept(stored == RelayResult.Stored.NONE ? result : result.withStored(stored));
            }
        }
    }

    /** The alias that served, when the orchestrator names one that is a valid model name. */
    private static String servedModel(HttpClientResponse response) {
        String model = response.getHeader(RelayHeaders.MODEL);
        return ModelName.isValid(model) ? model : null;
    }

    /** The ids a Responses API answer names, each only when it is a valid id of its kind. */
    private static RelayResult.Stored storedIds(HttpClientResponse response) {
        String responseId = response.getHeader(RelayHeaders.RESPONSE_ID);
        String conversationId = response.getHeader(RelayHeaders.CONVERSATION_ID);
        return new RelayResult.Stored(MemoryIds.isResponse(responseId) ? responseId : null,
                MemoryIds.isConversation(conversationId) ? conversationId : null);
    }

    /**
     * The usage in an answer's body, for an orchestrator that sends no usage header (an earlier release, during a
     * rolling upgrade); null when there is none. A Response object counts {@code input_tokens} and
     * {@code output_tokens} where a chat completion counts prompt and completion tokens.
     */
    private static TokenUsage usageInBody(Buffer body) {
        try {
            if (!(body.toJsonObject().getValue("usage") instanceof JsonObject usage)) {
                return null;
            }
            if (!usage.containsKey("input_tokens")) {
                return TokenUsage.of(usage);
            }
            return TokenUsage.of(new JsonObject().put("prompt_tokens", usage.getValue("input_tokens"))
                    .put("completion_tokens", usage.getValue("output_tokens"))
                    .put("prompt_tokens_details", usage.getValue("input_tokens_details")));
        } catch (RuntimeException notJsonObject) {
            return null;
        }
    }

    private static TokenUsage orNone(TokenUsage usage) {
        return usage == null ? TokenUsage.NONE : usage;
    }

    private static void copyHeader(HttpClientResponse from, HttpServerResponse to, String name) {
        String value = from.getHeader(name);
        if (value != null) {
            to.putHeader(name, value);
        }
    }
}
