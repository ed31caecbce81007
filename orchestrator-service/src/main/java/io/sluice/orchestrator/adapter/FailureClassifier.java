package io.sluice.orchestrator.adapter;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.sluice.contracts.ApiError;
import io.vertx.core.MultiMap;

/**
 * One classification of provider errors for every adapter: the status and stable code Sluice returns, and whether
 * a retry or another deployment may help. Retryable: 408, 429, 500, 502, 503, 504 (and Anthropic's 529). Never:
 * other 4xx, context-length and content-policy refusals, whatever their status.
 */
public final class FailureClassifier {
    private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504, 529);

    private FailureClassifier() {
    }

    /**
     * @param providerMessage the provider's error message (may be null)
     * @param providerCode the provider's error code or type (may be null)
     */
    public static UpstreamFailure classify(int status, MultiMap headers, String providerMessage, String providerCode) {
        String message = providerMessage == null || providerMessage.isBlank()
                ? "The upstream provider answered " + status + "." : providerMessage;
        String hint = (String.valueOf(providerCode) + " " + message).toLowerCase(Locale.ROOT);
        if (hint.contains("context_length") || hint.contains("context length") || hint.contains("prompt is too long")
                || hint.contains("maximum context") || hint.contains("exceeds the maximum number of tokens")) {
            return new UpstreamFailure(400, ApiError.invalidRequest("context_length_exceeded", "messages", message),
                    false, Optional.empty());
        }
        if (hint.contains("content_filter") || hint.contains("content policy") || hint.contains("content_policy")
                || hint.contains("safety")) {
            return new UpstreamFailure(400, ApiError.invalidRequest("content_filter", null, message), false,
                    Optional.empty());
        }
        Optional<Duration> retryAfter = retryAfter(headers);
        return switch (status) {
            case 429 -> new UpstreamFailure(429, ApiError.of("requests", "upstream_rate_limited", message), true,
                    retryAfter);
            case 408, 504 -> new UpstreamFailure(504, ApiError.of("server_error", "upstream_timeout", message), true,
                    retryAfter);
            case 500, 502 -> new UpstreamFailure(502, ApiError.of("server_error", "upstream_error", message), true,
                    retryAfter);
            case 503, 529 -> new UpstreamFailure(503, ApiError.of("server_error", "upstream_unavailable", message),
                    true, retryAfter);
            default -> new UpstreamFailure(status >= 400 && status < 500 ? status : 502,
                    ApiError.of(status == 401 || status == 403 ? "server_error" : "invalid_request_error",
                            status == 401 || status == 403 ? "upstream_auth_failed"
                                    : providerCode == null ? "upstream_rejected" : providerCode,
                            message),
                    RETRYABLE.contains(status), retryAfter);
        };
    }

    /** {@code Retry-After} as seconds or an HTTP date. */
    static Optional<Duration> retryAfter(MultiMap headers) {
        String value = headers == null ? null : headers.get("retry-after");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException notADate) {
                return Optional.empty();
            }
        }
    }
}
