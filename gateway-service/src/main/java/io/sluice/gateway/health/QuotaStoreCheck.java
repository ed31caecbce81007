package io.sluice.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.sluice.gateway.config.QuotaConfig;
import io.sluice.gateway.quota.QuotaEnforcer;

/**
 * Reports where quota decisions are taken. Stays UP while Redis is away: the failure policy keeps the gateway
 * serving (or refusing with 503 when fail-closed), and taking every replica out of the load balancer would turn a
 * Redis outage into a full outage. The degraded mode is visible here and as {@code sluice_quota_degraded}.
 */
@Readiness
@ApplicationScoped
public class QuotaStoreCheck implements HealthCheck {
    private final QuotaEnforcer quotas;
    private final QuotaConfig config;

    public QuotaStoreCheck(QuotaEnforcer quotas, QuotaConfig config) {
        this.quotas = quotas;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("quota-store").up()
                .withData("mode", quotas.degraded() ? "degraded" : "redis")
                .withData("redis-failure-policy", config.redisFailurePolicy().name().toLowerCase().replace('_', '-'))
                .build();
    }
}
