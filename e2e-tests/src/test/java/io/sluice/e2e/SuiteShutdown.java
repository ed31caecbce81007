package io.sluice.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.sluice.testsupport.suite.LocalSuite;

/** Checks that {@link LocalSuite#down()} stops every process of a suite, down to the store servers' children. */
final class SuiteShutdown {
    /** Launched besides the gateways, and the two store servers recorded by their launchers. */
    private static final List<String> FIXED = List.of("redis", "redis-server", "postgres", "postgres-server",
            "sim-provider", "quota-service", "telemetry-service", "orchestrator-service");

    private SuiteShutdown() {
    }

    static void assertDownLeavesNothingBehind(LocalSuite suite, List<String> gateways) {
        Map<String, ProcessHandle> recorded = suite.liveProcesses();
        Set<String> expected = new TreeSet<>(FIXED);
        expected.addAll(gateways);
        assertEquals(expected, new TreeSet<>(recorded.keySet()), "the suite's processes");
        assertTrue(recorded.get("redis").descendants().anyMatch(p -> p.equals(recorded.get("redis-server"))),
                "redis-server runs below its launcher");
        List<ProcessHandle> processes = new ArrayList<>(recorded.values().stream()
                .flatMap(process -> Stream.concat(Stream.of(process), process.descendants()))
                .toList());

        suite.down();

        for (ProcessHandle process : processes) {
            assertFalse(process.isAlive(), "still running after down: " + process.pid() + " "
                    + process.info().command().orElse("?"));
        }
        assertTrue(suite.liveProcesses().isEmpty());
    }
}
