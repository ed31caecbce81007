package io.sluice.orchestrator.adapter;

import io.vertx.core.buffer.Buffer;

/**
 * What the SSE translators of non-OpenAI providers share: their bounded event splitter, the OpenAI chunk writer, and
 * the state a stream ends in (completed, or failed with the provider's classified error or with
 * {@code upstream_too_large} when a provider event outgrew the bound).
 */
abstract class ProviderSseTranslator extends StreamTranslatorState {
    protected final SseEventSplitter events;
    protected final OpenAiChunkWriter writer;

    protected ProviderSseTranslator(String model, int maxEventBytes) {
        this.events = new SseEventSplitter(maxEventBytes);
        this.writer = new OpenAiChunkWriter(model);
    }

    @Override
    public Buffer translate(Buffer chunk) {
        Buffer out = Buffer.buffer();
        for (SseEventSplitter.SseEvent event : events.feed(chunk)) {
            onEvent(event, out);
        }
        if (events.overflowed() && failure == null) {
            failure = UpstreamFailure.tooLarge();
        }
        return out;
    }

    /** Translates one complete provider event into {@code out}. */
    protected abstract void onEvent(SseEventSplitter.SseEvent event, Buffer out);

    @Override
    public Buffer finish() {
        return translate(Buffer.buffer("\n\n")); // a last event the provider did not close with a blank line
    }
}
