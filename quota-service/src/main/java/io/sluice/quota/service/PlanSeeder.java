package io.sluice.quota.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.sluice.contracts.KeyGrant.MemoryPolicy;
import io.sluice.quota.config.PlansConfig;
import io.sluice.quota.entity.Plan;
import io.sluice.quota.model.CacheCaps;
import io.sluice.quota.model.Limits;
import io.sluice.quota.repository.PlanRepository;

/**
 * Inserts the configured plans ({@code sluice.plans}) that the plans table lacks. Configuration holds defaults; a
 * plan already in the table keeps its values, so a change made through the admin API survives restarts.
 * <p>
 * A database that does not answer at start-up does not stop the service (a pod that starts before PostgreSQL, an
 * image build recording its AppCDS archive): seeding is retried with a growing pause, and readiness
 * ({@code PlanSeedingCheck}) stays down until it has succeeded.
 */
@ApplicationScoped
public class PlanSeeder {
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(15);

    private final PlanRepository plans;
    private final PlansConfig config;
    private final Clock clock;
    private volatile boolean seeded;
    private volatile boolean stopping;
    private volatile Throwable lastFailure;

    public PlanSeeder(PlanRepository plans, PlansConfig config, Clock clock) {
        this.plans = plans;
        this.config = config;
        this.clock = clock;
    }

    // Runs after Flyway has migrated (Flyway migrates at start-up, before StartupEvent observers).
    void seedAtStartup(@Observes StartupEvent event) {
        try {
            // Hibernate Reactive needs a Vert.x context; the start-up thread waits, it is not an event loop.
            markSeeded(VertxContextSupport.subscribeAndAwait(() -> insertMissing(config.plans())));
        } catch (Throwable failure) {
            retryLater(FIRST_RETRY, failure);
        }
    }

    // A retry still waiting when the service stops would run against a container that is gone.
    void stopRetrying(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Whether the configured plans are in the table; until then the service is not ready. */
    public boolean seeded() {
        return seeded;
    }

    /** Why the last attempt failed; empty before the first failure and once seeded. */
    public Optional<Throwable> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** Inserts each plan that does not exist; returns the names of those inserted. */
    public Uni<List<String>> insertMissing(Map<String, PlansConfig.PlanLimits> defaults) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> Multi.createFrom().iterable(defaults.entrySet())
                .onItem().transformToUniAndConcatenate(entry -> {
                    PlansConfig.PlanLimits limits = entry.getValue();
                    Plan plan = Plan.create(entry.getKey(), new Limits(limits.requestsPerMinute(),
                            limits.requestsPerHour(), limits.requestsPerDay(), limits.tokensPerDay()),
                            new CacheCaps(limits.cacheMaxTtlSeconds(), limits.cacheMaxBytes()),
                            new MemoryPolicy(limits.memoryMaxItems().orElse(MemoryPolicy.DEFAULT.maxItems()),
                                    limits.memoryRetentionDays().orElse(MemoryPolicy.DEFAULT.retentionDays())),
                            now);
                    // A null item (plan already there) is dropped from the stream.
                    return plans.insertIfAbsent(plan).map(isNew -> isNew ? plan.name : null);
                })
                .collect().asList());
    }

    private void markSeeded(List<String> inserted) {
        lastFailure = null;
        seeded = true;
        if (!inserted.isEmpty()) {
            Log.infof("Seeded plans %s from sluice.plans", inserted);
        }
    }

    private void retryLater(Duration pause, Throwable failure) {
        // The innermost cause says what is wrong (ConnectException), not the wrappers of the await and the session.
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        lastFailure = cause;
        Log.warnf("Cannot seed the plans yet (%s); not ready, next attempt in %d ms", cause, pause.toMillis());
        Duration next = pause.multipliedBy(2).compareTo(LONGEST_RETRY) < 0 ? pause.multipliedBy(2) : LONGEST_RETRY;
        // The pause ends on a worker thread, from where the attempt gets a Vert.x context of its own, as Hibernate
        // Reactive needs (VertxContextSupport refuses an event-loop thread, where a failed attempt ends).
        Uni.createFrom().voidItem().onItem().delayIt().by(pause)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .subscribe().with(ignored -> {
                    if (!stopping) {
                        VertxContextSupport.subscribe(() -> insertMissing(config.plans()).toMulti(),
                                attempt -> attempt.with(this::markSeeded, nextFailure -> retryLater(next, nextFailure)));
                    }
                });
    }
}
