package io.sluice.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.contracts.QuotaKeys.Window;
import io.sluice.gateway.quota.QuotaLimit.Scope;

class QuotaLeasesTest {
    private static final String RPM_KEY = "sluice:q:{t1}:rpm:29000000";
    private static final String KEY_RPM_KEY = "sluice:q:{t1}:k:k1:rpm:29000000";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final QuotaLeases leases = new QuotaLeases(new LeaseSettings(1, 100, 10), nanos::get, registry);

    @Test
    void asksForBlocksOnlyWhenEveryLimitsShareCoversTwoRequestsAndOneTenantAtATime() {
        List<QuotaLimit> small = List.of(new QuotaLimit(Scope.TENANT, Window.RPM, 1_000, 1),
                new QuotaLimit(Scope.TENANT, Window.TPD, 100_000, 600));
        assertArrayEquals(new long[] {0, 0}, leases.blocks("t1", small), "1% of the tokens is less than 2 requests");

        List<QuotaLimit> large = List.of(new QuotaLimit(Scope.TENANT, Window.RPM, 1_000, 1),
                new QuotaLimit(Scope.TENANT, Window.TPD, 10_000_000, 600));
        // 10 requests by the minute's share, 166 by the tokens': 9 more requests' worth of each.
        assertArrayEquals(new long[] {9, 5_400}, leases.blocks("t1", large));
        assertArrayEquals(new long[] {0, 0}, leases.blocks("t1", large), "an answer with blocks is on its way");
        leases.notGranted("t1");
        assertArrayEquals(new long[] {9, 5_400}, leases.blocks("t1", large));

        List<QuotaLimit> huge = List.of(new QuotaLimit(Scope.TENANT, Window.RPM, 1_000_000, 1));
        assertArrayEquals(new long[] {99}, leases.blocks("t2", huge), "at most max-requests per block");
    }

    @Test
    void blocksAreSpentUntilTheyRunShortOrTheirWindowEnds() {
        List<QuotaLimit> limits = List.of(new QuotaLimit(Scope.TENANT, Window.RPM, 1_000, 1),
                new QuotaLimit(Scope.KEY, Window.RPM, 500, 1));
        long askedAt = nanos.get();
        leases.blocks("t1", limits);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        // Redis admitted the request with blocks of 3 and 2, in a window that ends 2.5 s after the question.
        List<QuotaDecision.Counter> shown = leases.granted("t1", "k1", List.of(
                new QuotaDecision.Counter(limits.get(0), 40, 3, RPM_KEY),
                new QuotaDecision.Counter(limits.get(1), 20, 3, KEY_RPM_KEY)),
                new long[] {3, 2}, askedAt, new long[] {2_500_000_000L, 2_500_000_000L});
        assertEquals(List.of(963L, 482L), shown.stream().map(QuotaDecision.Counter::remaining).toList(),
                "what Redis has left plus what this replica holds");

        QuotaDecision second = leases.admit("t1", "k1", limits);
        assertNotNull(second);
        assertEquals(1, registry.counter("sluice_quota_block_decisions_total").count());
        assertEquals(List.of(962L, 481L), second.counters().stream().map(QuotaDecision.Counter::remaining).toList());
        assertEquals(List.of(RPM_KEY, KEY_RPM_KEY), second.counters().stream().map(QuotaDecision.Counter::key)
                .toList());
        assertEquals(3, second.counters().get(0).resetSeconds());
        assertNotNull(leases.admit("t1", "k1", limits));
        assertNull(leases.admit("t1", "k1", limits), "the key's block of 2 is spent");
        assertNull(leases.admit("t1", "k2", limits), "another key of the tenant has no block of its own");

        leases.granted("t1", "k1", List.of(new QuotaDecision.Counter(limits.get(0), 50, 3, RPM_KEY),
                new QuotaDecision.Counter(limits.get(1), 30, 3, KEY_RPM_KEY)),
                new long[] {5, 5}, nanos.get(), new long[] {1_000_000_000L, 1_000_000_000L});
        // The window ends 1 s after the question; the block 1.1 ms before that (1 ms + 100 ppm for clock drift).
        nanos.addAndGet(1_000_000_000L - 1_100_000L - 1);
        assertNotNull(leases.admit("t1", "k1", limits));
        nanos.addAndGet(1);
        assertNull(leases.admit("t1", "k1", limits), "a block ends with its window");
    }

    @Test
    void aChangedLimitOrAForgottenTenantIsDecidedInRedisAgain() {
        List<QuotaLimit> limits = List.of(new QuotaLimit(Scope.TENANT, Window.RPM, 1_000, 1));
        leases.blocks("t1", limits);
        leases.granted("t1", "k1", List.of(new QuotaDecision.Counter(limits.get(0), 10, 30, RPM_KEY)),
                new long[] {9}, nanos.get(), new long[] {30_000_000_000L});
        assertNull(leases.admit("t1", "k1", List.of(new QuotaLimit(Scope.TENANT, Window.RPM, 2_000, 1))),
                "blocks were granted under the old limit");
        assertNotNull(leases.admit("t1", "k1", limits));

        leases.forget("t1");
        assertNull(leases.admit("t1", "k1", limits), "counters reset or limits changed: blocks dropped");

        // Forgotten while a grant was on its way: the grant may have been counted in a counter the reset deleted.
        leases.blocks("t1", limits);
        long askedAt = nanos.get();
        leases.forget("t1");
        List<QuotaDecision.Counter> shown = leases.granted("t1", "k1",
                List.of(new QuotaDecision.Counter(limits.get(0), 10, 30, RPM_KEY)), new long[] {9}, askedAt,
                new long[] {30_000_000_000L});
        assertEquals(990, shown.get(0).remaining(), "nothing held, so the block shows as used");
        assertNull(leases.admit("t1", "k1", limits));
    }
}
