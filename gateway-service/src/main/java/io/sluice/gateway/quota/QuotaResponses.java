package io.sluice.gateway.quota;

import java.util.stream.Collectors;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.QuotaKeys.Window;
import io.sluice.contracts.rest.ApiException;
import io.vertx.core.http.HttpServerResponse;

/** How quota decisions show to clients: OpenAI's x-ratelimit headers, the IETF RateLimit headers, 429 bodies. */
public final class QuotaResponses {
    private QuotaResponses() {
    }

    public static void headers(HttpServerResponse out, QuotaDecision decision) {
        decision.tightest(limit -> limit.kind() == QuotaLimit.Kind.REQUESTS && limit.window() == Window.RPM)
                .ifPresent(c -> openAiHeaders(out, "requests", c));
        decision.tightest(limit -> limit.kind() == QuotaLimit.Kind.TOKENS)
                .ifPresent(c -> openAiHeaders(out, "tokens", c));
        out.putHeader("ratelimit-policy", decision.counters().stream()
                .map(c -> "\"" + c.limit().policyName() + "\";q=" + c.limit().limit() + ";w=" + c.limit().windowSeconds())
                .collect(Collectors.joining(", ")));
        out.putHeader("ratelimit", decision.counters().stream()
                .map(c -> "\"" + c.limit().policyName() + "\";r=" + c.remaining() + ";t=" + c.resetSeconds())
                .collect(Collectors.joining(", ")));
    }

    /** The 429 for a refused decision; the caller adds {@code Retry-After}. */
    public static ApiException refusal(QuotaDecision.Counter refusing) {
        QuotaLimit limit = refusing.limit();
        String whose = limit.scope() == QuotaLimit.Scope.KEY ? "this API key" : "your organization";
        ApiError error = switch (limit.kind()) {
            case REQUESTS -> ApiError.of("requests", "rate_limit_exceeded", "Rate limit reached for " + whose
                    + " on requests per " + period(limit.window()) + ": limit " + limit.limit() + ", used "
                    + refusing.used() + ". Retry after " + refusing.resetSeconds() + "s.");
            case TOKENS -> ApiError.of("tokens", "insufficient_quota", "Token quota of " + whose + " exhausted: "
                    + limit.limit() + " tokens per day, " + refusing.used() + " used, this request needs "
                    + limit.amount() + ". It resets in " + refusing.resetSeconds() + "s.");
            case BUDGET -> ApiError.of("insufficient_quota", "insufficient_quota", "The "
                    + (limit.window() == Window.USD_MONTH ? "monthly" : "daily") + " budget of " + usd(limit.limit())
                    + " USD is exhausted ("
                    + usd(refusing.used()) + " USD used). It resets in " + refusing.resetSeconds() + "s.");
        };
        return new ApiException(429, error);
    }

    private static void openAiHeaders(HttpServerResponse out, String what, QuotaDecision.Counter counter) {
        out.putHeader("x-ratelimit-limit-" + what, Long.toString(counter.limit().limit()))
                .putHeader("x-ratelimit-remaining-" + what, Long.toString(counter.remaining()))
                .putHeader("x-ratelimit-reset-" + what, counter.resetSeconds() + "s");
    }

    private static String period(Window window) {
        return switch (window) {
            case RPM -> "minute";
            case RPH -> "hour";
            case USD_MONTH -> "month";
            case RPD, TPD, USD_DAY -> "day";
        };
    }

    private static String usd(long microUsd) {
        return java.math.BigDecimal.valueOf(microUsd, 6).stripTrailingZeros().toPlainString();
    }
}
