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

    private void record(UsageEvent event) {
        metrics.recorded(List.of(new PricedUsage(event, 1_000)), 1, 0);
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
