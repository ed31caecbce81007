package io.sluice.telemetry.metrics;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Health of the usage ledger as Prometheus sees it. Registered when the consumer starts, so that every series
 * exists (at zero) before the first event. Never labelled by tenant or key.
 */
@Singleton
public class LedgerMetrics {
    private final Counter persisted;
    private final Counter duplicates;
    private final Counter invalid;
    private final AtomicLong pending = new AtomicLong();

    public LedgerMetrics(MeterRegistry registry) {
        persisted = Counter.builder("sluice.usage.events.persisted")
                .description("Usage events written to the ledger as new rows")
                .register(registry);
        duplicates = Counter.builder("sluice.usage.events.duplicate")
                .description("Usage events delivered again for a request already in the ledger, and skipped")
                .register(registry);
        invalid = Counter.builder("sluice.usage.events.invalid")
                .description("Unparseable usage stream entries, acknowledged and dropped")
                .register(registry);
        Gauge.builder("sluice.usage.ledger.pending", pending, AtomicLong::get)
                .description("Stream entries delivered to the telemetry consumer group but not yet acknowledged")
                .register(registry);
    }

    public void recorded(int inserted, int skippedAsDuplicate) {
        persisted.increment(inserted);
        duplicates.increment(skippedAsDuplicate);
    }

    public void invalid(int count) {
        invalid.increment(count);
    }

    public void pending(long count) {
        pending.set(count);
    }
}
