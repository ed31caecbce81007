package io.sluice.gateway.service;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.subscription.Cancellable;
import io.sluice.contracts.KeyInvalidations;
import io.sluice.gateway.quota.QuotaLeases;

/**
 * Applies quota-service's invalidation messages to the key cache and the quota blocks, so that a revoked or rotated
 * key is refused by every replica within moments, and a tenant's or a plan's new limits or reset counters apply at
 * once. When the subscription breaks (Redis restarts), it subscribes again and drops the whole cache and every block,
 * since messages may have been missed meanwhile; the cache TTL remains the backstop.
 */
@ApplicationScoped
public class KeyInvalidationListener {
    private final ReactiveRedisDataSource redis;
    private final ApiKeyAuthenticator authenticator;
    private final QuotaLeases leases;
    private final AtomicBoolean subscribedBefore = new AtomicBoolean();
    private Cancellable subscription;

    public KeyInvalidationListener(ReactiveRedisDataSource redis, ApiKeyAuthenticator authenticator,
            QuotaLeases leases) {
        this.redis = redis;
        this.authenticator = authenticator;
        this.leases = leases;
    }

    void start(@Observes StartupEvent event) {
        subscription = redis.pubsub(String.class).subscribe(KeyInvalidations.CHANNEL)
                .onSubscription().invoke(() -> {
                    if (subscribedBefore.getAndSet(true)) {
                        authenticator.invalidateAll();
                        leases.forgetAll();
                    }
                })
                // A closed subscription is treated like a broken one: subscribe again.
                .onCompletion().failWith(() -> new IllegalStateException("invalidation subscription ended"))
                .onFailure().invoke(err -> Log.debugf("key invalidation subscription lost: %s", err.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .subscribe().with(this::apply);
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscription != null) {
            subscription.cancel();
        }
    }

    private void apply(String message) {
        if (message.startsWith("key:")) {
            authenticator.invalidateKey(message.substring(4));
        } else if (message.startsWith("tenant:")) {
            String tenantId = message.substring(7);
            // A tenant's limits changed or its counters were reset: blocks taken before must not be spent.
            authenticator.invalidateTenant(tenantId);
            leases.forget(tenantId);
        } else if (message.startsWith("plan:")) {
            // A plan's limits changed: its tenants' grants and blocks go in one scan, however many tenants it has.
            authenticator.invalidatePlan(message.substring(5)).forEach(leases::forget);
        }
    }
}
