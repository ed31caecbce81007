package io.sluice.orchestrator.adapter;

import java.util.Optional;

import io.vertx.core.buffer.Buffer;

/**
 * Turns one provider stream into OpenAI chat-completion chunks in SSE framing, chunk by chunk as bytes arrive:
 * every complete provider event is translated at once; only a partial event waits for the rest of its bytes.
 * The output ends with a usage chunk ({@code choices: []}) and {@code data: [DONE]} when the provider finished.
 */
public interface StreamTranslator {

    /** The OpenAI SSE bytes for what has arrived (possibly empty). */
    Buffer translate(Buffer chunk);

    /** Called when the provider's stream ended normally; returns any remaining output. */
    Buffer finish();

    /** Whether the provider signalled a complete answer (not a cut stream). */
    boolean completed();

    /**
     * The provider's error when it ended the stream with one (an error event after the answer started), so the
     * caller can close the client's stream with that error; empty otherwise.
     */
    default Optional<UpstreamFailure> failure() {
        return Optional.empty();
    }
}
