package io.sluice.gateway.cache;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * The response cache's metrics, without tenant labels: lookups by kind and result, lookup latency, stores by
 * result and evictions. The cost a hit saved is the ledger's ({@code sluice_cache_saved_usd_total}, exported by
 * telemetry-service, which prices every row).
 */
// Started eagerly so that every lookup series exists at zero, and hit-rate ratios have both sides from boot.
@Startup
@ApplicationScoped
public class CacheMetrics {
    /** A lookup that failed (Redis slow or down) and was answered as a miss. */
    static final String ERROR = "error";

    private final Map<CacheOutcome, Counter> exactLookups = new EnumMap<>(CacheOutcome.class);
    private final Counter exactErrors;
    private final Timer lookupLatency;
    private final Counter evictions;
    private final MeterRegistry registry;

    public CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (CacheOutcome outcome : CacheOutcome.values()) {
            exactLookups.put(outcome, lookups(registry, "exact", outcome.header()));
        }
        exactErrors = lookups(registry, "exact", ERROR);
        lookupLatency = Timer.builder("sluice_cache_lookup_duration")
                .description("Response cache lookups in Redis, until the answer or the lookup timeout")
                .serviceLevelObjectives(Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
                        Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100))
                .register(registry);
        evictions = Counter.builder("sluice_cache_evictions_total")
                .description("Cached answers evicted to keep a tenant within its byte budget")
                .register(registry);
    }

    private static Counter lookups(MeterRegistry registry, String kind, String result) {
        return Counter.builder("sluice_cache_lookups_total")
                .description("Requests of keys with the response cache on, by what the cache did")
                .tags("kind", kind, "result", result)
                .register(registry);
    }

    public void outcome(CacheOutcome outcome) {
        exactLookups.get(outcome).increment();
    }

    /** A lookup that could not be made; the request goes on as a miss (counted apart from real misses). */
    public void lookupFailed() {
        exactErrors.increment();
    }

    public void lookupTook(long nanos) {
        lookupLatency.record(Duration.ofNanos(nanos));
    }

    public void evicted(long entries) {
        if (entries > 0) {
            evictions.increment(entries);
        }
    }

    /** A finished answer that was offered to the cache: stored, or why not. */
    public void stored(String result) {
        Counter.builder("sluice_cache_stores_total")
                .description("Answers offered to the response cache, by what became of them")
                .tags("result", result.toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }
}
