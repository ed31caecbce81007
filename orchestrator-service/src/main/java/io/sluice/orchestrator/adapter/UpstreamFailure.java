package io.sluice.orchestrator.adapter;

import java.time.Duration;
import java.util.Optional;

import io.sluice.contracts.ApiError;

/**
 * A provider's error answer in OpenAI's format, with the status Sluice returns and whether another attempt (retry
 * or another deployment) may succeed. Never retryable: 400, 401, 403, 404, 422, context length, content policy.
 */
public record UpstreamFailure(int status, ApiError error, boolean retryable, Optional<Duration> retryAfter) {
}
