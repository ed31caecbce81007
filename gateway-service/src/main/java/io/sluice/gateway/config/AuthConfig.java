package io.sluice.gateway.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The in-process API-key cache that keeps quota-service off the hot path. */
@ConfigMapping(prefix = "sluice.auth")
public interface AuthConfig {
    /** Upper bound on how long a revoked key can still be accepted by this replica. */
    @WithDefault("30s")
    Duration cacheTtl();

    /** Unknown keys are remembered briefly so that a flood of bad keys does not reach quota-service. */
    @WithDefault("5s")
    Duration negativeCacheTtl();

    @WithDefault("100000")
    long cacheMaxSize();

    /**
     * While quota-service cannot answer (it or PostgreSQL down), a key verified within this long is still accepted,
     * so that a control-plane outage does not stop inference. Revocations still apply at once through
     * invalidation; 0 turns this off.
     */
    @WithDefault("10m")
    Duration staleIfError();

    /**
     * Key lookups at quota-service in flight at once (cache misses of distinct keys). Beyond it a lookup is not
     * queued: the request gets 503 {@code auth_unavailable} with {@code retry-after} (or the key's last confirmed
     * grant, as while quota-service is down).
     */
    @WithDefault("64")
    int maxConcurrentLookups();
}
