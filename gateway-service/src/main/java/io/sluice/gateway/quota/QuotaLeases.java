package io.sluice.gateway.quota;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.sluice.gateway.config.QuotaConfig;

/**
 * The quota blocks this replica holds. For a tenant whose limits are large, Redis grants a block of every limit along
 * with a decision (a share of each limit, enough for a few more requests) and counts it at once, so the replicas
 * together still never admit more than a limit. The next requests are admitted here from the blocks, without a round
 * trip, until a block runs short or its window ends; then Redis decides again and grants the next blocks. The price
 * is under-use, never overshoot: a block left unspent when its window turns is lost (at most one per replica, limit
 * and window). Small limits, whose share would not cover two requests, are decided in Redis request by request.
 */
// Started eagerly so that its metric series exists (at zero) from boot.
@Startup
@ApplicationScoped
public class QuotaLeases {
    private final QuotaConfig.Lease config;
    private final LongSupplier nanoClock;
    private final Cache<String, TenantLeases> tenants;
    private final Counter blockDecisions;

    @Inject
    public QuotaLeases(QuotaConfig config, MeterRegistry registry) {
        this(config.lease(), System::nanoTime, registry);
    }

    QuotaLeases(QuotaConfig.Lease config, LongSupplier nanoClock, MeterRegistry registry) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.blockDecisions = Counter.builder("sluice_quota_block_decisions_total")
                .description("Quota decisions admitted from this replica's quota blocks, without a Redis round trip")
                .register(registry);
        this.tenants = Caffeine.newBuilder()
                .maximumSize(config.tenants())
                // No window is longer than a month; a tenant idle that long holds nothing worth keeping.
                .expireAfterAccess(Duration.ofDays(32))
                .build();
    }

    /** Now, on the clock the blocks' ends are measured with. Read it before a decision is sent to Redis. */
    long now() {
        return nanoClock.getAsLong();
    }

    /**
     * Admits the request from the blocks held for it, if every one of its limits has a block with room in its
     * current window; null otherwise, and the request goes to Redis.
     */
    QuotaDecision admit(String tenantId, String keyId, List<QuotaLimit> limits) {
        TenantLeases held = tenants.getIfPresent(tenantId);
        if (held == null) {
            return null;
        }
        long now = now();
        synchronized (held) {
            List<Lease> leases = new ArrayList<>(limits.size());
            for (QuotaLimit limit : limits) {
                Lease lease = held.leases.get(name(limit, keyId));
                if (lease == null || !lease.covers(limit, now)) {
                    return null;
                }
                leases.add(lease);
            }
            List<QuotaDecision.Counter> counters = new ArrayList<>(limits.size());
            for (int i = 0; i < limits.size(); i++) {
                Lease lease = leases.get(i);
                lease.available -= limits.get(i).amount();
                counters.add(lease.counter(limits.get(i), now));
            }
            blockDecisions.increment();
            return QuotaDecision.admitted(counters, false);
        }
    }

    /**
     * What to ask Redis for beyond the request itself, per limit in order: the same amount again for as many more
     * requests as the smallest share of a limit covers (at most {@code max-requests} in all). All zero when a share
     * would not cover two requests, or while an answer with blocks for this tenant is still on its way.
     */
    long[] blocks(String tenantId, List<QuotaLimit> limits) {
        long[] blocks = new long[limits.size()];
        long requests = config.maxRequests();
        for (QuotaLimit limit : limits) {
            long share = limit.limit() * config.percent() / 100;
            requests = Math.min(requests, share / Math.max(1, limit.amount()));
        }
        if (requests < 2) {
            return blocks;
        }
        TenantLeases held = tenants.get(tenantId, id -> new TenantLeases());
        synchronized (held) {
            // One block per tenant at a time: the requests that missed it meanwhile are decided one by one.
            if (held.asking) {
                return blocks;
            }
            held.asking = true;
        }
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = limits.get(i).amount() * (requests - 1);
        }
        return blocks;
    }

    /**
     * Keeps the blocks Redis granted with an admitted request, and returns the request's counters as its headers
     * should show them: what is left in Redis plus what this replica still holds. {@code counters} are Redis' (their
     * use includes the blocks), {@code granted} the block per counter, {@code untilEnd} the nanoseconds from
     * {@code askedAt} until the windows' ends as Redis counts them; {@code askedAt} was read before the request was
     * sent, so a block never outlives its window on this replica's clock.
     */
    List<QuotaDecision.Counter> granted(String tenantId, String keyId, List<QuotaDecision.Counter> counters,
            long[] granted, long askedAt, long[] untilEnd) {
        TenantLeases held = tenants.getIfPresent(tenantId);
        if (held == null) {
            // Forgotten while the question was on its way (a reset may have deleted what the blocks were counted in).
            return counters;
        }
        long now = now();
        synchronized (held) {
            held.asking = false;
            held.leases.values().removeIf(lease -> !lease.current(now));
            List<QuotaDecision.Counter> shown = new ArrayList<>(counters.size());
            for (int i = 0; i < counters.size(); i++) {
                QuotaDecision.Counter counter = counters.get(i);
                String name = name(counter.limit(), keyId);
                Lease lease = held.leases.get(name);
                if (granted[i] > 0) {
                    if (lease == null || !lease.holds(counter)) {
                        lease = new Lease(counter.key(), counter.limit().limit());
                        held.leases.put(name, lease);
                    }
                    lease.available += granted[i];
                    lease.endsAt = askedAt + untilEnd[i] - clockMargin(untilEnd[i]);
                }
                if (lease != null && lease.holds(counter)) {
                    lease.remainingInRedis = counter.remaining();
                    shown.add(lease.counter(counter.limit(), now));
                } else {
                    shown.add(counter);
                }
            }
            return shown;
        }
    }

    /** An answer that brought no blocks (refused, or Redis failed): the next request may ask again. */
    void notGranted(String tenantId) {
        TenantLeases held = tenants.getIfPresent(tenantId);
        if (held != null) {
            synchronized (held) {
                held.asking = false;
            }
        }
    }

    /** Drops a tenant's blocks: its counters were reset or its limits changed, so the next request asks Redis. */
    public void forget(String tenantId) {
        tenants.invalidate(tenantId);
    }

    /** Drops every block, after invalidations may have been missed. */
    public void forgetAll() {
        tenants.invalidateAll();
    }

    /**
     * How much earlier than Redis' window end a block ends here: this replica's clock may run slower than Redis' over
     * a long window; 100 ppm (9 s of a day) is far beyond what NTP-disciplined clocks drift.
     */
    private static long clockMargin(long untilEnd) {
        return 1_000_000L + untilEnd / 10_000;
    }

    private static String name(QuotaLimit limit, String keyId) {
        return limit.scope() == QuotaLimit.Scope.KEY ? "k:" + keyId + ":" + limit.window().keyName()
                : limit.window().keyName();
    }

    /** One tenant's blocks, by limit; guarded by the instance's monitor. */
    private static final class TenantLeases {
        final Map<String, Lease> leases = new HashMap<>();
        boolean asking;
    }

    /** The unspent part of one block, for one counter (one window) in Redis. */
    private static final class Lease {
        final String counterKey;
        final long limit;
        long available;
        long endsAt;
        /** The limit minus Redis' count (blocks included) when Redis last answered for this counter. */
        long remainingInRedis;

        Lease(String counterKey, long limit) {
            this.counterKey = counterKey;
            this.limit = limit;
        }

        /** Whether this block was taken from {@code counter}: the same window's key, under the same limit. */
        boolean holds(QuotaDecision.Counter counter) {
            return counterKey.equals(counter.key()) && limit == counter.limit().limit();
        }

        boolean current(long now) {
            return now - endsAt < 0;
        }

        boolean covers(QuotaLimit request, long now) {
            return current(now) && limit == request.limit() && available >= request.amount();
        }

        QuotaDecision.Counter counter(QuotaLimit request, long now) {
            long remaining = Math.min(limit, remainingInRedis + available);
            long resetSeconds = Math.max(0, (endsAt - now + 999_999_999L) / 1_000_000_000L);
            return new QuotaDecision.Counter(request, limit - remaining, resetSeconds, counterKey);
        }
    }
}
