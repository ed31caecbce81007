package io.sluice.telemetry.intake;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The fallback sink through which a gateway hands over usage events it could not write to Redis. */
@ConfigMapping(prefix = "sluice.intake")
public interface IntakeConfig {

    /**
     * Most events one {@code POST /internal/usage/events} may carry; each is written in one transaction with the
     * others (row by row after a data error). The body itself is bounded by {@code quarkus.http.limits.max-body-size}.
     */
    @WithDefault("1000")
    int maxEvents();
}
