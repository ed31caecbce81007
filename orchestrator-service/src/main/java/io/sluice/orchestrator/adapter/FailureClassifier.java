package io.sluice.orchestrator.adapter;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.sluice.contracts.ApiError;
import io.sluice.orchestrator.adapter.UpstreamFailure.Recovery;
import io.vertx.core.MultiMap;

/**
 * One classification of provider errors for every adapter: the status and stable code Sluice returns, and whether
 * a retry or another deployment may help. Retryable: 408, 429, 500, 502, 503, 504 (and Anthropic's 529). Never:
 * other 4xx, context-length and content-policy refusals, whatever their status. 401 and 403 mean the deployment's
 * own credentials were refused: 502 {@code upstream_auth_failed}, for a sibling deployment to serve.
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
        if (status == 401 || status == 403) {
            return authFailed();
        }
        String message = providerMessage == null || providerMessage.isBlank()
                ? "The upstream provider answered " + status + "." : providerMessage;
        String hint = (String.valueOf(providerCode) + " " + message).toLowerCase(Locale.ROOT);
        if (hint.contains("context_length") || hint.contains("context length") || hint.contains("prompt is too long")
                || hint.contains("maximum context") || hint.contains("exceeds the maximum number of tokens")) {
            return new UpstreamFailure(400, ApiError.invalidRequest("context_length_exceeded", "messages", message),
                    Recovery.NONE, Optional.empty());
        }
        if (hint.contains("content_filter") || hint.contains("content policy") || hint.contains("content_policy")
                || hint.contains("safety")) {
            return new UpstreamFailure(400, ApiError.invalidRequest("content_filter", null, message), Recovery.NONE,
                    Optional.empty());
        }
        Optional<Duration> retryAfter = retryAfter(headers);
        return switch (status) {
            case 429 -> new UpstreamFailure(429, ApiError.of("requests", "upstream_rate_limited", message),
                    Recovery.RETRY, retryAfter);
            case 408, 504 -> new UpstreamFailure(504, ApiError.of("server_error", "upstream_timeout", message),
                    Recovery.RETRY, retryAfter);
            case 500, 502 -> new UpstreamFailure(502, ApiError.of("server_error", "upstream_error", message),
                    Recovery.RETRY, retryAfter);
            case 503, 529 -> new UpstreamFailure(503, ApiError.of("server_error", "upstream_unavailable", message),
                    Recovery.RETRY, retryAfter);
            default -> new UpstreamFailure(status >= 400 && status < 500 ? status : 502,
                    ApiError.of("invalid_request_error", providerCode == null ? "upstream_rejected" : providerCode,
                            message),
                    RETRYABLE.contains(status) ? Recovery.RETRY : Recovery.NONE, retryAfter);
        };
    }

    /**
     * The provider refused the deployment's credentials (401, 403): the operator's key is bad or revoked, which is
     * the deployment's fault, not the client's. A 502 with a fixed message (the provider's text may quote a masked
     * key); a sibling deployment, with a key of its own, may still serve the request, but waiting does not help.
     */
    static UpstreamFailure authFailed() {
        return new UpstreamFailure(502, ApiError.of("server_error", "upstream_auth_failed",
                "The upstream provider refused this deployment's credentials."), Recovery.OTHER_DEPLOYMENT,
                Optional.empty());
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
