package io.sluice.gateway.quota;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.sluice.contracts.ApiError;
import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.config.QuotaConfig;

/**
 * Reserves a request's quotas before it is forwarded and settles them to the real usage afterwards. Redis is the
 * truth shared by all replicas; when it cannot answer in time the configured policy applies: fail open to the
 * local store (limit ÷ replicas) or fail closed. Redis is tried again after a short interval, so enforcement
 * returns to Redis by itself.
 */
// Started eagerly so that its metric series exist (at zero) from boot, before the first event.
@Startup
@ApplicationScoped
public class QuotaEnforcer {
    private final RedisQuotaStore redis;
    private final LocalQuotaStore local;
    private final QuotaPlanner planner;
    private final CostEstimator costs;
    private final QuotaConfig config;
    private final Counter degradedDecisions;
    private final AtomicInteger degraded = new AtomicInteger();
    private volatile long redisRetryAtNanos;

    /**
     * What one request reserved, so that it can be settled.
     *
     * @param multiplier the endpoint's weight on token quotas (budgets are spent at the ledger's price, 1×)
     */
    public record Reservation(QuotaDecision decision, String model, double multiplier) {
    }

    public QuotaEnforcer(RedisQuotaStore redis, LocalQuotaStore local, QuotaPlanner planner, CostEstimator costs,
            QuotaConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.local = local;
        this.planner = planner;
        this.costs = costs;
        this.config = config;
        this.degradedDecisions = Counter.builder("sluice_quota_degraded_decisions_total")
                .description("Quota decisions taken without Redis, per the redis-failure policy")
                .register(registry);
        Gauge.builder("sluice_quota_degraded", degraded, AtomicInteger::get)
                .description("1 while quota decisions cannot reach Redis")
                .register(registry);
    }

    public Uni<Reservation> reserve(KeyGrant grant, String model, Usage estimate, double multiplier) {
        long tokens = weighted(estimate.total(), multiplier);
        long microUsd = costs.microUsd(model, estimate.inputTokens(), estimate.cachedInputTokens(),
                estimate.outputTokens());
        List<QuotaLimit> limits = planner.limits(grant, tokens, microUsd);
        Uni<QuotaDecision> decision;
        if (System.nanoTime() - redisRetryAtNanos < 0) {
            decision = withoutRedis(grant, limits, null);
        } else {
            decision = redis.reserve(grant.tenantId(), grant.keyId(), limits)
                    .ifNoItem().after(config.redisTimeout()).fail()
                    .invoke(() -> degraded.set(0))
                    .onFailure().recoverWithUni(err -> withoutRedis(grant, limits, err));
        }
        return decision.map(d -> new Reservation(d, model, multiplier));
    }

    /**
     * The adjustments that settle what was reserved to what was used (a failed call settles to zero: released),
     * for the usage recorder to send along with the request's event, the cost priced as {@code servedModel} (the
     * alias that answered, a fallback perhaps; null: the requested one). A reservation taken from the local store
     * (Redis was down) is settled there, now, and needs nothing in Redis.
     */
    public List<QuotaStore.Adjustment> settlement(Reservation reservation, Usage actual, String servedModel) {
        List<QuotaStore.Adjustment> adjustments = adjustments(reservation, actual,
                servedModel != null ? servedModel : reservation.model());
        if (reservation.decision().degraded()) {
            local.adjust(adjustments).subscribe().with(done -> { }, RedisQuotaStore::notSettled);
            return List.of();
        }
        return adjustments;
    }

    /** Per token and budget counter: actual minus reserved. Request counters keep the admitted request. */
    private List<QuotaStore.Adjustment> adjustments(Reservation reservation, Usage actual, String pricedAs) {
        if (!reservation.decision().admitted()) {
            return List.of();
        }
        long tokens = weighted(actual.total(), reservation.multiplier());
        long microUsd = costs.microUsd(pricedAs, actual.inputTokens(), actual.cachedInputTokens(),
                actual.outputTokens());
        List<QuotaStore.Adjustment> adjustments = new ArrayList<>();
        for (QuotaDecision.Counter counter : reservation.decision().counters()) {
            long reserved = counter.limit().amount();
            switch (counter.limit().kind()) {
                case TOKENS -> adjustments.add(new QuotaStore.Adjustment(counter.key(), tokens - reserved));
                case BUDGET -> adjustments.add(new QuotaStore.Adjustment(counter.key(), microUsd - reserved));
                case REQUESTS -> {
                    // A request counts once it is admitted, whatever its outcome.
                }
            }
        }
        return adjustments;
    }

    public boolean degraded() {
        return degraded.get() == 1;
    }

    private Uni<QuotaDecision> withoutRedis(KeyGrant grant, List<QuotaLimit> limits, Throwable cause) {
        if (cause != null) {
            redisRetryAtNanos = System.nanoTime() + config.redisRetryInterval().toNanos();
            if (degraded.getAndSet(1) == 0) {
                Log.warnf("quota decisions cannot reach Redis (%s); policy %s", cause.toString(),
                        config.redisFailurePolicy());
            }
        }
        degradedDecisions.increment();
        if (config.redisFailurePolicy() == QuotaConfig.RedisFailurePolicy.FAIL_CLOSED) {
            return Uni.createFrom().failure(new ApiException(503, ApiError.of("server_error", "quota_unavailable",
                    "Quotas cannot be checked right now; retry shortly.")));
        }
        return local.reserve(grant.tenantId(), grant.keyId(), limits);
    }

    private static long weighted(long tokens, double multiplier) {
        return (long) Math.ceil(tokens * multiplier);
    }
}
