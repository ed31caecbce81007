package io.sluice.gateway.cache;

import java.util.Locale;

import io.sluice.contracts.ApiError;
import io.sluice.contracts.rest.ApiException;

/**
 * What a request's {@code Cache-Control} header asks of the response cache (RFC 9111 request directives): {@code
 * no-cache} calls the provider and stores the answer, {@code no-store} neither reads nor writes, {@code max-age=N}
 * accepts only an entry at most N seconds old, {@code only-if-cached} wants a stored answer or a 504. Directives
 * this cache has no use for are ignored, as HTTP caches ignore them; a {@code max-age} that is not a number of
 * seconds is refused, so that a client's mistake does not silently serve stale answers.
 *
 * @param maxAgeSeconds null when the request sets no bound
 */
public record CacheDirectives(boolean noCache, boolean noStore, Long maxAgeSeconds, boolean onlyIfCached) {
    public static final CacheDirectives NONE = new CacheDirectives(false, false, null, false);
    /** A longer header is refused rather than scanned. */
    private static final int MAX_HEADER_LENGTH = 512;

    public static CacheDirectives parse(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        if (header.length() > MAX_HEADER_LENGTH) {
            throw invalid("The Cache-Control header is longer than " + MAX_HEADER_LENGTH + " characters.");
        }
        boolean noCache = false;
        boolean noStore = false;
        boolean onlyIfCached = false;
        Long maxAge = null;
        for (String part : header.split(",")) {
            String directive = part.strip().toLowerCase(Locale.ROOT);
            int equals = directive.indexOf('=');
            String name = equals < 0 ? directive : directive.substring(0, equals).strip();
            switch (name) {
                case "no-cache" -> noCache = true;
                case "no-store" -> noStore = true;
                case "only-if-cached" -> onlyIfCached = true;
                case "max-age" -> maxAge = seconds(equals < 0 ? "" : directive.substring(equals + 1).strip());
                default -> {
                    // not a request directive this cache acts on
                }
            }
        }
        return new CacheDirectives(noCache, noStore, maxAge, onlyIfCached);
    }

    private static long seconds(String value) {
        String unquoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
        if (unquoted.isEmpty() || unquoted.length() > 10 || !unquoted.chars().allMatch(Character::isDigit)) {
            throw invalid("Cache-Control max-age must be a number of seconds.");
        }
        return Long.parseLong(unquoted);
    }

    /** Whether a stored answer may be read: not when the client asks for a fresh one or forbids the cache. */
    public boolean mayRead() {
        return !noCache && !noStore;
    }

    private static ApiException invalid(String message) {
        return new ApiException(400, ApiError.invalidRequest("invalid_cache_control", "Cache-Control", message));
    }
}
