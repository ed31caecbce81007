package io.sluice.quota.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.sluice.quota.config.RedisCallsConfig;

/**
 * Reports in readiness whether Redis answers, without gating readiness on it: the key lookup the gateways depend on
 * needs only PostgreSQL, and only best-effort invalidations and the quota view need Redis (see application.properties
 * at quarkus.redis.health.enabled). An operator reads {@code reachable} here; the status stays UP.
 */
@Readiness
@ApplicationScoped
public class RedisReachabilityCheck implements AsyncHealthCheck {
    static final String NAME = "Redis (not required for readiness: key invalidations, quota views)";

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;

    public RedisReachabilityCheck(ReactiveRedisDataSource redis, RedisCallsConfig config) {
        this.redis = redis;
        this.timeout = config.timeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("PING")
                .ifNoItem().after(timeout).fail()
                .map(pong -> HealthCheckResponse.named(NAME).up().withData("reachable", true).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).up()
                        .withData("reachable", false)
                        .withData("error", failure.getClass().getSimpleName())
                        .build());
    }
}
