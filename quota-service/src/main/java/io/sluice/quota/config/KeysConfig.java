package io.sluice.quota.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Lifecycle of API keys. */
@ConfigMapping(prefix = "sluice.keys")
public interface KeysConfig {

    /** How long a rotated key keeps working next to its replacement, so clients can switch without an outage. */
    @WithDefault("24h")
    Duration rotationGrace();
}
