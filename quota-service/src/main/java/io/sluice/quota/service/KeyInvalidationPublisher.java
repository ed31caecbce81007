package io.sluice.quota.service;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.KeyInvalidations;
import io.sluice.quota.config.RedisCallsConfig;
import io.sluice.quota.entity.ApiKey;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * Tells every gateway replica, over Redis pub/sub, that grants it may have cached are stale. Called after the change
 * is committed, so a gateway that refetches at once sees the new state. Best-effort by design: the admin change has
 * happened whatever Redis does, so a failure is logged and counted, never returned, and the gateways' key-cache TTL
 * bounds how long they can act on the old grant.
 */
@Startup // registers the counters at start-up, so that an alert on failures has a series before the first one
@ApplicationScoped
public class KeyInvalidationPublisher {
    private final Redis redis;
    private final Duration timeout;
    private final Counter published;
    private final Counter failed;

    public KeyInvalidationPublisher(ReactiveRedisDataSource redis, RedisCallsConfig config, MeterRegistry registry) {
        this.redis = redis.getRedis();
        this.timeout = config.timeout();
        this.published = Counter.builder("sluice.key.invalidations.published")
                .description("Key-cache invalidation messages published to the gateways")
                .register(registry);
        this.failed = Counter.builder("sluice.key.invalidations.failed")
                .description("Key-cache invalidation messages that could not be published; gateways fall back to"
                        + " their cache TTL")
                .register(registry);
    }

    /** The key's grant changed (revoked, rotated, new limits): {@code key:<sha256>}. */
    public Uni<Void> keyChanged(ApiKey key) {
        return publish(KeyInvalidations.forKeyHash(key.keyHash), "key " + key.id);
    }

    /** The tenant's plan, overrides or budgets changed, which every key of it carries: {@code tenant:<id>}. */
    public Uni<Void> tenantChanged(UUID tenantId) {
        return publish(KeyInvalidations.forTenant(tenantId.toString()), "tenant " + tenantId);
    }

    /**
     * A plan's limits changed, which every tenant on it carries: {@code plan:<name>}, one message however many
     * tenants are on the plan, so a gateway drops their grants in one scan of its cache.
     */
    public Uni<Void> planChanged(String planName) {
        return publish(KeyInvalidations.forPlan(planName), "plan " + planName);
    }

    // The subject names keys by id: a key hash is not logged.
    private Uni<Void> publish(String message, String subject) {
        return redis.send(Request.cmd(Command.PUBLISH).arg(KeyInvalidations.CHANNEL).arg(message))
                .ifNoItem().after(timeout).fail()
                .invoke(() -> published.increment())
                .onFailure().invoke(failure -> {
                    failed.increment();
                    Log.warnf("Could not publish the key-cache invalidation for %s; gateways keep the old grant until"
                            + " their cache TTL ends: %s", subject, failure.toString());
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
