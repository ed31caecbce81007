package io.sluice.orchestrator.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.sluice.orchestrator.catalog.DeploymentLimits;
import io.sluice.orchestrator.catalog.ModelCatalog;
import io.sluice.orchestrator.config.CatalogConfig;
import io.sluice.orchestrator.config.ProviderLimitsConfig;

/**
 * The windows of the provider quotas without Redis: the exact keys and turns for an injected clock, the limits a
 * deployment gets from its own settings and its provider type's defaults, and the size of the blocks (leases) a
 * replica takes when hour and day windows are set. What the script decides per window runs against a real Redis in
 * {@code ProviderLimitsTest}.
 */
class ProviderRateLimiterWindowsTest {

    /** 2026-12-07T23:59:30.250Z: epoch minute 29,944,799, hour 499,079, day 20,794. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T23:59:30.250Z"), ZoneOffset.UTC);

    @Test
    void eachWindowHasItsOwnKeyStampedWithTheEpochMinuteHourOrDayUnderTheDeploymentsHashTag() {
        String prefix = "sluice:pl:{gpt-a}";
        assertEquals("sluice:pl:{gpt-a}:rpm:29944799", ProviderLimitWindow.REQUESTS_PER_MINUTE.key(prefix, CLOCK));
        assertEquals("sluice:pl:{gpt-a}:tpm:29944799", ProviderLimitWindow.TOKENS_PER_MINUTE.key(prefix, CLOCK));
        assertEquals("sluice:pl:{gpt-a}:rph:499079", ProviderLimitWindow.REQUESTS_PER_HOUR.key(prefix, CLOCK));
        assertEquals("sluice:pl:{gpt-a}:rpd:20794", ProviderLimitWindow.REQUESTS_PER_DAY.key(prefix, CLOCK));
        assertEquals("sluice:pl:{gpt-a}:tpd:20794", ProviderLimitWindow.TOKENS_PER_DAY.key(prefix, CLOCK));
    }

    @Test
    void eachWindowTurnsAtTheEndOfItsMinuteHourOrUtcDay() {
        assertEquals(Instant.parse("2026-12-08T00:00:00Z"), ProviderLimitWindow.REQUESTS_PER_MINUTE.resetsAt(CLOCK));
        assertEquals(Instant.parse("2026-12-08T00:00:00Z"), ProviderLimitWindow.REQUESTS_PER_HOUR.resetsAt(CLOCK));
        assertEquals(Instant.parse("2026-12-08T00:00:00Z"), ProviderLimitWindow.TOKENS_PER_DAY.resetsAt(CLOCK));
        Clock midDay = Clock.offset(CLOCK, Duration.ofHours(13).plusMinutes(1)); // 2026-12-08T13:00:30.250Z
        assertEquals(Instant.parse("2026-12-08T13:01:00Z"), ProviderLimitWindow.REQUESTS_PER_MINUTE.resetsAt(midDay));
        assertEquals(Instant.parse("2026-12-08T14:00:00Z"), ProviderLimitWindow.REQUESTS_PER_HOUR.resetsAt(midDay));
        assertEquals(Instant.parse("2026-12-09T00:00:00Z"), ProviderLimitWindow.REQUESTS_PER_DAY.resetsAt(midDay));
        assertEquals(ProviderLimitWindow.REQUESTS_PER_HOUR, ProviderLimitWindow.ofSuffix("rph"));
    }

    @Test
    void anOpenAiDeploymentWithNoRatesOfItsOwnGetsTheTypesMinuteHourAndDayDefaults() {
        ModelCatalog catalog = catalog(Map.of());
        DeploymentLimits limits = limits(catalog, "plain");
        assertEquals(List.of(60L, 1_000L, 10_000L, 0L, 0L), List.of((long) limits.requestsPerMinute(),
                limits.requestsPerHour(), limits.requestsPerDay(), limits.tokensPerMinute(), limits.tokensPerDay()));
    }

    @Test
    void aDeploymentStatingItsOwnRateGetsNoHourOrDayWindowItDidNotState() {
        ModelCatalog catalog = catalog(Map.of(
                "sluice.catalog.models.m.deployments[0].requests-per-minute", "1000000"));
        DeploymentLimits limits = limits(catalog, "plain");
        assertEquals(1_000_000, limits.requestsPerMinute());
        assertEquals(0, limits.requestsPerHour());
        assertEquals(0, limits.requestsPerDay());

        catalog = catalog(Map.of("sluice.catalog.models.m.deployments[0].requests-per-hour", "3",
                "sluice.catalog.models.m.deployments[0].tokens-per-day", "5000"));
        limits = limits(catalog, "plain");
        assertEquals(60, limits.requestsPerMinute(), "the minute's default applies as before");
        assertEquals(3, limits.requestsPerHour());
        assertEquals(0, limits.requestsPerDay());
        assertEquals(5_000, limits.tokensPerDay());
        assertTrue(limits.countsTokens());
    }

    @Test
    void otherProviderTypesKeepOnlyTheirMinuteDefault() {
        DeploymentLimits limits = limits(catalog(Map.of(
                "sluice.catalog.models.m.deployments[0].provider", "anthropic")), "plain");
        assertEquals(50, limits.requestsPerMinute());
        assertEquals(0, limits.requestsPerHour());
        assertEquals(0, limits.requestsPerDay());
    }

    @Test
    void aZeroHourOrDayLimitIsRefusedAtStartUp() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> catalog(Map.of("sluice.catalog.models.m.deployments[0].requests-per-day", "0")));
        assertTrue(refused.getMessage().contains("requests-per-day must be at least 1"), refused.getMessage());
    }

    @Test
    void aBlockIsLeasedFromTheTightestWindowOnItsPerMinuteRate() {
        ProviderRateLimiter limiter = new ProviderRateLimiter(null, catalog(Map.of()), config(Map.of()),
                new SimpleMeterRegistry());
        // 1% of 1,000 a minute: blocks of 10, as before.
        assertEquals(10, limiter.blockRequests(new DeploymentLimits(1_000, 0, 1, Duration.ZERO)));
        // The seeds' 60/min, 1,000/hour, 10,000/day: one call at a time.
        assertEquals(1, limiter.blockRequests(new DeploymentLimits(60, 0, 1, Duration.ZERO, 1_000, 10_000, 0)));
        // 1,000/hour is 16 a minute: 1% of it is less than a call, so one call at a time although the minute allows 10.
        assertEquals(1, limiter.blockRequests(new DeploymentLimits(1_000, 0, 1, Duration.ZERO, 1_000, 0, 0)));
        // 300,000/hour is 5,000 a minute: blocks of 50, not the minute's 100.
        assertEquals(50, limiter.blockRequests(new DeploymentLimits(10_000, 0, 1, Duration.ZERO, 300_000, 0, 0)));
        // 1,440,000/day is 1,000 a minute: blocks of 10.
        assertEquals(10, limiter.blockRequests(
                new DeploymentLimits(100_000, 0, 1, Duration.ZERO, 0, 1_440_000, 0)));
        // Tokens likewise: 1% of 10M a minute, or of 14.4M a day (10,000 a minute).
        assertEquals(100_000, limiter.tokenShare(new DeploymentLimits(1_000, 10_000_000, 1, Duration.ZERO)));
        assertEquals(100, limiter.tokenShare(
                new DeploymentLimits(1_000, 10_000_000, 1, Duration.ZERO, 0, 0, 14_400_000)));
        assertEquals(0, limiter.tokenShare(new DeploymentLimits(1_000, 0, 1, Duration.ZERO)));
    }

    private static DeploymentLimits limits(ModelCatalog catalog, String deployment) {
        return catalog.limits(catalog.deployment(deployment).orElseThrow());
    }

    private static ModelCatalog catalog(Map<String, String> properties) {
        SmallRyeConfig config = smallRyeConfig(properties);
        return new ModelCatalog(config.getConfigMapping(CatalogConfig.class),
                config.getConfigMapping(ProviderLimitsConfig.class));
    }

    private static ProviderLimitsConfig config(Map<String, String> properties) {
        return smallRyeConfig(properties).getConfigMapping(ProviderLimitsConfig.class);
    }

    private static SmallRyeConfig smallRyeConfig(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>();
        all.put("sluice.catalog.models.m.deployments[0].name", "plain");
        all.put("sluice.catalog.models.m.deployments[0].provider", "openai");
        all.put("sluice.catalog.models.m.deployments[0].base-url", "http://localhost:1/v1");
        all.put("sluice.catalog.models.m.deployments[0].upstream-model", "gpt-4o");
        all.put("sluice.provider-limits.defaults.openai.requests-per-minute", "60");
        all.put("sluice.provider-limits.defaults.openai.requests-per-hour", "1000");
        all.put("sluice.provider-limits.defaults.openai.requests-per-day", "10000");
        all.put("sluice.provider-limits.defaults.anthropic.requests-per-minute", "50");
        all.putAll(properties);
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(all, "test", 100))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(CatalogConfig.class)
                .withMapping(ProviderLimitsConfig.class)
                .build();
    }
}
