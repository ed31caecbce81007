package io.sluice.gateway.cache;

import java.util.Locale;

/** What the response cache did for a request, as {@code x-sluice-cache} tells the client. */
public enum CacheOutcome {
    /** Answered from a stored answer, without a provider call. */
    HIT,
    /** Nothing stored (or nothing young enough for {@code max-age}, or the cache could not be read): called. */
    MISS,
    /** {@code Cache-Control: no-cache}: called, and the answer replaces what was stored. */
    REFRESH,
    /** {@code Cache-Control: no-store}: neither read nor written. */
    BYPASS;

    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
