package io.sluice.gateway.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the gateway reads usage reports from (telemetry-service owns the ledger). */
@ConfigMapping(prefix = "sluice.telemetry")
public interface TelemetryConfig {
    @WithDefault("http://localhost:8083")
    String url();

    /** A report over a long range aggregates many rows; beyond this the client gets a 504. */
    @WithDefault("15s")
    Duration reportTimeout();
}
