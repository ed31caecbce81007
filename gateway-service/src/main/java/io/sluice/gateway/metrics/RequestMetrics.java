package io.sluice.gateway.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    // Looked up once per label set rather than built and looked up in the registry on every request; as bounded as
    // the labels themselves.
    private final Map<Labels, Meters> meters = new ConcurrentHashMap<>();
    private final Map<Route, Timer> firstToken = new ConcurrentHashMap<>();

    private record Labels(String model, String provider, String tier, String outcome, String statusClass) {
    }

    private record Route(String model, String provider) {
    }

    /** The meters one finished request updates. */
    private record Meters(Counter requests, Timer duration, Counter input, Counter output, Counter cached) {
    }

    public RequestMetrics(MeterRegistry registry, ModelLabels models) {
        this.registry = registry;
        this.models = models;
        Gauge.builder("sluice_active_streams", activeStreams, AtomicInteger::get)
                .description("Streaming responses being relayed right now")
                .register(registry);
    }

    public void finished(UsageEvent event) {
        Labels labels = new Labels(models.of(event.model(), event.deployment() != null), orNone(event.provider()),
                orNone(event.tier()), event.outcome().wire(), StatusClass.of(event.status()));
        Meters meters = this.meters.computeIfAbsent(labels, this::register);
        meters.requests().increment();
        meters.duration().record(event.latencyMs(), TimeUnit.MILLISECONDS);
        if (event.stream() && event.timeToFirstTokenMs() >= 0) {
            firstToken.computeIfAbsent(new Route(labels.model(), labels.provider()),
                    key -> Timer.builder("gen_ai.server.time_to_first_token")
                            .description("Streaming requests: until the first event reached the client")
                            .tags("model", key.model(), "provider", key.provider())
                            .serviceLevelObjectives(LATENCY_BUCKETS)
                            .register(registry))
                    .record(event.timeToFirstTokenMs(), TimeUnit.MILLISECONDS);
        }
        if (event.cacheHit()) {
            return; // answered from the response cache: its event carries tokens saved, not billed
        }
        meters.input().increment(Math.max(0, event.promptTokens()));
        meters.output().increment(Math.max(0, event.completionTokens()));
        meters.cached().increment(Math.max(0, event.cachedTokens()));
    }

    private Meters register(Labels labels) {
        return new Meters(
                Counter.builder("sluice_requests_total")
                        .description("Inference requests by how they ended")
                        .tags("model", labels.model(), "provider", labels.provider(), "tier", labels.tier(),
                                "outcome", labels.outcome(), "status_class", labels.statusClass())
                        .register(registry),
                Timer.builder("gen_ai.server.request.duration")
                        .description("Whole request at the gateway, authentication to last byte")
                        .tags("model", labels.model(), "provider", labels.provider(), "outcome", labels.outcome())
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry),
                tokens(labels, "input"), tokens(labels, "output"), tokens(labels, "cached"));
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
    private Counter tokens(Labels labels, String type) {
        return Counter.builder("sluice_tokens_total")
                .description("Tokens billed, by type (cached = input served from the provider's prompt cache)")
                .tags("model", labels.model(), "provider", labels.provider(), "tier", labels.tier(), "type", type)
                .register(registry);
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
