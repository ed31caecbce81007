package io.sluice.benchmarks.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Drives closed-loop load through the suite until the JIT compilers of every Sluice process have settled, so that
 * the measured phases see compiled code rather than the compilers' own CPU (on 2 vCPUs, C2 keeps compiling for
 * minutes after start-up and would otherwise count as "CPU per request"). Waits on that condition, bounded.
 */
final class JitWarmUp {
    /** Compiler threads of one process may use at most this share of one CPU over a round to count as settled. */
    static final double SETTLED_SHARE = 0.05;

    /** One round of load, and the compiler CPU each process used in it. */
    record Round(double seconds, double requestsPerSecond, Map<String, Double> compilerShare) {
        boolean settled() {
            return compilerShare.values().stream().allMatch(share -> share <= SETTLED_SHARE);
        }
    }

    private JitWarmUp() {
    }

    /** Rounds of {@code roundSeconds} of wrk until settled or {@code maxSeconds} passed; returns every round. */
    static List<Round> run(LoadTarget target, Map<String, ProcessHandle> processes, int roundSeconds,
            int maxSeconds) throws IOException, InterruptedException {
        List<Round> rounds = new ArrayList<>();
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        do {
            Map<String, Double> before = compilerSeconds(processes);
            long start = System.nanoTime();
            WrkRun.Result load = WrkRun.run(target, 16, roundSeconds);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Double> share = new LinkedHashMap<>();
            compilerSeconds(processes).forEach((name, after) ->
                    share.put(name, (after - before.getOrDefault(name, 0.0)) / seconds));
            Round round = new Round(seconds, load.requestsPerSecond(), share);
            rounds.add(round);
            SuiteBenchmark.log(String.format("JIT warm-up round %d: %.0f requests/s, compiler CPU %s", rounds.size(),
                    round.requestsPerSecond(), share.entrySet().stream()
                            .map(e -> e.getKey() + " " + Math.round(e.getValue() * 100) + "%").toList()));
            if (round.settled()) {
                break;
            }
        } while (System.nanoTime() < deadline);
        return rounds;
    }

    /** CPU seconds the JIT compiler threads ("C1/C2 CompilerThre…") of each Java process have used so far. */
    static Map<String, Double> compilerSeconds(Map<String, ProcessHandle> processes) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        processes.forEach((name, process) -> {
            if (ProcessStats.isJava(process)) {
                seconds.put(name, compilerTicks(process.pid()) / (double) ProcessStats.TICKS_PER_SECOND);
            }
        });
        return seconds;
    }

    private static long compilerTicks(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long ticks = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                try {
                    if (Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
                        ticks += ProcessStats.cpuTicks(thread.resolve("stat"));
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException gone) {
            // the process ended meanwhile
        }
        return ticks;
    }
}
