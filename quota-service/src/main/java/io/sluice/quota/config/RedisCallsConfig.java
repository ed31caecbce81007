package io.sluice.quota.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long quota-service waits for Redis before giving up on a call (invalidation, quota view, reset). */
@ConfigMapping(prefix = "sluice.redis")
public interface RedisCallsConfig {

    /** Bounds every reactive Redis call; quarkus.redis.timeout bounds only the blocking API, which this service avoids. */
    @WithDefault("1s")
    Duration timeout();
}
