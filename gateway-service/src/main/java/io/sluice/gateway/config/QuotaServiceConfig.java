package io.sluice.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The control plane asked on a key-cache miss; the REST client's URL is derived from this one setting. */
@ConfigMapping(prefix = "sluice.quota-service")
public interface QuotaServiceConfig {
    @WithDefault("http://localhost:8082")
    String url();
}
