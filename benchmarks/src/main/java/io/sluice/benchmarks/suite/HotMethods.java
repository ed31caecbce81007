package io.sluice.benchmarks.suite;

import java.util.Map;

/**
 * What a CPU profile of one service found, in samples: total, by top frame, by Sluice method anywhere on the stack
 * (once per sample) and by thread.
 */
record HotMethods(long samples, Map<String, Long> topFrames, Map<String, Long> sluiceInclusive,
        Map<String, Long> byThread) {
}
