package io.sluice.quota.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sluice.quota.config.PlansConfig;
import io.sluice.quota.entity.Plan;
import io.sluice.quota.model.Limits;
import io.sluice.quota.repository.PlanRepository;

/**
 * Inserts the configured plans ({@code sluice.plans}) that the plans table lacks. Configuration holds defaults; a
 * plan already in the table keeps its values, so a change made through the admin API survives restarts.
 */
@ApplicationScoped
public class PlanSeeder {
    private final PlanRepository plans;
    private final PlansConfig config;
    private final Clock clock;

    public PlanSeeder(PlanRepository plans, PlansConfig config, Clock clock) {
        this.plans = plans;
        this.config = config;
        this.clock = clock;
    }

    // Runs after Flyway has migrated (Flyway migrates at start-up, before StartupEvent observers).
    void seedAtStartup(@Observes StartupEvent event) throws Throwable {
        // Hibernate Reactive needs a Vert.x context; the start-up thread waits, it is not an event loop.
        List<String> inserted = VertxContextSupport.subscribeAndAwait(() -> insertMissing(config.plans()));
        if (!inserted.isEmpty()) {
            Log.infof("Seeded plans %s from sluice.plans", inserted);
        }
    }

    /** Inserts each plan that does not exist; returns the names of those inserted. */
    public Uni<List<String>> insertMissing(Map<String, PlansConfig.PlanLimits> defaults) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> Multi.createFrom().iterable(defaults.entrySet())
                .onItem().transformToUniAndConcatenate(entry -> {
                    PlansConfig.PlanLimits limits = entry.getValue();
                    Plan plan = Plan.create(entry.getKey(), new Limits(limits.requestsPerMinute(),
                            limits.requestsPerHour(), limits.requestsPerDay(), limits.tokensPerDay()), now);
                    // A null item (plan already there) is dropped from the stream.
                    return plans.insertIfAbsent(plan).map(isNew -> isNew ? plan.name : null);
                })
                .collect().asList());
    }
}
