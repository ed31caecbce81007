package io.sluice.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds on what the orchestrator accepts from the gateway. */
@ConfigMapping(prefix = "sluice.request")
public interface RequestLimitsConfig {
    @WithDefault("4194304")
    long maxBodyBytes();
}
