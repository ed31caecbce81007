package io.sluice.quota.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.sluice.quota.service.PlanSeeder;

/**
 * Not ready until the configured plans are in the table: a service started before its database answers would
 * otherwise take tenants' requests for plans it has not written yet.
 */
@Readiness
@ApplicationScoped
public class PlanSeedingCheck implements HealthCheck {
    static final String NAME = "plans seeded";

    private final PlanSeeder seeder;

    public PlanSeedingCheck(PlanSeeder seeder) {
        this.seeder = seeder;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(seeder.seeded());
        // The exception's class only: its message may carry a host name or a user name.
        seeder.lastFailure().ifPresent(failure -> response.withData("error", failure.getClass().getSimpleName()));
        return response.build();
    }
}
