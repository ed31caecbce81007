package io.sluice.orchestrator.responses;

import java.util.Optional;
import java.util.function.Function;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.RelayHeaders;
import io.sluice.contracts.TokenUsage;
import io.sluice.orchestrator.adapter.SseEventSplitter;
import io.sluice.orchestrator.adapter.SseEventSplitter.SseEvent;
import io.sluice.orchestrator.adapter.StreamTranslator;
import io.sluice.orchestrator.adapter.UpstreamFailure;
import io.sluice.orchestrator.conversation.MemoryErrors;
import io.sluice.orchestrator.service.UpstreamAnswer;
import io.sluice.orchestrator.service.UpstreamStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Relays one streamed chat answer as Responses API events, chunk by chunk with back-pressure: the deployment's
 * translator turns provider bytes into OpenAI chunks, {@link ChatChunksToResponseEvents} turns those into
 * Responses events. When the provider finished, the response is remembered first and {@code response.completed}
 * written after, preceded by the {@code : sluice-usage} comment the gateway bills from (Responses streams have no
 * usage chunk and no {@code [DONE]}). A provider failure, or a store that cannot keep the answer, ends the stream
 * with {@code response.failed}; the gateway then bills the tokens the provider reported so far.
 */
final class ResponseStreamRelay {
    private final HttpServerResponse out;
    private final UpstreamAnswer answer;
    private final StreamTranslator chat;
    private final ChatChunksToResponseEvents events;
    private final SseEventSplitter splitter;
    private final Function<JsonObject, Uni<Void>> remember;
    /** The prompt usage the translator reported before the end (Anthropic's message_start), for a cut stream. */
    private Buffer usageSoFar = Buffer.buffer();

    ResponseStreamRelay(HttpServerResponse out, UpstreamAnswer answer, StreamTranslator chat,
            ChatChunksToResponseEvents events, int maxSseEventBytes, Function<JsonObject, Uni<Void>> remember) {
        this.out = out;
        this.answer = answer;
        this.chat = chat;
        this.events = events;
        this.splitter = new SseEventSplitter(maxSseEventBytes);
        this.remember = remember;
    }

    void start() {
        out.closeHandler(v -> answer.exchange().cancel());
        out.setStatusCode(200).putHeader("content-type", "text/event-stream").setChunked(true);
        write(events.start());
        if (!relay(answer.firstChunk(), false)) {
            return;
        }
        UpstreamStream upstream = answer.remainder();
        upstream.relay(chunk -> {
            if (relay(chunk, false) && out.writeQueueFull()) {
                upstream.pause();
                out.drainHandler(v -> upstream.resume());
            }
        }, this::finish, this::broken);
    }

    /** Translates provider bytes and writes the events they complete; false once the stream was ended here. */
    private boolean relay(Buffer providerBytes, boolean last) {
        if (out.ended()) {
            return false;
        }
        Optional<UpstreamFailure> failure;
        try {
            Buffer openAi = last ? chat.finish() : chat.translate(providerBytes);
            keepUsageComment(openAi);
            for (SseEvent event : splitter.feed(openAi)) {
                if (event.data() != null && !event.data().isEmpty() && !"[DONE]".equals(event.data())) {
                    write(events.chunk(new JsonObject(event.data())));
                }
            }
            failure = chat.failure();
        } catch (RuntimeException unreadable) {
            Log.warnf("deployment %s sent a stream event that cannot be read (%s)", answer.deployment().name(),
                    unreadable.getClass().getSimpleName());
            fail("upstream_malformed", "The upstream provider sent a stream event that is not valid.");
            return false;
        }
        if (failure.isPresent()) {
            fail(failure.get().error().error().code(), "The upstream provider ended the stream with an error.");
            return false;
        }
        return true;
    }

    private void finish() {
        answer.exchange().finished();
        if (!relay(null, true)) {
            return;
        }
        if (!chat.completed()) {
            fail("upstream_incomplete", "The upstream provider ended the stream without finishing the answer.");
            return;
        }
        Buffer done = events.complete();
        JsonObject response = events.response();
        remember.apply(response).subscribe().with(stored -> {
            write(usageComment(response));
            end(done);
        }, failure -> {
            Log.warnf("a streamed response could not be stored: %s", failure.toString());
            write(usageComment(response));
            end(events.failed(MemoryErrors.UNAVAILABLE.error().code(), MemoryErrors.UNAVAILABLE.error().message()));
        });
    }

    private void broken(Throwable err) {
        if (out.ended()) {
            return;
        }
        Log.warnf("deployment %s failed mid-stream: %s", answer.deployment().name(), err.toString());
        answer.exchange().cancel();
        fail(answer.exchange().timedOut() ? "upstream_timeout" : "upstream_disconnected",
                answer.exchange().timedOut() ? "The upstream provider did not finish in time."
                        : "The upstream provider closed the stream before it finished.");
    }

    private void fail(String code, String message) {
        answer.exchange().cancel();
        write(usageSoFar);
        end(events.failed(code, message));
    }

    private void keepUsageComment(Buffer openAi) {
        if (openAi.length() == 0 || openAi.getByte(0) != ':' && openAi.toString().indexOf("\n:") < 0) {
            return;
        }
        for (String line : openAi.toString().split("\n")) {
            if (line.startsWith(RelayHeaders.STREAM_USAGE_COMMENT)) {
                usageSoFar = Buffer.buffer(line + "\n\n");
            }
        }
    }

    /** The usage the gateway bills: what the final response reports. */
    private static Buffer usageComment(JsonObject response) {
        JsonObject usage = response.getJsonObject("usage");
        if (usage == null) {
            return Buffer.buffer();
        }
        JsonObject details = usage.getJsonObject("input_tokens_details");
        TokenUsage tokens = new TokenUsage(usage.getInteger("input_tokens", 0), usage.getInteger("output_tokens", 0),
                details == null ? 0 : details.getInteger("cached_tokens", 0));
        return Buffer.buffer(RelayHeaders.STREAM_USAGE_COMMENT + tokens.headerValue() + "\n\n");
    }

    private void write(Buffer bytes) {
        if (bytes != null && bytes.length() > 0 && !out.ended() && !out.closed()) {
            out.write(bytes);
        }
    }

    private void end(Buffer bytes) {
        if (!out.ended() && !out.closed()) {
            out.end(bytes);
        }
    }
}
