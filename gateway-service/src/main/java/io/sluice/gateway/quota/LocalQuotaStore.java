package io.sluice.gateway.quota;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.QuotaKeys;
import io.sluice.gateway.config.QuotaConfig;

/**
 * The fallback while Redis cannot answer: the same counters in this process, each limit divided by the number of
 * gateway replicas so that the fleet as a whole stays near the configured limit. Same key names as in Redis.
 */
@ApplicationScoped
public class LocalQuotaStore implements QuotaStore {
    private final Clock clock;
    private final int replicas;
    private final Cache<String, AtomicLong> counters;

    public LocalQuotaStore(Clock clock, QuotaConfig config) {
        this.clock = clock;
        this.replicas = Math.max(1, config.replicas());
        this.counters = Caffeine.newBuilder()
                .maximumSize(config.localCounterCapacity())
                .expireAfterAccess(Duration.ofDays(32))
                .build();
    }

    @Override
    public synchronized Uni<QuotaDecision> reserve(String tenantId, String keyId, List<QuotaLimit> limits) {
        Instant now = clock.instant();
        List<QuotaDecision.Counter> checked = new ArrayList<>(limits.size());
        for (QuotaLimit limit : limits) {
            String key = limit.scope() == QuotaLimit.Scope.KEY
                    ? QuotaKeys.keyCounter(tenantId, keyId, limit.window(), now)
                    : QuotaKeys.tenantCounter(tenantId, limit.window(), now);
            long share = Math.max(1, limit.limit() / replicas);
            QuotaLimit local = new QuotaLimit(limit.scope(), limit.window(), share, limit.amount());
            long used = counter(key).get();
            if (used + limit.amount() > share) {
                return Uni.createFrom().item(QuotaDecision.refused(
                        new QuotaDecision.Counter(local, used, limit.window().secondsToReset(now), key), true));
            }
            checked.add(new QuotaDecision.Counter(local, used + limit.amount(), limit.window().secondsToReset(now), key));
        }
        for (QuotaDecision.Counter counter : checked) {
            counter(counter.key()).addAndGet(counter.limit().amount());
        }
        return Uni.createFrom().item(QuotaDecision.admitted(checked, true));
    }

    @Override
    public synchronized Uni<Void> adjust(List<Adjustment> adjustments) {
        for (Adjustment adjustment : adjustments) {
            AtomicLong counter = counters.getIfPresent(adjustment.key());
            if (counter != null) {
                counter.updateAndGet(value -> Math.max(0, value + adjustment.delta()));
            }
        }
        return Uni.createFrom().voidItem();
    }

    private AtomicLong counter(String key) {
        return counters.get(key, k -> new AtomicLong());
    }
}
