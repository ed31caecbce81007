package io.sluice.orchestrator.service;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.DeploymentLimits;
import io.sluice.orchestrator.catalog.ModelCatalog;
import io.sluice.orchestrator.config.ProviderLimitsConfig;
import io.sluice.redis.RedisScript;

/**
 * The providers' request and token quotas per deployment, counted in Redis so that all replicas share them, on fixed
 * one-minute windows of Redis' clock. A replica takes a block of the window's quota per Lua script call
 * ({@code provider-limit.lua}; {@code sluice.provider-limits.lease}: 1% by default, at most 100 requests) and spends
 * it locally, so that most calls need no round trip; quotas under 200 requests a minute are taken a call at a time.
 * A refusal marks the deployment full locally until its window turns, so the router skips it without asking Redis
 * again. When Redis fails or is slow the call is admitted (fail-open): an outage of the counter store must not stop
 * inference.
 */
@ApplicationScoped
public class ProviderRateLimiter {

    /** The answer to one acquisition: admitted, or refused until the window turns in {@code millisToNextWindow}. */
    public record Acquisition(boolean admitted, long millisToNextWindow) {
    }

    private static final Acquisition ADMITTED = new Acquisition(true, 0);

    private final ReactiveRedisDataSource redis;
    private final ModelCatalog catalog;
    private final ProviderLimitsConfig config;
    private final RedisScript script;
    private final Map<String, AtomicLong> fullUntilMillis = new ConcurrentHashMap<>();
    private final Map<String, QuotaLease> leases = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> waiters = new ConcurrentHashMap<>();
    private final Map<String, Counter> waits = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
    private final Counter degraded;
    private final AtomicBoolean redisFailing = new AtomicBoolean();

    public ProviderRateLimiter(ReactiveRedisDataSource redis, ModelCatalog catalog, ProviderLimitsConfig config,
            MeterRegistry registry) {
        this.redis = redis;
        this.catalog = catalog;
        this.config = config;
        this.script = RedisScript.load(ProviderRateLimiter.class, "/redis/provider-limit.lua");
        for (Deployment deployment : catalog.deployments()) {
            fullUntilMillis.put(deployment.name(), new AtomicLong());
            leases.put(deployment.name(), new QuotaLease());
            waiters.put(deployment.name(), new AtomicInteger());
            waits.put(deployment.name(), Counter.builder("sluice.provider.limit.waits")
                    .description("Requests that waited for a deployment's provider quota window to turn")
                    .tag("deployment", deployment.name()).register(registry));
            rejections.put(deployment.name(), Counter.builder("sluice.provider.limit.rejections")
                    .description("Requests refused with 429 provider_rate_limited: no quota left within the wait")
                    .tag("deployment", deployment.name()).register(registry));
        }
        this.degraded = Counter.builder("sluice.provider.limit.degraded")
                .description("Acquisitions admitted without counting because Redis failed or was slow (fail-open)")
                .register(registry);
    }

    /** The Redis key prefix of a deployment's counters; the hash tag keeps them in one cluster slot. */
    public String keyOf(Deployment deployment) {
        return config.keyPrefix() + "{" + deployment.name() + "}";
    }

    /** Counts one call of up to {@code tokens} tokens against the deployment's quotas, if they have room. */
    public Uni<Acquisition> acquire(Deployment deployment, long tokens) {
        if (deployment.provider().inProcess()) {
            return Uni.createFrom().item(ADMITTED); // no provider's quota; its worker pool bounds it
        }
        DeploymentLimits limits = catalog.limits(deployment);
        long callTokens = limits.tokensPerMinute() > 0 ? Math.max(0, tokens) : 0;
        QuotaLease lease = leases.get(deployment.name());
        if (lease.tryTake(callTokens, System.currentTimeMillis())) {
            return Uni.createFrom().item(ADMITTED);
        }
        long blockRequests = blockRequests(limits);
        // Tokens for as many calls as the block has requests, within the same share of the token quota.
        long blockTokens = Math.min(Math.max(callTokens, share(limits.tokensPerMinute())),
                callTokens * blockRequests);
        return script.run(redis, List.of(keyOf(deployment)), List.of(String.valueOf(limits.requestsPerMinute()),
                        String.valueOf(limits.tokensPerMinute()), String.valueOf(callTokens),
                        String.valueOf(blockRequests), String.valueOf(blockTokens)))
                .ifNoItem().after(config.redisTimeout()).fail()
                .map(answer -> {
                    long granted = answer.get(0).toLong();
                    long millisToNextWindow = answer.get(1).toLong();
                    if (granted > 1) {
                        lease.keep(answer.get(2).toLong(), System.currentTimeMillis() + millisToNextWindow,
                                granted - 1, answer.get(3).toLong() - callTokens);
                    }
                    return new Acquisition(granted > 0, millisToNextWindow);
                })
                .invoke(acquisition -> {
                    if (!acquisition.admitted()) {
                        fullUntilMillis.get(deployment.name())
                                .set(System.currentTimeMillis() + acquisition.millisToNextWindow());
                    }
                })
                .invoke(() -> {
                    if (redisFailing.compareAndSet(true, false)) {
                        Log.info("provider limits are counted in Redis again");
                    }
                })
                .onFailure().recoverWithItem(err -> {
                    degraded.increment();
                    // Once per outage, not once per call: the counter tells how many calls went uncounted.
                    if (redisFailing.compareAndSet(false, true)) {
                        Log.warnf("provider limits not counted, calls admitted until Redis answers again (%s)",
                                err.toString());
                    }
                    return ADMITTED;
                });
    }

    /** Requests one Redis call takes: the configured share of the quota, at least the asking call. */
    private long blockRequests(DeploymentLimits limits) {
        return Math.max(1, Math.min(config.lease().maxRequests(), share(limits.requestsPerMinute())));
    }

    private long share(long perMinute) {
        return perMinute * config.lease().percent() / 100;
    }

    /** False while a refusal says the deployment's current window is used up. */
    public boolean hasRoom(Deployment deployment) {
        return millisUntilRoom(deployment) == 0;
    }

    /** Time until the deployment's quota window turns, as far as this replica knows; 0 when it may have room. */
    public long millisUntilRoom(Deployment deployment) {
        return Math.max(0, fullUntilMillis.get(deployment.name()).get() - System.currentTimeMillis());
    }

    /** Takes a place in the deployment's bounded queue of waiting requests; false when it is full. */
    public boolean startWaiting(Deployment deployment) {
        AtomicInteger queue = waiters.get(deployment.name());
        if (queue.incrementAndGet() > config.maxWaiters()) {
            queue.decrementAndGet();
            return false;
        }
        waits.get(deployment.name()).increment();
        return true;
    }

    public void stopWaiting(Deployment deployment) {
        waiters.get(deployment.name()).decrementAndGet();
    }

    public void rejected(Deployment deployment) {
        rejections.get(deployment.name()).increment();
    }

    /** Forgets local refusals and the unspent block (the admin reset): the next acquisition asks Redis again. */
    public void reset(String deployment) {
        AtomicLong until = fullUntilMillis.get(deployment);
        if (until != null) {
            until.set(0);
            leases.get(deployment).drop();
        }
    }
}
