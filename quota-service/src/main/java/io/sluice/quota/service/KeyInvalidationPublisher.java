package io.sluice.quota.service;

import java.time.Duration;
import java.util.List;
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
        return publish(List.of(KeyInvalidations.forKeyHash(key.keyHash)), "key " + key.id);
    }

    /** The tenant's plan, overrides or budgets changed, which every key of it carries: {@code tenant:<id>}. */
    public Uni<Void> tenantChanged(UUID tenantId) {
        return tenantsChanged(List.of(tenantId));
    }

    public Uni<Void> tenantsChanged(List<UUID> tenantIds) {
        if (tenantIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> messages = tenantIds.stream().map(id -> KeyInvalidations.forTenant(id.toString())).toList();
        return publish(messages, tenantIds.size() == 1 ? "tenant " + tenantIds.get(0)
                : tenantIds.size() + " tenants");
    }

    // One pipelined batch, however many messages: a plan change may concern many tenants.
    // The subject names keys by id: a key hash is not logged.
    private Uni<Void> publish(List<String> messages, String subject) {
        List<Request> requests = messages.stream()
                .map(message -> Request.cmd(Command.PUBLISH).arg(KeyInvalidations.CHANNEL).arg(message))
                .toList();
        return redis.batch(requests)
                .ifNoItem().after(timeout).fail()
                .invoke(() -> published.increment(messages.size()))
                .onFailure().invoke(failure -> {
                    failed.increment(messages.size());
                    Log.warnf("Could not publish the key-cache invalidation for %s; gateways keep the old grant until"
                            + " their cache TTL ends: %s", subject, failure.toString());
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
