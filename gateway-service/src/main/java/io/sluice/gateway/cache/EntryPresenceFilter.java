package io.sluice.gateway.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A Bloom filter of (tenant, member) pairs: {@link #mightContain} is never false for a pair that was added, and
 * rarely true for one that was not (about 0.005% at a million pairs in 2^25 bits, 4% at five million). Lock-free:
 * adds and reads from any thread, each bit set with one atomic OR.
 */
final class EntryPresenceFilter {
    /** Bits probed per pair: the fewest false positives for the sizes it is used at (up to ~7 bits a pair). */
    static final int HASHES = 5;
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] words;
    private final long bits;

    /** @param bits the filter's size, rounded up to a multiple of 64 */
    EntryPresenceFilter(long bits) {
        if (bits < 64 || bits > (long) Integer.MAX_VALUE * 64) {
            throw new IllegalArgumentException("a presence filter has 64 to 2^37 bits, not " + bits);
        }
        this.words = new long[(int) ((bits + 63) / 64)];
        this.bits = words.length * 64L;
    }

    void add(String tenantId, String member) {
        long h1 = hash(tenantId, member, 0x9E3779B97F4A7C15L);
        long h2 = hash(tenantId, member, 0xC2B2AE3D27D4EB4FL) | 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = Long.remainderUnsigned(h1 + i * h2, bits);
            int word = (int) (bit >>> 6);
            long mask = 1L << bit;
            // Most bits of a busy filter are already set: a read is cheaper than an atomic write.
            if (((long) WORDS.getAcquire(words, word) & mask) == 0) {
                WORDS.getAndBitwiseOr(words, word, mask);
            }
        }
    }

    boolean mightContain(String tenantId, String member) {
        long h1 = hash(tenantId, member, 0x9E3779B97F4A7C15L);
        long h2 = hash(tenantId, member, 0xC2B2AE3D27D4EB4FL) | 1;
        for (int i = 0; i < HASHES; i++) {
            long bit = Long.remainderUnsigned(h1 + i * h2, bits);
            if (((long) WORDS.getAcquire(words, (int) (bit >>> 6)) & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** A 64-bit hash of {@code tenantId + '\n' + member}, one of a family chosen by {@code seed}. */
    private static long hash(String tenantId, String member, long seed) {
        long h = seed;
        h = mixIn(h, tenantId);
        h = (h ^ '\n') * 0x100000001B3L;
        h = mixIn(h, member);
        return finish(h ^ seed);
    }

    private static long mixIn(long h, String text) {
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001B3L;
        }
        return h;
    }

    /** MurmurHash3's 64-bit finalizer: every input bit reaches every output bit. */
    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
