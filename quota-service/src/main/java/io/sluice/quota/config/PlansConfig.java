package io.sluice.quota.config;

import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

/**
 * The default plans (tiers), keyed by plan name: {@code sluice.plans.<NAME>.requests-per-minute=...}. At start-up
 * each plan missing from the {@code plans} table is inserted from here; from then on the table holds the live values.
 */
@ConfigMapping(prefix = "sluice.plans")
public interface PlansConfig {

    @WithParentName
    Map<String, PlanLimits> plans();

    interface PlanLimits {
        long requestsPerMinute();

        long requestsPerHour();

        long requestsPerDay();

        long tokensPerDay();
    }
}
