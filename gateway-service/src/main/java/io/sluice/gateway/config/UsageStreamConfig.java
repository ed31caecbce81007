package io.sluice.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Redis Stream that carries usage events to telemetry-service. */
@ConfigMapping(prefix = "sluice.usage")
public interface UsageStreamConfig {
    /** Approximate bound on the stream; telemetry normally keeps it near empty. */
    @WithDefault("1000000")
    long maxLength();
}
