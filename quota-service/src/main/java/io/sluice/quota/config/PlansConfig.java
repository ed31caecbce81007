package io.sluice.quota.config;

import java.util.Map;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * The default plans (tiers), keyed by plan name: {@code sluice.plans.<NAME>.requests-per-minute=...}, and their
 * response-cache caps and conversation-memory policy. At start-up each plan missing from the {@code plans} table is inserted from here; from then on
 * the table holds the live values.
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

        /** The longest response-cache TTL a tenant on the plan may set (1 to 604800). */
        @WithDefault("3600")
        long cacheMaxTtlSeconds();

        /** The bytes of cached answers each tenant on the plan may keep (0: no caching on the plan). */
        @WithDefault("1048576")
        long cacheMaxBytes();

        /** Items a conversation or response chain keeps (1 to 10000); unset: KeyGrant.MemoryPolicy.DEFAULT's. */
        OptionalInt memoryMaxItems();

        /** Days stored conversation state lives after its last write (1 to 3650); unset: the default's. */
        OptionalInt memoryRetentionDays();
    }
}
