package io.sluice.orchestrator.adapter;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.contracts.ApiError;
import io.sluice.orchestrator.catalog.Deployment;

/**
 * Keeps operator credentials out of the provider error text Sluice relays to tenants: a provider may quote the key
 * it was sent (whole or masked). Removes what looks like a provider key ({@code sk-…} as OpenAI, Anthropic and most
 * compatible servers issue them, Google's {@code AIza…}, a bearer token) and the deployment's own key, whole or
 * as a masked rendering that starts with its first characters.
 */
public final class CredentialRedactor {
    static final String REDACTED = "[redacted]";
    private static final Pattern KEY_LIKE = Pattern.compile(
            "\\bsk-[A-Za-z0-9_*.\\-]{4,}|\\bAIza[A-Za-z0-9_\\-]{8,}|(?i:bearer)\\s+[A-Za-z0-9._~+/*\\-]+=*");
    /** Shorter "keys" (test placeholders) would redact ordinary words. */
    private static final int MIN_KEY = 6;
    /** A key prefix this long is not found in ordinary text by chance. */
    private static final int PREFIX = 8;

    private CredentialRedactor() {
    }

    /** The failure with its message cleaned for {@code deployment}. */
    public static UpstreamFailure redact(UpstreamFailure failure, Deployment deployment) {
        ApiError.Body body = failure.error().error();
        String message = redact(body.message(), deployment.apiKey());
        if (message == null || message.equals(body.message())) {
            return failure;
        }
        return new UpstreamFailure(failure.status(),
                new ApiError(new ApiError.Body(message, body.type(), body.param(), body.code())), failure.recovery(),
                failure.retryAfter());
    }

    static String redact(String text, Optional<String> deploymentKey) {
        if (text == null) {
            return null;
        }
        String cleaned = text;
        if (deploymentKey.isPresent()) {
            String key = deploymentKey.get();
            if (key.length() >= MIN_KEY) {
                cleaned = cleaned.replace(key, REDACTED);
            }
            if (key.length() >= 2 * PREFIX) {
                cleaned = cleaned.replaceAll(Pattern.quote(key.substring(0, PREFIX)) + "\\S*",
                        Matcher.quoteReplacement(REDACTED));
            }
        }
        return KEY_LIKE.matcher(cleaned).replaceAll(Matcher.quoteReplacement(REDACTED));
    }
}
