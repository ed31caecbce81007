package io.sluice.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.contracts.UsageEvent;

/** The gateway's series set depends on models, providers, plans and outcomes, never on tenants or keys. */
class RequestMetricsSeriesTest {

    @Test
    void theSeriesSetIsTheSameForFiveTenantsAndForFiftyTenantsWithThreeKeysEach() {
        Set<String> few = seriesAfterTraffic(5, 1);
        Set<String> many = seriesAfterTraffic(50, 3);

        assertEquals(few, many);
        assertTrue(few.stream().noneMatch(series -> series.contains("tenant") || series.contains("key-")), few
                .toString());
    }

    private static Set<String> seriesAfterTraffic(int tenants, int keysEach) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RequestMetrics metrics = new RequestMetrics(registry, new ModelLabels(() -> 100));
        for (int t = 0; t < tenants; t++) {
            for (int k = 0; k < keysEach; k++) {
                String tenant = "tenant-" + t;
                String key = "key-" + t + "-" + k;
                metrics.finished(UsageEvent.builder("req-" + t + "-" + k)
                        .tenant(tenant, key, t % 2 == 0 ? "PRO" : "FREE")
                        .route("sim-gpt", "openai", "sim-gpt-a").tokens(10, 5, 2).timing(40, 12)
                        .result(200, UsageEvent.Outcome.SUCCESS).stream(true).build());
                metrics.finished(UsageEvent.builder("rej-" + t + "-" + k).tenant(tenant, key, "FREE")
                        .route("typo-" + t + "-" + k, null, null).timing(1, -1)
                        .result(429, UsageEvent.Outcome.REJECTED).build());
            }
        }
        return registry.getMeters().stream().map(Meter::getId)
                .map(id -> id.getName() + id.getTags())
                .collect(Collectors.toSet());
    }
}
