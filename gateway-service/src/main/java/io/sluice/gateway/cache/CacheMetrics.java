package io.sluice.gateway.cache;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * The response cache's metrics, without tenant labels: lookups by kind and result, lookup latency, stores by
 * result, evictions, and the presence filter's state and the misses it answered. The cost a hit saved is the ledger's ({@code sluice_cache_saved_usd_total}, exported by
 * telemetry-service, which prices every row).
 */
// Started eagerly so that every lookup series exists at zero, and hit-rate ratios have both sides from boot.
@Startup
@ApplicationScoped
public class CacheMetrics {
    /** A lookup that failed (Redis slow or down) and was answered as a miss. */
    static final String ERROR = "error";

    private final Map<String, Map<CacheOutcome, Counter>> lookups = new HashMap<>();
    private final Map<String, Counter> errors = new HashMap<>();
    private final Map<String, Timer> latency = new HashMap<>();
    /** By result; registered on first use, then reused (a meter lookup per stored answer costs more than its count). */
    private final Map<String, Counter> stores = new java.util.concurrent.ConcurrentHashMap<>();
    private final Counter evictions;
    private final Counter filteredMisses;
    private final AtomicInteger presenceFilterReady = new AtomicInteger();
    private final MeterRegistry registry;

    public CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String kind : List.of(CacheLookup.EXACT, CacheLookup.SEMANTIC)) {
            Map<CacheOutcome, Counter> byOutcome = new EnumMap<>(CacheOutcome.class);
            for (CacheOutcome outcome : CacheOutcome.values()) {
                byOutcome.put(outcome, lookups(registry, kind, outcome.header()));
            }
            lookups.put(kind, byOutcome);
            errors.put(kind, lookups(registry, kind, ERROR));
            latency.put(kind, Timer.builder("sluice_cache_lookup_duration")
                    .description("Response cache lookups, until the answer or the lookup timeout (semantic: the "
                            + "question's embedding and the vector search included)")
                    .tag("kind", kind)
                    .serviceLevelObjectives(Duration.ofNanos(250_000), Duration.ofNanos(500_000),
                            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
                            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
                            Duration.ofMillis(250))
                    .register(registry));
        }
        evictions = Counter.builder("sluice_cache_evictions_total")
                .description("Cached answers evicted to keep a tenant within its byte budget")
                .register(registry);
        filteredMisses = Counter.builder("sluice_cache_presence_filter_misses_total")
                .description("Exact lookups answered as a miss by the presence filter, without reading Redis")
                .register(registry);
        Gauge.builder("sluice_cache_presence_filter_ready", presenceFilterReady, AtomicInteger::get)
                .description("1 while the presence filter answers misses, 0 while every lookup reads Redis")
                .register(registry);
    }

    private static Counter lookups(MeterRegistry registry, String kind, String result) {
        return Counter.builder("sluice_cache_lookups_total")
                .description("Requests of keys with the response cache on, by what the cache did")
                .tags("kind", kind, "result", result)
                .register(registry);
    }

    /** @param kind {@code exact} or {@code semantic} */
    public void outcome(String kind, CacheOutcome outcome) {
        lookups.get(kind).get(outcome).increment();
    }

    /** A lookup that could not be made; the request goes on as a miss (counted apart from real misses). */
    public void lookupFailed(String kind) {
        errors.get(kind).increment();
    }

    public void lookupTook(String kind, long nanos) {
        latency.get(kind).record(Duration.ofNanos(nanos));
    }

    /** A lookup the presence filter answered as a miss (also counted as a miss by {@link #outcome}). */
    public void missWithoutRedis() {
        filteredMisses.increment();
    }

    public void presenceFilterReady(boolean ready) {
        presenceFilterReady.set(ready ? 1 : 0);
    }

    public void evicted(long entries) {
        if (entries > 0) {
            evictions.increment(entries);
        }
    }

    /** A finished answer that was offered to the cache: stored, or why not. */
    public void stored(String result) {
        stores.computeIfAbsent(result, name -> Counter.builder("sluice_cache_stores_total")
                .description("Answers offered to the response cache, by what became of them")
                .tags("result", name.toLowerCase(Locale.ROOT))
                .register(registry)).increment();
    }
}
