package io.sluice.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds on the gateway's business metrics. */
@ConfigMapping(prefix = "sluice.metrics")
public interface MetricsConfig {

    /** Distinct model label values before further models are counted as "other" (the catalogue is smaller). */
    @WithDefault("100")
    int maxModelLabels();
}
