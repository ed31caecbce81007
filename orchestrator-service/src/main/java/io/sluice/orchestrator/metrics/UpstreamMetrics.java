package io.sluice.orchestrator.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.contracts.StatusClass;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.service.UpstreamCallException;

/**
 * What the providers do, per deployment: every attempt (retries included) by status class, and how long each took
 * until Sluice could commit to its answer (the whole body, or a stream's first chunk). Labels are catalogue names
 * only, so they are bounded by configuration.
 */
@ApplicationScoped
public class UpstreamMetrics {
    private static final Duration[] BUCKETS = { Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(120) };

    private final MeterRegistry registry;
    // Looked up once per label set, not in the registry on every call; bounded by the catalogue.
    private final Map<Attempt, Counter> attempts = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();

    private record Attempt(String deployment, String statusClass) {
    }

    public UpstreamMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void answered(Deployment deployment, int status, long startNanos) {
        attempt(deployment, StatusClass.of(status), startNanos);
    }

    public void failed(Deployment deployment, UpstreamCallException failure, long startNanos) {
        String code = failure.failure().error().error().code();
        // Timeouts and connection failures got no HTTP answer at all.
        boolean noAnswer = "upstream_timeout".equals(code) || "upstream_unavailable".equals(code);
        attempt(deployment, noAnswer ? StatusClass.NO_ANSWER : StatusClass.of(failure.failure().status()),
                startNanos);
    }

    /** Every deployment was tried and the router waits to start another round. */
    public void retryRound(String model) {
        Counter.builder("sluice_upstream_retries_total").description("Retry rounds after every candidate failed")
                .tag("model", model).register(registry).increment();
    }

    /** The model's own deployments could not answer; one of its fallback models is tried. */
    public void fellBack(String model) {
        Counter.builder("sluice_fallbacks_total").description("Calls routed to a fallback model")
                .tag("model", model).register(registry).increment();
    }

    private void attempt(Deployment deployment, String statusClass, long startNanos) {
        attempts.computeIfAbsent(new Attempt(deployment.name(), statusClass), key -> Counter
                        .builder("sluice_upstream_requests_total").description("Calls to deployments, retries included")
                        .tags("deployment", deployment.name(), "provider", deployment.providerLabel(),
                                "status_class", statusClass)
                        .register(registry))
                .increment();
        durations.computeIfAbsent(deployment.name(), key -> Timer.builder("sluice_upstream_duration")
                        .description("Call start until the answer (or first chunk)")
                        .tags("deployment", deployment.name(), "provider", deployment.providerLabel())
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry))
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
