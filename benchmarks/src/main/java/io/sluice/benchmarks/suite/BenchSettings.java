package io.sluice.benchmarks.suite;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The knobs of one suite benchmark run, from {@code --name=value} arguments (see {@link #USAGE}). */
record BenchSettings(Path root, Path out, List<Integer> rates, int warmupSeconds, int seconds,
        List<Integer> connections, int wrkSeconds, int streams, int streamRate, int streamGapMs, int startupRuns,
        int profileRate, String profiler, int jitWarmUpSeconds, int semanticQuestions, int semanticRate,
        List<Integer> memoryRates, int memoryConversations, Set<String> skip, List<String> arguments) {

    static final String USAGE = """
            SuiteBenchmark [--root=.] [--out=benchmarks/target/suite-report.md]
              [--rates=100,400,1000] [--warmup=10] [--duration=20]      open loop, seconds per rate and target
              [--connections=16,64] [--wrk-seconds=20]                   closed loop (wrk), after a 5 s wrk warm-up
              [--streams=2000] [--stream-rate=100] [--stream-gap-ms=20] streamed requests per target and setting
              [--startup-runs=3] [--profile-rate=400]                    0 turns profiling off
              [--profiler=jfr]          jfr (Java code only) or async (async-profiler, kernel stacks included)
              [--jit-warmup=180]        at most this long, wrk through the suite until the JIT settles (0: none)
              [--semantic-questions=100000] [--semantic-rate=50]         stored questions, rate of the semantic phase
              [--memory-rates=100] [--memory-conversations=20] conversation memory: rates, conversations of 100 items
              [--skip=open,floor,cache,semantic,memory,wrk,stream,startup]""";

    static BenchSettings parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + USAGE);
            }
            given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Path root = Path.of(given.getOrDefault("root", ".")).toAbsolutePath().normalize();
        BenchSettings settings = new BenchSettings(root,
                root.resolve(given.getOrDefault("out", "benchmarks/target/suite-report.md")),
                numbers(given.getOrDefault("rates", "100,400,1000")),
                number(given, "warmup", 10), number(given, "duration", 20),
                numbers(given.getOrDefault("connections", "16,64")), number(given, "wrk-seconds", 20),
                number(given, "streams", 2000), number(given, "stream-rate", 100), number(given, "stream-gap-ms", 20),
                number(given, "startup-runs", 3), number(given, "profile-rate", 400),
                profiler(given.getOrDefault("profiler", "jfr")), number(given, "jit-warmup", 180),
                number(given, "semantic-questions", 100_000), number(given, "semantic-rate", 50),
                numbers(given.getOrDefault("memory-rates", "100")), number(given, "memory-conversations", 20),
                Set.copyOf(Arrays.asList(given.getOrDefault("skip", "").split(","))), List.of(args));
        given.keySet().removeAll(Set.of("root", "out", "rates", "warmup", "duration", "connections", "wrk-seconds",
                "streams", "stream-rate", "stream-gap-ms", "startup-runs", "profile-rate", "profiler", "jit-warmup",
                "semantic-questions", "semantic-rate", "memory-rates", "memory-conversations", "skip"));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + given.keySet() + "\n" + USAGE);
        }
        return settings;
    }

    boolean runs(String phase) {
        return !skip.contains(phase);
    }

    private static String profiler(String name) {
        if (!Set.of("jfr", "async").contains(name)) {
            throw new IllegalArgumentException("--profiler is jfr or async, not '" + name + "'\n" + USAGE);
        }
        return name;
    }

    private static int number(Map<String, String> given, String name, int fallback) {
        return given.containsKey(name) ? Integer.parseInt(given.get(name).strip()) : fallback;
    }

    private static List<Integer> numbers(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Integer::valueOf)
                .toList();
    }
}
