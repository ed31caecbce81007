package io.sluice.quota.config;

import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

/**
 * The plans (tiers) a tenant can be on, keyed by plan name: {@code sluice.plans.<NAME>.requests-per-minute=...}.
 * Defaults live in application.properties; operators override or add plans through configuration.
 */
@ConfigMapping(prefix = "sluice.plans")
public interface PlansConfig {

    @WithParentName
    Map<String, PlanLimits> plans();

    /** The configured plan whose name equals {@code name} ignoring case, so "pro" finds "PRO". */
    default Optional<String> canonicalName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return plans().keySet().stream().filter(plan -> plan.equalsIgnoreCase(name.strip())).findFirst();
    }

    interface PlanLimits {
        long requestsPerMinute();

        long requestsPerHour();

        long requestsPerDay();

        long tokensPerDay();
    }
}
