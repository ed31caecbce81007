package io.sluice.gateway.cache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.sluice.contracts.cache.CacheKeys;

/** The Bloom filter behind the presence filter: never "absent" for what was added, rarely "maybe" for the rest. */
class EntryPresenceFilterTest {
    private static final long DEFAULT_BITS = 1L << 25;

    @Test
    void everyAddedPairIsFound() {
        EntryPresenceFilter filter = new EntryPresenceFilter(DEFAULT_BITS);
        SplittableRandom random = new SplittableRandom(1);
        List<String[]> added = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            String[] pair = pair(random, i % 1_000);
            filter.add(pair[0], pair[1]);
            added.add(pair);
        }
        for (String[] pair : added) {
            assertTrue(filter.mightContain(pair[0], pair[1]), pair[0] + " " + pair[1]);
        }
    }

    @Test
    void fewerThanTwoPercentFalsePositivesAtAMillionEntries() {
        EntryPresenceFilter filter = new EntryPresenceFilter(DEFAULT_BITS);
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 1_000_000; i++) {
            String[] pair = pair(random, i % 5_000);
            filter.add(pair[0], pair[1]);
        }
        int probes = 200_000;
        int falsePositives = 0;
        for (int i = 0; i < probes; i++) {
            String[] never = pair(random, i % 5_000);
            if (filter.mightContain(never[0], never[1])) {
                falsePositives++;
            }
        }
        double rate = (double) falsePositives / probes;
        assertTrue(rate < 0.02, "false-positive rate " + rate);
    }

    @Test
    void aMemberOfOneTenantIsNotAnotherTenants() {
        EntryPresenceFilter filter = new EntryPresenceFilter(DEFAULT_BITS);
        String member = CacheKeys.member("default", CacheKeys.SHARED_SCOPE, "ab".repeat(32));
        filter.add("tenant-a", member);

        assertTrue(filter.mightContain("tenant-a", member));
        assertFalse(filter.mightContain("tenant-b", member));
        // The separator keeps (tenant, member) pairs apart whose concatenations would match.
        filter.add("t", "x/y");
        assertFalse(filter.mightContain("tx", "/y"));
    }

    @Test
    void concurrentAddsAreAllFound() throws Exception {
        EntryPresenceFilter filter = new EntryPresenceFilter(1L << 20);
        int threads = 4;
        int each = 25_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String[]>>> added = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                added.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(100 + seed);
                    List<String[]> pairs = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        String[] pair = pair(random, i % 100);
                        filter.add(pair[0], pair[1]);
                        pairs.add(pair);
                    }
                    return pairs;
                }));
            }
            for (Future<List<String[]>> pairs : added) {
                for (String[] pair : pairs.get()) {
                    assertTrue(filter.mightContain(pair[0], pair[1]));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A tenant and a member as the gateway makes them: namespace, scope and a SHA-256 in hex. */
    private static String[] pair(SplittableRandom random, int tenant) {
        byte[] sha256 = new byte[32];
        random.nextBytes(sha256);
        return new String[] { "tenant-" + tenant,
                CacheKeys.member("default", CacheKeys.SHARED_SCOPE, HexFormat.of().formatHex(sha256)) };
    }
}
