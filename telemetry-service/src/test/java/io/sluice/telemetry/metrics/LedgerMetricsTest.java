package io.sluice.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.contracts.UsageEvent;
import io.sluice.contracts.UsageEvent.Outcome;
import io.sluice.telemetry.pricing.PricedUsage;

/**
 * The cost metric's labels stay bounded whatever an event holds: the ledger also takes events from an operator's
 * replay of dead letters and from the gateways' fallback intake, not only from the gateway's validated stream.
 */
class LedgerMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LedgerMetrics metrics = new LedgerMetrics(registry, () -> 2);

    @Test
    void aModelOutsideTheModelRuleIsCountedAsOther() {
        record(event("sim-gpt\u0000", "openai", "PRO"));
        record(event("x".repeat(500), "openai", "PRO"));
        assertEquals(Set.of("other"), labels("model"));
    }

    @Test
    void eachLabelTakesAtMostTheConfiguredNumberOfValues() {
        for (int i = 0; i < 5; i++) {
            record(event("model-" + i, "provider-" + i, "TIER" + i));
        }
        assertEquals(Set.of("model-0", "model-1", "other"), labels("model"));
        assertEquals(Set.of("provider-0", "provider-1", "other"), labels("provider"));
        assertEquals(Set.of("TIER0", "TIER1", "other"), labels("tier"));
    }

    @Test
    void aCacheHitCountsWhatItSavedUnderTheSameBoundedLabelsAndNoCost() {
        record(event("model-0", "provider-0", "TIER0"));
        record(event("model-1", "provider-1", "TIER1"));
        UsageEvent hit = UsageEvent.builder("req_hit").tenant("tenant", "key", "TIER2")
                .route("model-2", "provider-0", "deployment").tokens(10, 5, 0).result(200, Outcome.SUCCESS)
                .cacheHit(true).build();
        metrics.recorded(List.of(new PricedUsage(hit, 0, 2_500)), 1, 0);

        Meter saved = registry.find("sluice.cache.saved.usd").meters().stream().findFirst().orElseThrow();
        // The models and tiers already seen by the cost counter fill the bound: labels are bounded alike.
        assertEquals("other", saved.getId().getTag("model"));
        assertEquals("provider-0", saved.getId().getTag("provider"));
        assertEquals("other", saved.getId().getTag("tier"));
        assertEquals(0.0025, registry.find("sluice.cache.saved.usd").counter().count(), 1e-12);
        assertEquals(2, registry.find("sluice.cost.usd").meters().size(), "a hit adds no cost series");
    }

    private void record(UsageEvent event) {
        metrics.recorded(List.of(new PricedUsage(event, 1_000, 0)), 1, 0);
    }

    private Set<String> labels(String tag) {
        return registry.find("sluice.cost.usd").meters().stream().map(Meter::getId).map(id -> id.getTag(tag))
                .collect(Collectors.toSet());
    }

    private static UsageEvent event(String model, String provider, String tier) {
        return UsageEvent.builder("req_" + System.nanoTime()).tenant("tenant", "key", tier)
                .route(model, provider, "deployment").tokens(10, 5, 0).result(200, Outcome.SUCCESS).build();
    }
}
