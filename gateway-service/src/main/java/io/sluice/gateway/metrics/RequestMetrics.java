package io.sluice.gateway.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.sluice.contracts.StatusClass;
import io.sluice.contracts.UsageEvent;
import io.sluice.gateway.quota.QuotaLimit;

/**
 * The gateway's business metrics, one observation per finished request, taken from its usage event. Every label is
 * bounded: model (catalogue aliases or "other"), provider, tier (plan names), outcome and status class; never a
 * tenant, key or prompt. Latency names follow the OpenTelemetry GenAI conventions.
 */
// Started eagerly so that the stream gauge exists from boot.
@Startup
@ApplicationScoped
public class RequestMetrics {
    static final String NONE = "none";
    private static final Duration[] LATENCY_BUCKETS = buckets(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000,
            10_000, 30_000, 60_000, 120_000);

    private final MeterRegistry registry;
    private final ModelLabels models;
    private final AtomicInteger activeStreams = new AtomicInteger();

    public RequestMetrics(MeterRegistry registry, ModelLabels models) {
        this.registry = registry;
        this.models = models;
        Gauge.builder("sluice_active_streams", activeStreams, AtomicInteger::get)
                .description("Streaming responses being relayed right now")
                .register(registry);
    }

    public void finished(UsageEvent event) {
        String model = models.of(event.model(), event.deployment() != null);
        String provider = orNone(event.provider());
        String tier = orNone(event.tier());
        String outcome = event.outcome().wire();
        Counter.builder("sluice_requests_total")
                .description("Inference requests by how they ended")
                .tags("model", model, "provider", provider, "tier", tier, "outcome", outcome,
                        "status_class", StatusClass.of(event.status()))
                .register(registry).increment();
        Timer.builder("gen_ai.server.request.duration")
                .description("Whole request at the gateway, authentication to last byte")
                .tags("model", model, "provider", provider, "outcome", outcome)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry).record(event.latencyMs(), TimeUnit.MILLISECONDS);
        if (event.stream() && event.timeToFirstTokenMs() >= 0) {
            Timer.builder("gen_ai.server.time_to_first_token")
                    .description("Streaming requests: until the first event reached the client")
                    .tags("model", model, "provider", provider)
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry).record(event.timeToFirstTokenMs(), TimeUnit.MILLISECONDS);
        }
        tokens(model, provider, tier, "input", event.promptTokens());
        tokens(model, provider, tier, "output", event.completionTokens());
        tokens(model, provider, tier, "cached", event.cachedTokens());
    }

    public void quotaRejected(String tier, QuotaLimit limit) {
        Counter.builder("sluice_quota_rejections_total")
                .description("Requests refused by a quota or budget, by the limit that refused them")
                .tags("tier", orNone(tier), "limit", limit.window().keyName().replace('-', '_'),
                        "scope", limit.scope().name().toLowerCase())
                .register(registry).increment();
    }

    public void streamStarted() {
        activeStreams.incrementAndGet();
    }

    public void streamEnded() {
        activeStreams.decrementAndGet();
    }

    /** Registered at zero too, so that ratios such as the prompt-cache hit rate have both series. */
    private void tokens(String model, String provider, String tier, String type, int count) {
        Counter.builder("sluice_tokens_total")
                .description("Tokens billed, by type (cached = input served from the provider's prompt cache)")
                .tags("model", model, "provider", provider, "tier", tier, "type", type)
                .register(registry).increment(Math.max(0, count));
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    private static Duration[] buckets(long... millis) {
        Duration[] buckets = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            buckets[i] = Duration.ofMillis(millis[i]);
        }
        return buckets;
    }
}
