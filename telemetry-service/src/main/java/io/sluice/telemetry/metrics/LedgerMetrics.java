package io.sluice.telemetry.metrics;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.contracts.ModelName;
import io.sluice.contracts.UsageEvent;
import io.sluice.contracts.metrics.BoundedLabelValues;
import io.sluice.telemetry.config.MetricsConfig;
import io.sluice.telemetry.pricing.PricedUsage;
import io.sluice.telemetry.repository.RowError;

/**
 * Health and business metrics of the usage ledger as Prometheus sees them. The unlabelled series are registered
 * at start-up, so that they exist (at zero) before the first event. Labels are bounded: never a tenant, key or
 * anything a client typed.
 */
@Singleton
public class LedgerMetrics {
    /** Label value for an absent provider or tier. */
    static final String NONE = "none";

    private final MeterRegistry registry;
    private final Counter persisted;
    private final Counter duplicates;
    private final Counter invalid;
    private final Counter deadLettered;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong streamLength = new AtomicLong();
    private final AtomicLong deadLetterLength = new AtomicLong();
    private final BoundedLabelValues models;
    private final BoundedLabelValues providers;
    private final BoundedLabelValues tiers;

    public LedgerMetrics(MeterRegistry registry, MetricsConfig config) {
        this.registry = registry;
        this.models = new BoundedLabelValues(config.maxModelLabels());
        this.providers = new BoundedLabelValues(config.maxModelLabels());
        this.tiers = new BoundedLabelValues(config.maxModelLabels());
        persisted = Counter.builder("sluice.usage.events.persisted")
                .description("Usage events written to the ledger as new rows")
                .register(registry);
        duplicates = Counter.builder("sluice.usage.events.duplicate")
                .description("Usage events delivered again for a request already in the ledger, and skipped")
                .register(registry);
        invalid = Counter.builder("sluice.usage.events.invalid")
                .description("Usage entries that are no usage event (unparseable), moved to the dead-letter stream")
                .register(registry);
        deadLettered = Counter.builder("sluice.usage.events.dead.lettered")
                .description("Usage entries the ledger cannot store (unparseable, or refused by PostgreSQL as data "
                        + "errors), moved to the dead-letter stream")
                .register(registry);
        Gauge.builder("sluice.usage.ledger.pending", pending, AtomicLong::get)
                .description("Stream entries delivered to the telemetry consumer group but not yet acknowledged")
                .register(registry);
        Gauge.builder("sluice.usage.ledger.stream.length", streamLength, AtomicLong::get)
                .description("Entries in the usage event stream (XLEN): events not recorded in the ledger yet, delivered or not")
                .register(registry);
        Gauge.builder("sluice.usage.ledger.dead.letter.length", deadLetterLength, AtomicLong::get)
                .description("Entries in the dead-letter stream (XLEN): usage the ledger could not store, waiting "
                        + "for an operator to replay or delete them")
                .register(registry);
    }

    /**
     * Counts one batch: its new rows (and their cost, or what a response cache hit saved, once per row) and the
     * events skipped as duplicates.
     */
    public void recorded(Iterable<PricedUsage> newRows, int inserted, int skippedAsDuplicate) {
        persisted.increment(inserted);
        duplicates.increment(skippedAsDuplicate);
        for (PricedUsage row : newRows) {
            if (row.costMicroUsd() > 0) {
                usd("sluice.cost.usd", "Priced usage in USD, counted once per ledger row", row.event())
                        .increment(row.costMicroUsd() / 1_000_000d);
            }
            if (row.savedMicroUsd() > 0) {
                usd("sluice.cache.saved.usd", "What the answers from the response cache would have cost in USD "
                        + "(they cost 0), counted once per ledger row", row.event())
                        .increment(row.savedMicroUsd() / 1_000_000d);
            }
        }
    }

    /** Counts one entry written to the dead-letter stream. */
    public void deadLettered(RowError error) {
        deadLettered.increment();
        if (RowError.INVALID.equals(error.kind())) {
            invalid.increment();
        }
    }

    public void pending(long count) {
        pending.set(count);
    }

    public void streamLength(long length) {
        streamLength.set(length);
    }

    public void deadLetterLength(long length) {
        deadLetterLength.set(length);
    }

    /** A USD counter labelled by the event's model, provider and tier, bounded alike for every such counter. */
    private Counter usd(String name, String description, UsageEvent event) {
        // Only a request that reached the catalogue (it has a deployment) names a configured model. A cache hit
        // carries the deployment of the answer it reuses.
        String model = models.of(event.model(), event.deployment() != null && ModelName.isValid(event.model()));
        return Counter.builder(name)
                .description(description)
                .tag("model", model)
                .tag("provider", label(providers, event.provider()))
                .tag("tier", label(tiers, event.tier()))
                .register(registry);
    }

    /** {@link #NONE} for an absent value; otherwise a bounded label of the same charset as model names. */
    private static String label(BoundedLabelValues values, String value) {
        return value == null || value.isBlank() ? NONE : values.of(value, ModelName.isValid(value));
    }
}
