package io.sluice.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds on client requests, enforced before anything is forwarded or charged. */
@ConfigMapping(prefix = "sluice.request")
public interface RequestLimitsConfig {
    @WithDefault("1048576")
    long maxBodyBytes();

    @WithDefault("1000")
    int maxMessages();
}
