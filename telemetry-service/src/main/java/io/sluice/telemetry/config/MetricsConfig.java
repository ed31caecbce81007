package io.sluice.telemetry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds on the ledger's business metrics. */
@ConfigMapping(prefix = "sluice.metrics")
public interface MetricsConfig {

    /**
     * Distinct values of each label of {@code sluice_cost_usd_total} (model, provider, tier) before further ones are
     * counted as "other": events come from the gateway, which validates them, but also from an operator's replay of
     * dead letters and the fallback intake, so telemetry bounds them itself.
     */
    @WithDefault("100")
    int maxModelLabels();
}
