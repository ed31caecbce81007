package io.sluice.orchestrator.adapter;

import java.time.Duration;
import java.util.Optional;

import io.sluice.contracts.ApiError;

/**
 * A provider's error answer in OpenAI's format, with the status Sluice returns and what another attempt may do
 * about it ({@link Recovery}). Never retried: 400, 401, 403, 404, 422, context length, content policy.
 */
public record UpstreamFailure(int status, ApiError error, Recovery recovery, Optional<Duration> retryAfter) {

    /** What the router may still try after this failure. */
    public enum Recovery {
        /** The request itself was refused: it is answered with this failure, wherever it went. */
        NONE,
        /**
         * This deployment cannot serve the request (its credentials were refused, its provider lacks the endpoint):
         * another deployment may, but this one is not asked again for the same request.
         */
        OTHER_DEPLOYMENT,
        /** A transient failure: another deployment now, or this one again after a backoff. */
        RETRY
    }

    /** Whether another attempt, on this deployment or another, may succeed. */
    public boolean retryable() {
        return recovery != Recovery.NONE;
    }

    /**
     * An answer, or one event of a stream, larger than Sluice accepts. Not retried: the size follows from the
     * request, so a sibling deployment would answer as much.
     */
    public static UpstreamFailure tooLarge() {
        return new UpstreamFailure(502, ApiError.of("server_error", "upstream_too_large",
                "The upstream provider's answer is larger than this gateway accepts."), Recovery.NONE,
                Optional.empty());
    }
}
