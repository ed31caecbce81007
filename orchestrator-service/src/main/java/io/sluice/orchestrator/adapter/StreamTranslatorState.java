package io.sluice.orchestrator.adapter;

import java.util.Optional;

/**
 * How a translated stream ended, as every translator tracks it: completed (the provider finished the answer), or
 * failed with an error the client's stream is to end with.
 */
abstract class StreamTranslatorState implements StreamTranslator {
    protected boolean done;
    protected UpstreamFailure failure;

    @Override
    public boolean completed() {
        return done;
    }

    @Override
    public Optional<UpstreamFailure> failure() {
        return Optional.ofNullable(failure);
    }
}
