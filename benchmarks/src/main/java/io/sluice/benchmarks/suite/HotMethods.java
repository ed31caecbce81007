package io.sluice.benchmarks.suite;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a CPU profile of one service found, in samples: total, by top frame, by Sluice method anywhere on the stack
 * (once per sample) and by thread.
 */
record HotMethods(long samples, Map<String, Long> topFrames, Map<String, Long> sluiceInclusive,
        Map<String, Long> byThread) {

    /** Counts stacks one at a time, the same way whichever profiler recorded them. */
    static final class Tally {
        private long samples;
        private final Map<String, Long> top = new HashMap<>();
        private final Map<String, Long> sluice = new HashMap<>();
        private final Map<String, Long> threads = new HashMap<>();

        /**
         * {@code count} samples of one stack: its thread's name, and its frames as {@code package.Class.method}
         * (kernel and JVM frames as the profiler names them), top frame first.
         */
        void add(String thread, List<String> topFirst, long count) {
            samples += count;
            threads.merge(thread.replaceAll("-\\d+$", "-N"), count, Long::sum);
            if (!topFirst.isEmpty()) {
                top.merge(topFirst.get(0), count, Long::sum);
            }
            Set<String> seen = new HashSet<>();
            for (String method : topFirst) {
                // generated lambda classes ($$Lambda$123+0x...) repeat the lambda body's own frame
                if (method.startsWith("io.sluice.") && !method.contains("$$Lambda") && seen.add(method)) {
                    sluice.merge(method, count, Long::sum);
                }
            }
        }

        HotMethods result() {
            return new HotMethods(samples, top, sluice, threads);
        }
    }
}
