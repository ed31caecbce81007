package io.sluice.gateway.quota;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The answer of a quota store. When admitted, {@code counters} holds one entry per checked limit; when refused,
 * only the limit that refused.
 */
public record QuotaDecision(boolean admitted, List<Counter> counters, boolean degraded) {

    /** A counter after the decision: how much is used, when its window resets, and its store key. */
    public record Counter(QuotaLimit limit, long used, long resetSeconds, String key) {
        public long remaining() {
            return Math.max(0, limit.limit() - used);
        }
    }

    public static QuotaDecision admitted(List<Counter> counters, boolean degraded) {
        return new QuotaDecision(true, counters, degraded);
    }

    public static QuotaDecision refused(Counter refusing, boolean degraded) {
        return new QuotaDecision(false, List.of(refusing), degraded);
    }

    public Optional<Counter> refusing() {
        return admitted ? Optional.empty() : Optional.of(counters.get(0));
    }

    /** Of the counters whose limit matches, the one closest to its limit: what the OpenAI-style headers report. */
    public Optional<Counter> tightest(Predicate<QuotaLimit> which) {
        return counters.stream()
                .filter(c -> which.test(c.limit()))
                .min(Comparator.comparingLong(Counter::remaining));
    }
}
