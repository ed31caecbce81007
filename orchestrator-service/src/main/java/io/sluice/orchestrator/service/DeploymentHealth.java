package io.sluice.orchestrator.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ModelCatalog;
import io.sluice.orchestrator.config.RoutingConfig;

/**
 * Per-deployment health: one SmallRye Fault Tolerance circuit breaker per deployment (named
 * {@code deployment-<name>}, so that it can be listed, reset and graphed), and the cool-down a provider's
 * {@code Retry-After} imposes. Both decide whether the router may pick a deployment.
 */
@ApplicationScoped
public class DeploymentHealth {
    private static final TypeLiteral<Uni<UpstreamAnswer>> ANSWER = new TypeLiteral<>() {
    };

    private final Map<String, Guard> guards = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> coolDownUntilMillis = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> openedAtMillis = new ConcurrentHashMap<>();
    private final CircuitBreakerMaintenance maintenance;
    private final long breakerDelayMillis;
    private final Clock clock;

    public DeploymentHealth(ModelCatalog catalog, RoutingConfig routing, CircuitBreakerMaintenance maintenance,
            MeterRegistry registry, Clock clock) {
        this.maintenance = maintenance;
        this.clock = clock;
        RoutingConfig.CircuitBreaker breaker = routing.circuitBreaker();
        this.breakerDelayMillis = breaker.delay().toMillis();
        for (Deployment deployment : catalog.deployments()) {
            String name = breakerName(deployment.name());
            guards.put(deployment.name(), Guard.create()
                    .withDescription(name)
                    .withCircuitBreaker()
                    .name(name)
                    .requestVolumeThreshold(breaker.requestVolumeThreshold())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(breaker.successThreshold())
                    // Only the deployment's own faults open its breaker: not a client's bad request, not a rate
                    // limit, not a bug of ours (the router fails that request with a 500 and logs it).
                    .when(err -> err instanceof UpstreamCallException call && call.deploymentFault())
                    .onStateChange(state -> breakerChanged(deployment.name(), state))
                    .done()
                    .withThreadOffload(false)
                    .build());
            coolDownUntilMillis.put(deployment.name(), new AtomicLong());
            openedAtMillis.put(deployment.name(), new AtomicLong());
            Gauge.builder("sluice_circuit_breaker_state", () -> stateCode(deployment.name()))
                    .description("Circuit breaker of a deployment: 0 closed, 1 open, 2 half-open")
                    .tag("deployment", deployment.name())
                    .register(registry);
        }
    }

    public static String breakerName(String deployment) {
        return "deployment-" + deployment;
    }

    /** Runs one call to the deployment through its circuit breaker (an open breaker fails it at once). */
    public Uni<UpstreamAnswer> guard(Deployment deployment, Supplier<Uni<UpstreamAnswer>> call) {
        Guard guard = guards.get(deployment.name());
        return Uni.createFrom().deferred(() -> guard.get(call, ANSWER));
    }

    /**
     * Whether the router may send a call to the deployment now. An open breaker whose delay has passed counts as
     * available: it turns half-open only when a call reaches it, and that trial call is what may close it again.
     */
    public boolean available(Deployment deployment) {
        if (coolDownUntil(deployment.name()).isPresent()) {
            return false;
        }
        return state(deployment.name()) != CircuitBreakerState.OPEN
                || clock.millis() >= openedAtMillis.get(deployment.name()).get() + breakerDelayMillis;
    }

    private void breakerChanged(String deployment, CircuitBreakerState state) {
        if (state == CircuitBreakerState.OPEN) {
            openedAtMillis.get(deployment).set(clock.millis());
        }
        Log.infof("circuit breaker %s is now %s", breakerName(deployment), state);
    }

    /** Keeps calls away from the deployment until the provider's Retry-After has passed. */
    public void coolDown(Deployment deployment, Duration duration) {
        long until = clock.millis() + duration.toMillis();
        coolDownUntilMillis.get(deployment.name()).accumulateAndGet(until, Math::max);
        Log.infof("deployment %s cools down for %d ms (Retry-After)", deployment.name(), duration.toMillis());
    }

    public Optional<Instant> coolDownUntil(String deployment) {
        AtomicLong until = coolDownUntilMillis.get(deployment);
        long millis = until == null ? 0 : until.get();
        return millis > clock.millis() ? Optional.of(Instant.ofEpochMilli(millis)) : Optional.empty();
    }

    public CircuitBreakerState state(String deployment) {
        return maintenance.currentState(breakerName(deployment));
    }

    /** Closes the breaker and ends any cool-down. */
    public void reset(String deployment) {
        maintenance.reset(breakerName(deployment));
        coolDownUntilMillis.get(deployment).set(0);
        Log.infof("circuit breaker %s reset", breakerName(deployment));
    }

    private double stateCode(String deployment) {
        return switch (state(deployment)) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
        };
    }
}
