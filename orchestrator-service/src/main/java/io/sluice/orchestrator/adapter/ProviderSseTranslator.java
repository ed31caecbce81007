package io.sluice.orchestrator.adapter;

import java.util.Optional;

import io.vertx.core.buffer.Buffer;

/**
 * What the SSE translators of non-OpenAI providers share: their event splitter, the OpenAI chunk writer, and the
 * state a stream ends in (completed, or failed with the provider's classified error).
 */
abstract class ProviderSseTranslator implements StreamTranslator {
    protected final SseEventSplitter events = new SseEventSplitter();
    protected final OpenAiChunkWriter writer;
    protected boolean done;
    protected UpstreamFailure failure;

    protected ProviderSseTranslator(String model) {
        this.writer = new OpenAiChunkWriter(model);
    }

    @Override
    public Buffer finish() {
        return translate(Buffer.buffer("\n\n")); // a last event the provider did not close with a blank line
    }

    @Override
    public boolean completed() {
        return done;
    }

    @Override
    public Optional<UpstreamFailure> failure() {
        return Optional.ofNullable(failure);
    }
}
