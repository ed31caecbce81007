package io.sluice.orchestrator.service;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
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
 * windows of Redis' clock: requests and tokens per minute and, where set, requests per hour and per day and tokens
 * per day, all checked and counted in the same script call ({@link ProviderLimitWindow} names the keys). A replica
 * takes a block of the quota per Lua script call ({@code provider-limit.lua}; {@code sluice.provider-limits.lease}:
 * 1% by default, at most 100 requests, sized on the tightest window) and spends it locally, so that most calls need
 * no round trip; quotas under 200 requests a minute are taken a call at a time. A refusal marks the deployment full
 * locally until the full window turns, so the router skips it without asking Redis again. When Redis fails or is
 * slow the call is admitted (fail-open): an outage of the counter store must not stop inference.
 */
@ApplicationScoped
public class ProviderRateLimiter {

    /**
     * The answer to one acquisition: admitted, or refused until the window turns in {@code millisToNextWindow};
     * {@code refusedBy} is the full window that turns last ({@code null} when admitted).
     */
    public record Acquisition(boolean admitted, long millisToNextWindow, ProviderLimitWindow refusedBy) {
    }

    /** One window of a deployment's quota as Redis counts it now; {@code used} includes blocks replicas hold. */
    public record WindowUsage(ProviderLimitWindow window, long limit, long used, Instant resetsAt) {
    }

    private static final Acquisition ADMITTED = new Acquisition(true, 0, null);

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
        long callTokens = limits.countsTokens() ? Math.max(0, tokens) : 0;
        QuotaLease lease = leases.get(deployment.name());
        if (lease.tryTake(callTokens, System.currentTimeMillis())) {
            return Uni.createFrom().item(ADMITTED);
        }
        long blockRequests = blockRequests(limits);
        // Tokens for as many calls as the block has requests, within the same share of the token quota.
        long blockTokens = Math.min(Math.max(callTokens, tokenShare(limits)), callTokens * blockRequests);
        return script.run(redis, List.of(keyOf(deployment)), List.of(String.valueOf(limits.requestsPerMinute()),
                        String.valueOf(limits.tokensPerMinute()), String.valueOf(callTokens),
                        String.valueOf(blockRequests), String.valueOf(blockTokens),
                        String.valueOf(limits.requestsPerHour()), String.valueOf(limits.requestsPerDay()),
                        String.valueOf(limits.tokensPerDay())))
                .ifNoItem().after(config.redisTimeout()).fail()
                .map(answer -> {
                    long granted = answer.get(0).toLong();
                    long millisToNextWindow = answer.get(1).toLong();
                    if (granted > 1) {
                        lease.keep(answer.get(2).toLong(), System.currentTimeMillis() + millisToNextWindow,
                                granted - 1, answer.get(3).toLong() - callTokens);
                    }
                    String refusedBy = answer.size() > 4 ? answer.get(4).toString() : "";
                    return new Acquisition(granted > 0, millisToNextWindow,
                            granted > 0 || refusedBy.isEmpty() ? null : ProviderLimitWindow.ofSuffix(refusedBy));
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

    /**
     * Requests one Redis call takes: the configured share of the quota, at least the asking call. A block is leased
     * from the tightest window: the script counts it in every window when it grants it and shrinks it to what each
     * has left, so no lease can take an hour or a day over its quota; and it is sized on the per-minute rate of each
     * window (an hour's quota / 60, a day's / 1,440), so that the one block a replica may leave unspent when a minute
     * turns costs it at most {@code lease.percent} of the hour's and the day's quota too. A deployment at the seeds'
     * 60/min, 1,000/hour, 10,000/day therefore takes one call at a time.
     */
    long blockRequests(DeploymentLimits limits) {
        long block = Math.min(config.lease().maxRequests(), share(limits.requestsPerMinute()));
        if (limits.requestsPerHour() > 0) {
            block = Math.min(block, share(limits.requestsPerHour() / 60));
        }
        if (limits.requestsPerDay() > 0) {
            block = Math.min(block, share(limits.requestsPerDay() / 1_440));
        }
        return Math.max(1, block);
    }

    /** Tokens one block may hold, on the same rule as its requests (0 when no token window is set). */
    long tokenShare(DeploymentLimits limits) {
        long share = Long.MAX_VALUE;
        if (limits.tokensPerMinute() > 0) {
            share = share(limits.tokensPerMinute());
        }
        if (limits.tokensPerDay() > 0) {
            share = Math.min(share, share(limits.tokensPerDay() / 1_440));
        }
        return share == Long.MAX_VALUE ? 0 : share;
    }

    private long share(long perMinute) {
        return perMinute * config.lease().percent() / 100;
    }

    /**
     * Each limited window of the deployments' quotas as Redis counts them now, by deployment name: one {@code TIME},
     * then one {@code MGET} per deployment (its keys share one hash tag, one slot). In-process deployments, which have
     * no provider quota, are left out.
     */
    public Uni<Map<String, List<WindowUsage>>> usage(Collection<Deployment> deployments) {
        List<Deployment> remote = deployments.stream().filter(d -> !d.provider().inProcess()).toList();
        if (remote.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return redis.execute("TIME")
                .map(time -> Clock.fixed(Instant.ofEpochSecond(time.get(0).toLong(), time.get(1).toLong() * 1_000),
                        ZoneOffset.UTC))
                .chain(redisClock -> Uni.join().all(remote.stream().map(d -> usage(d, redisClock)).toList())
                        .andFailFast())
                .map(usages -> {
                    Map<String, List<WindowUsage>> byName = new LinkedHashMap<>();
                    for (int i = 0; i < remote.size(); i++) {
                        byName.put(remote.get(i).name(), usages.get(i));
                    }
                    return byName;
                });
    }

    private Uni<List<WindowUsage>> usage(Deployment deployment, Clock redisClock) {
        DeploymentLimits limits = catalog.limits(deployment);
        List<ProviderLimitWindow> windows = Arrays.stream(ProviderLimitWindow.values())
                .filter(w -> w.limit(limits) > 0).toList();
        List<String> keys = windows.stream().map(w -> w.key(keyOf(deployment), redisClock)).toList();
        return redis.value(Long.class).mget(keys.toArray(String[]::new)).map(used -> {
            List<WindowUsage> usage = new ArrayList<>();
            for (int i = 0; i < windows.size(); i++) {
                ProviderLimitWindow w = windows.get(i);
                usage.add(new WindowUsage(w, w.limit(limits), Objects.requireNonNullElse(used.get(keys.get(i)), 0L),
                        w.resetsAt(redisClock)));
            }
            return usage;
        });
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
