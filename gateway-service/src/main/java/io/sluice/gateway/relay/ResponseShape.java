package io.sluice.gateway.relay;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.vertx.ApiErrorResponses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The API format the client speaks. The orchestrator always answers in OpenAI's format; a shape other than
 * {@link #OPENAI} translates that answer (and the gateway's own errors) before it reaches the client.
 */
public interface ResponseShape {

    /** OpenAI's format: everything passes through unchanged. */
    ResponseShape OPENAI = new ResponseShape() {
    };

    /** This shape for one request, for translations that show its id or model. */
    default ResponseShape forRequest(String requestId, String model) {
        return this;
    }

    /** Sends an error (OpenAI envelope) in this shape, unless the response has already started. */
    default void sendError(HttpServerResponse out, int status, ApiError error) {
        ApiErrorResponses.send(out, status, error);
    }

    /**
     * Whether whole answers reach the client as the orchestrator sent them, relayed as they arrive without being
     * held in memory; otherwise {@link #whole} needs the complete body.
     */
    default boolean passesWholeAnswersThrough() {
        return true;
    }

    /** A whole (non-stream) answer from the orchestrator, success or error, in this shape. */
    default Buffer whole(int status, Buffer body) {
        return body;
    }

    /** A translator for one streamed answer. */
    default StreamTranslator stream() {
        return StreamTranslator.PASS_THROUGH;
    }

    /** Turns complete OpenAI SSE events into the client's events, as they arrive. */
    interface StreamTranslator {
        StreamTranslator PASS_THROUGH = new StreamTranslator() {
            @Override
            public Buffer events(Buffer openAiEvents) {
                return openAiEvents;
            }

            @Override
            public Buffer end() {
                return Buffer.buffer();
            }
        };

        /** The client's bytes for these complete OpenAI events (possibly none). */
        Buffer events(Buffer openAiEvents);

        /** The last bytes once the upstream stream has ended or broken off. */
        Buffer end();
    }
}
