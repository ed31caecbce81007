package io.sluice.benchmarks.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.HdrHistogram.Histogram;

/** Collects the results of one run and renders them as markdown, with the targets marked met or missed. */
final class SuiteReport {
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};
    static final int TARGET_RATE = 400;

    private final BenchSettings settings;
    private final String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    private final String loadAtStart = loadAverage();
    private final List<String> loadSamples = new ArrayList<>();
    private final List<OpenLoopLoad.Result> openLoop = new ArrayList<>();
    private final Map<OpenLoopLoad.Result, CpuWindow> openLoopCpu = new LinkedHashMap<>();
    private final Map<OpenLoopLoad.Result, CpuWindow> floor = new LinkedHashMap<>();
    private final Map<OpenLoopLoad.Result, CpuWindow> cache = new LinkedHashMap<>();
    private List<OpenLoopLoad.Result> cacheInterleaved = List.of();
    private final List<SemanticRun> semantic = new ArrayList<>();
    private final List<MemoryRun> memory = new ArrayList<>();
    private int[] memorySizes;
    /** Per rate in total: the chat completion and the warm turn, interleaved request by request. */
    private final Map<Integer, List<OpenLoopLoad.Result>> memoryInterleaved = new LinkedHashMap<>();
    private final List<WrkRun.Result> wrk = new ArrayList<>();
    private final Map<WrkRun.Result, CpuWindow> wrkCpu = new LinkedHashMap<>();
    private final List<Map.Entry<Integer, StreamProbe.Result>> streams = new ArrayList<>();
    private final Map<String, Double> rss = new LinkedHashMap<>();
    private final Map<String, String> jvmOptions = new LinkedHashMap<>();
    private final List<StartupTimer.Result> startups = new ArrayList<>();
    private final Map<String, HotMethods> profiles = new LinkedHashMap<>();
    private OpenLoopLoad.Result profiledLoad;
    private List<JitWarmUp.Round> jitWarmUp = List.of();
    private final List<String[]> targets = new ArrayList<>();

    SuiteReport(BenchSettings settings) {
        this.settings = settings;
    }

    void jitWarmUp(List<JitWarmUp.Round> rounds) {
        jitWarmUp = rounds;
        sampleLoad("JIT warm-up");
    }

    void openLoop(OpenLoopLoad.Result result, CpuWindow cpu) {
        openLoop.add(result);
        openLoopCpu.put(result, cpu);
        sampleLoad(result.target() + " " + result.rate() + "/s");
    }

    void cache(OpenLoopLoad.Result result, CpuWindow cpu) {
        cache.put(result, cpu);
        sampleLoad(result.target() + " " + result.rate() + "/s");
    }

    /** The cache off and missing, request by request (issue 19's comparison without the drift between phases). */
    void cacheInterleaved(List<OpenLoopLoad.Result> results) {
        cacheInterleaved = results;
        sampleLoad("cache off and missing interleaved");
    }

    /** One target of the semantic phase, with the gateway's semantic lookups during it. */
    record SemanticRun(OpenLoopLoad.Result result, CpuWindow cpu, int questions, Duration indexing, long lookups,
            double lookupP50Ms, double lookupP90Ms) {
    }

    void semantic(OpenLoopLoad.Result result, CpuWindow cpu, int questions, Duration indexing, long lookups,
            double lookupP50Ms, double lookupP90Ms) {
        semantic.add(new SemanticRun(result, cpu, questions, indexing, lookups, lookupP50Ms, lookupP90Ms));
        sampleLoad(result.target() + " " + result.rate() + "/s");
    }

    /** One target of the conversation-memory phase, with Redis' keyspace hits and misses per request during it. */
    record MemoryRun(OpenLoopLoad.Result result, CpuWindow cpu, double redisHits, double redisMisses) {
    }

    void memory(OpenLoopLoad.Result result, CpuWindow cpu, double redisHitsPerRequest, double redisMissesPerRequest) {
        memory.add(new MemoryRun(result, cpu, redisHitsPerRequest, redisMissesPerRequest));
        sampleLoad(result.target() + " " + result.rate() + "/s");
    }

    /** Bytes of the chat completion sim-provider received for the baseline and for a turn; conversations used. */
    void memoryInterleaved(int rate, List<OpenLoopLoad.Result> results) {
        memoryInterleaved.put(rate, results);
        sampleLoad("chat and warm turns interleaved " + rate + "/s");
    }

    void memorySizes(int chatBytes, int turnBytes, int conversations, String answer) {
        memorySizes = new int[] {chatBytes, turnBytes, conversations};
    }

    void floor(OpenLoopLoad.Result result, CpuWindow cpu) {
        floor.put(result, cpu);
        sampleLoad("floor " + result.rate() + "/s");
    }

    void wrk(WrkRun.Result result, CpuWindow cpu) {
        wrk.add(result);
        wrkCpu.put(result, cpu);
        sampleLoad(result.target() + " wrk c" + result.connections());
    }

    void stream(int gapMs, StreamProbe.Result result) {
        streams.add(Map.entry(gapMs, result));
        sampleLoad(result.target() + " stream gap " + gapMs);
    }

    void rss(Map<String, Double> rssMiB, Map<String, String> jvmOptions) {
        rss.putAll(rssMiB);
        this.jvmOptions.putAll(jvmOptions);
    }

    void startup(StartupTimer.Result result) {
        startups.add(result);
    }

    void profile(String service, HotMethods hot, OpenLoopLoad.Result load) {
        profiles.put(service, hot);
        profiledLoad = load;
    }

    String markdown() {
        targets.clear();
        StringBuilder md = new StringBuilder();
        md.append("# Suite benchmark report\n\n");
        md.append("Run started ").append(startedAt).append(", finished ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(".\n\n");
        machine(md);
        md.append("Command: `bash benchmarks/run.sh").append(settings.arguments().isEmpty() ? "" : " ")
                .append(String.join(" ", settings.arguments())).append("`\n\n");
        String openLoopMd = openLoopSection();
        String cacheMd = cacheSection() + semanticSection() + memorySection();
        String wrkMd = wrkSection();
        String streamMd = streamSection();
        String resourcesMd = resourcesSection();
        md.append("## Targets (issues 7, 19 and 20)\n\n| Target | Measured | |\n|---|---|---|\n");
        targets.forEach(t -> md.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2])
                .append(" |\n"));
        md.append('\n').append(jitWarmUpSection()).append(openLoopMd).append(floorSection()).append(cacheMd)
                .append(wrkMd)
                .append(streamMd).append(resourcesMd).append(profileSection());
        md.append("## Machine load during the run\n\n1-minute load average at the start: ").append(loadAtStart)
                .append("; after each phase: ").append(String.join("; ", loadSamples)).append(".\n");
        return md.toString();
    }

    private void machine(StringBuilder md) {
        md.append("| | |\n|---|---|\n");
        md.append("| CPU | ").append(Runtime.getRuntime().availableProcessors()).append(" vCPUs, ")
                .append(firstLine("/proc/cpuinfo", "model name")).append(" |\n");
        md.append("| Memory | ").append(firstLine("/proc/meminfo", "MemTotal")).append(" |\n");
        md.append("| Kernel | ").append(read("/proc/sys/kernel/osrelease")).append(" |\n");
        md.append("| JDK (services and driver) | ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" |\n");
        md.append("| Load generators | open loop and streams: Vert.x HttpClient in this JVM, one event loop, latency "
                + "from each request's due time (HdrHistogram); closed loop: wrk, 2 threads |\n\n");
    }

    private String jitWarmUpSection() {
        if (jitWarmUp.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("## JIT warm-up\n\n");
        md.append("Before anything is measured, wrk (16 connections) runs through the suite in 10 s rounds until the "
                + "JIT compiler threads of every Java process use at most ")
                .append(Math.round(JitWarmUp.SETTLED_SHARE * 100))
                .append("% of a CPU in a round (or the time limit passes). The numbers below are therefore steady "
                        + "state; the first minutes after a start cost more CPU (compilation) and latency.\n\n");
        List<String> names = new ArrayList<>(jitWarmUp.get(0).compilerShare().keySet());
        md.append("| Round | seconds | requests/s | ").append(String.join(" | ", names)).append(" |\n|---:|---:|---:|")
                .append("---:|".repeat(names.size())).append('\n');
        for (int i = 0; i < jitWarmUp.size(); i++) {
            JitWarmUp.Round round = jitWarmUp.get(i);
            md.append("| ").append(i + 1).append(" | ").append(String.format("%.1f", round.seconds())).append(" | ")
                    .append(String.format("%,.0f", round.requestsPerSecond()));
            names.forEach(name -> md.append(" | ")
                    .append(Math.round(round.compilerShare().getOrDefault(name, 0.0) * 100)).append('%'));
            md.append(" |\n");
        }
        boolean settled = jitWarmUp.get(jitWarmUp.size() - 1).settled();
        md.append("\nCompiler CPU as a share of one CPU; ")
                .append(settled ? "settled." : "**not settled within the limit**.").append("\n\n");
        return md.toString();
    }

    private String openLoopSection() {
        if (openLoop.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("## Open loop: non-streaming chat at a fixed rate\n\n");
        md.append("Warm-up ").append(settings.warmupSeconds()).append(" s, then ").append(settings.seconds())
                .append(" s measured per rate and target; `max_tokens` 16; latency in ms from the due time.\n\n");
        md.append("| Rate/s | Target | p50 | p90 | p99 | p99.9 | max | ok | failed | send lag p99 |\n")
                .append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (OpenLoopLoad.Result r : openLoop) {
            md.append("| ").append(r.rate()).append(" | ").append(r.target());
            for (double p : PERCENTILES) {
                md.append(" | ").append(ms(r.latency().getValueAtPercentile(p)));
            }
            md.append(" | ").append(ms(r.latency().getMaxValue())).append(" | ").append(r.ok()).append(" | ")
                    .append(r.failed()).append(" | ").append(ms(r.sendLag().getValueAtPercentile(99))).append(" |\n");
        }
        md.append("\n**Added by the suite** (suite minus direct, ms):\n\n| Rate/s | p50 | p90 | p99 | p99.9 |\n")
                .append("|---:|---:|---:|---:|---:|\n");
        for (int rate : settings.rates()) {
            Optional<OpenLoopLoad.Result> direct = find(rate, "direct");
            Optional<OpenLoopLoad.Result> suite = find(rate, "suite");
            if (direct.isEmpty() || suite.isEmpty()) {
                continue;
            }
            md.append("| ").append(rate);
            for (double p : PERCENTILES) {
                md.append(" | ").append(ms(added(direct.get(), suite.get(), p)));
            }
            md.append(" |\n");
            if (rate == TARGET_RATE) {
                double p50 = added(direct.get(), suite.get(), 50) / 1000.0;
                double p99 = added(direct.get(), suite.get(), 99) / 1000.0;
                target("Added latency at 400/s: p50 ≤ 0.5 ms", fmt(p50, 3) + " ms", p50 <= 0.5);
                target("Added latency at 400/s: p99 ≤ 2 ms", fmt(p99, 3) + " ms", p99 <= 2);
            }
        }
        md.append("\n**CPU per request through the suite** (µs of CPU per request served in the measured window; ")
                .append("idle work such as health checks and the ledger's polling counts too, which weighs most at ")
                .append("low rates):\n\n");
        md.append(cpuHeader());
        for (OpenLoopLoad.Result r : openLoop) {
            if (r.target().equals("suite")) {
                CpuWindow cpu = openLoopCpu.get(r);
                md.append(cpuRow(r.rate() + "/s open loop", r.ok(), cpu));
                if (r.rate() == TARGET_RATE) {
                    double perRequest = sluiceAndRedis(cpu) / r.ok() * 1e6;
                    target("Whole-suite CPU ≤ 150 µs/request (at 400/s; services + Redis)", fmt(perRequest, 0)
                            + " µs", perRequest <= 150);
                }
            }
        }
        return md.append('\n').toString();
    }

    /**
     * The response cache at the target rate: off, on and missing (every question new), on and hitting (one question
     * repeated), and direct to sim-provider; latency and CPU per request side by side.
     */
    private String cacheSection() {
        if (cache.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("## Response cache at ").append(TARGET_RATE).append(" requests/s\n\n");
        md.append("The same open loop, one target after the other: `suite` as a key without the cache; `suite, cache "
                + "miss` as a key with the exact cache on and a new question in every request (a lookup, a provider "
                + "call and a store each); `suite, cache hit` as that key with one question repeated (stored "
                + "before); `direct` to sim-provider. Latency in ms from the due time; CPU in µs per request.\n\n");
        md.append("| Target | p50 | p90 | p99 | p99.9 | max | ok | failed |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        cache.keySet().forEach(r -> {
            md.append("| ").append(r.target());
            for (double p : PERCENTILES) {
                md.append(" | ").append(ms(r.latency().getValueAtPercentile(p)));
            }
            md.append(" | ").append(ms(r.latency().getMaxValue())).append(" | ").append(r.ok()).append(" | ")
                    .append(r.failed()).append(" |\n");
        });
        md.append('\n').append(cpuHeader());
        cache.forEach((r, cpu) -> md.append(cpuRow(r.target(), r.ok(), cpu)));
        Optional<OpenLoopLoad.Result> off = cached("suite");
        Optional<OpenLoopLoad.Result> miss = cached("suite, cache miss");
        Optional<OpenLoopLoad.Result> hit = cached("suite, cache hit");
        Optional<OpenLoopLoad.Result> direct = cached("direct");
        if (cacheInterleaved.size() == 2) {
            OpenLoopLoad.Result offAlternate = cacheInterleaved.get(0);
            OpenLoopLoad.Result missAlternate = cacheInterleaved.get(1);
            md.append("\nInterleaved: `suite` and `suite, cache miss` request by request, ").append(TARGET_RATE)
                    .append(" requests/s in total, so both meet the same machine at the same moments (the phases "
                            + "above run one after the other, and their difference includes the machine's drift "
                            + "between them):\n\n");
            md.append("| Target | p50 | p90 | p99 | p99.9 | max | ok | failed |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (OpenLoopLoad.Result r : cacheInterleaved) {
                md.append("| ").append(r.target()).append(" (interleaved)");
                for (double p : PERCENTILES) {
                    md.append(" | ").append(ms(r.latency().getValueAtPercentile(p)));
                }
                md.append(" | ").append(ms(r.latency().getMaxValue())).append(" | ").append(r.ok()).append(" | ")
                        .append(r.failed()).append(" |\n");
            }
            double added = added(offAlternate, missAlternate, 50) / 1000.0;
            target("Cache on and missing adds ≤ 0.1 ms p50 over cache off at 400/s, interleaved (issue 19)",
                    fmt(added, 3) + " ms", added <= 0.1);
        }
        if (off.isPresent() && miss.isPresent()) {
            double added = added(off.get(), miss.get(), 50) / 1000.0;
            targets.add(new String[] {"The same, one phase after the other (reported, issue 19)", fmt(added, 3) + " ms",
                    "reported"});
        }
        if (hit.isPresent() && direct.isPresent()) {
            double added = added(direct.get(), hit.get(), 50) / 1000.0;
            target("A cache hit adds ≤ 1 ms p50 over direct at 400/s (issue 19)", fmt(added, 3) + " ms",
                    added <= 1);
        }
        if (hit.isPresent() && miss.isPresent() && hit.get().ok() > 0 && miss.get().ok() > 0) {
            double hitCpu = sluiceAndRedis(cache.get(hit.get())) / hit.get().ok() * 1e6;
            double missCpu = sluiceAndRedis(cache.get(miss.get())) / miss.get().ok() * 1e6;
            target("A cache hit uses less CPU than a miss (services + Redis, issue 19)", fmt(hitCpu, 0) + " µs vs "
                    + fmt(missCpu, 0) + " µs", hitCpu < missCpu);
        }
        return md.append('\n').toString();
    }

    /** Conversation memory (issue 20): a turn in a 100-item conversation, warm and cold, against a plain chat. */
    private String memorySection() {
        if (memory.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("## Conversation memory\n\n");
        md.append("One tenant, the same open loop, one target after the other (after unmeasured passes of each, the "
                + "turns first at a quarter of the rate, so that the JIT has compiled their code too). "
                + "`chat completion` is `POST /v1/chat/completions` with ").append(MemoryPhase.ITEMS)
                .append(" messages (user question and assistant answer alternating) and the new question; the turns "
                        + "are `POST /v1/responses` with `conversation` (round-robin over ")
                .append(memorySizes == null ? "?" : memorySizes[2])
                .append(" conversations pre-filled with ").append(MemoryPhase.ITEMS)
                .append(" such items), the same question as `input`, `store: false`, `max_output_tokens` ")
                .append(LoadTarget.MAX_TOKENS).append(": the gateway sizes the history for the quota (the token "
                        + "counts in Redis; when cold, the orchestrator's sizing call), the orchestrator reads the "
                        + "history, calls sim-provider with it, appends the input and output to the conversation "
                        + "(one PostgreSQL call, then Redis) pruned back to ")
                .append(MemoryPhase.ITEMS).append(" items, and answers. `Redis cold`: once a turn has answered, "
                        + "the driver deletes its conversation's hot keys (`sluice:mem:{tenant}:conv:<id>`, `:items`, "
                        + "`:tokens`, `:seq`, as the hot TTL's end would), so every turn finds Redis empty and reads "
                        + "PostgreSQL (then re-warms Redis).");
        if (memorySizes != null) {
            md.append(" Chat completion sim-provider received: ").append(memorySizes[0]).append(" bytes for the "
                    + "plain chat, ").append(memorySizes[1]).append(" bytes for a turn.");
        }
        md.append(" Latency in ms from the due time; CPU in µs per request.\n\n");
        for (int rate : memory.stream().map(run -> run.result().rate()).distinct().toList()) {
            memoryRate(md, rate);
        }
        return md.toString();
    }

    private void memoryRate(StringBuilder md, int rate) {
        List<MemoryRun> memory = this.memory.stream().filter(run -> run.result().rate() == rate).toList();
        md.append("**At ").append(rate).append(" requests/s**\n\n");
        md.append("| Target | p50 | p90 | p99 | p99.9 | max | ok | failed | Redis hits/req | Redis misses/req |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (MemoryRun run : memory) {
            OpenLoopLoad.Result r = run.result();
            md.append("| ").append(r.target());
            for (double p : PERCENTILES) {
                md.append(" | ").append(ms(r.latency().getValueAtPercentile(p)));
            }
            md.append(" | ").append(ms(r.latency().getMaxValue())).append(" | ").append(r.ok()).append(" | ")
                    .append(r.failed()).append(" | ").append(fmt(run.redisHits(), 1)).append(" | ")
                    .append(fmt(run.redisMisses(), 1)).append(" |\n");
        }
        md.append('\n').append(cpuHeader());
        memory.forEach(run -> md.append(cpuRow(run.result().target(), run.result().ok(), run.cpu())));
        Optional<MemoryRun> base = memoryRun(memory, "chat completion");
        if (base.isPresent()) {
            md.append("\n**Added by the conversation** (turn minus chat completion; latency ms, CPU µs per request):"
                    + "\n\n| Turn | p50 | p90 | p99 | services + Redis CPU | PostgreSQL CPU |\n"
                    + "|---|---:|---:|---:|---:|---:|\n");
            for (MemoryRun run : memory) {
                if (run == base.get()) {
                    continue;
                }
                md.append("| ").append(run.result().target());
                for (double p : new double[] {50, 90, 99}) {
                    md.append(" | ").append(ms(added(base.get().result(), run.result(), p)));
                }
                md.append(" | ").append(fmt(perRequestMicros(sluiceAndRedis(run.cpu()), run.result())
                        - perRequestMicros(sluiceAndRedis(base.get().cpu()), base.get().result()), 0))
                        .append(" | ").append(fmt(perRequestMicros(run.cpu().sum(CpuWindow::isPostgres), run.result())
                                - perRequestMicros(base.get().cpu().sum(CpuWindow::isPostgres), base.get().result()), 0))
                        .append(" |\n");
            }
            Optional<MemoryRun> warm = memoryRun(memory, "turn, Redis warm");
            Optional<MemoryRun> cold = memoryRun(memory, "turn, Redis cold");
            List<OpenLoopLoad.Result> interleaved = memoryInterleaved.getOrDefault(rate, List.of());
            if (interleaved.size() == 2) {
                md.append("\nInterleaved: the chat completion and the warm turn request by request, ").append(rate)
                        .append(" requests/s in total, so both meet the same machine at the same moments:\n\n")
                        .append("| Target | p50 | p90 | p99 | p99.9 | max | ok | failed |\n"
                                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
                for (OpenLoopLoad.Result r : interleaved) {
                    md.append("| ").append(r.target()).append(" (interleaved)");
                    for (double p : PERCENTILES) {
                        md.append(" | ").append(ms(r.latency().getValueAtPercentile(p)));
                    }
                    md.append(" | ").append(ms(r.latency().getMaxValue())).append(" | ").append(r.ok()).append(" | ")
                            .append(r.failed()).append(" |\n");
                }
                double added = added(interleaved.get(0), interleaved.get(1), 50) / 1000.0;
                target("A turn in a 100-item conversation adds ≤ 2 ms p50 over a chat completion of the same size at "
                        + rate + "/s, history from Redis, interleaved (issue 20)", fmt(added, 3) + " ms", added <= 2);
            }
            if (warm.isPresent()) {
                double added = added(base.get().result(), warm.get().result(), 50) / 1000.0;
                targets.add(new String[] {"The same, one phase after the other (reported, issue 20)",
                        fmt(added, 3) + " ms", "reported"});
            }
            if (cold.isPresent()) {
                double added = added(base.get().result(), cold.get().result(), 50) / 1000.0;
                targets.add(new String[] {"The same with Redis cold at " + rate
                        + "/s (history from PostgreSQL; reported, issue 20)",
                        fmt(added, 3) + " ms", "reported"});
            }
        }
        md.append('\n');
    }

    private static Optional<MemoryRun> memoryRun(List<MemoryRun> memory, String prefix) {
        return memory.stream().filter(run -> run.result().target().startsWith(prefix)).findFirst();
    }

    private static double perRequestMicros(double cpuSeconds, OpenLoopLoad.Result r) {
        return r.ok() == 0 ? Double.NaN : cpuSeconds / r.ok() * 1e6;
    }

    private String semanticSection() {
        if (semantic.isEmpty()) {
            return "";
        }
        SemanticRun first = semantic.get(0);
        StringBuilder md = new StringBuilder("## Semantic cache with ").append(first.questions())
                .append(" stored questions\n\n");
        md.append("A tenant in semantic mode whose partition (the benchmark request's context) holds ")
                .append(first.questions()).append(" logged questions (random unit vectors); the gateway indexed them in ")
                .append(first.indexing().toSeconds()).append(" s. Every request asks a new question: an exact miss, "
                        + "its embedding by `local-minilm` through the orchestrator, a search of the partition, a "
                        + "near miss refused by the rule (another number), a provider call; beside the same requests "
                        + "of an exact-cache tenant. The lookup columns are the gateway's "
                        + "`sluice_cache_lookup_duration_seconds{kind=\"semantic\"}` over the measured window "
                        + "(interpolated in its buckets: 1, 2, 5, 10, 25 ms ...). Latency in ms from the due time; CPU "
                        + "in µs per request.\n\n");
        md.append("| Target | Rate/s | p50 | p90 | p99 | ok | failed | semantic lookups | lookup p50 | lookup p90 |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SemanticRun run : semantic) {
            OpenLoopLoad.Result r = run.result();
            md.append("| ").append(r.target()).append(" | ").append(r.rate()).append(" | ")
                    .append(ms(r.latency().getValueAtPercentile(50))).append(" | ")
                    .append(ms(r.latency().getValueAtPercentile(90))).append(" | ")
                    .append(ms(r.latency().getValueAtPercentile(99))).append(" | ").append(r.ok()).append(" | ")
                    .append(r.failed()).append(" | ").append(run.lookups()).append(" | ")
                    .append(run.lookups() > 0 ? fmt(run.lookupP50Ms(), 2) : "").append(" | ")
                    .append(run.lookups() > 0 ? fmt(run.lookupP90Ms(), 2) : "").append(" |\n");
        }
        md.append('\n').append(cpuHeader());
        semantic.forEach(run -> md.append(cpuRow(run.result().target(), run.result().ok(), run.cpu())));
        semantic.stream().filter(run -> run.lookups() > 0).findFirst().ifPresent(run -> target(
                "A semantic lookup with " + run.questions() + " stored questions costs ≤ 10 ms p50, embedding "
                        + "included (issue 19)", fmt(run.lookupP50Ms(), 2) + " ms", run.lookupP50Ms() <= 10));
        return md.append('\n').toString();
    }

    private Optional<OpenLoopLoad.Result> cached(String target) {
        return cache.keySet().stream().filter(r -> r.target().equals(target)).findFirst();
    }

    /** The same open loop through two do-nothing proxies: the CPU and latency two hops cost before any work. */
    private String floorSection() {
        if (floor.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("#### The floor of two hops: two pass-through proxies\n\n");
        md.append("The same open loop (same body, same rates) through two `PassThroughProxy` processes chained in "
                + "front of sim-provider: each forwards the body and relays the answer on one Vert.x event loop, "
                + "with no other work, as a service's own JVM (`-Xmx64m -XX:+UseSerialGC`). The suite's gateway and "
                + "orchestrator are two such hops plus their work, so their CPU per request cannot go below the "
                + "proxies' on this machine. µs of CPU per request; latency added over direct, ms.\n\n");
        md.append("| Rate/s | requests | front proxy | back proxy | **two proxies** | sim-provider | added p50 | "
                + "added p99 | suite: gateway + orchestrator | suite: services + Redis |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        floor.forEach((r, cpu) -> {
            long requests = Math.max(1, r.ok());
            Optional<OpenLoopLoad.Result> direct = find(r.rate(), "direct");
            Optional<OpenLoopLoad.Result> suite = find(r.rate(), "suite");
            md.append("| ").append(r.rate()).append(" | ").append(r.ok()).append(" | ")
                    .append(perRequest(cpu.sum("front proxy"::equals), requests)).append(" | ")
                    .append(perRequest(cpu.sum("back proxy"::equals), requests)).append(" | **")
                    .append(perRequest(cpu.sum(name -> name.endsWith("proxy")), requests)).append("** | ")
                    .append(perRequest(cpu.sum("sim-provider"::equals), requests)).append(" | ")
                    .append(direct.map(d -> ms(added(d, r, 50))).orElse("-")).append(" | ")
                    .append(direct.map(d -> ms(added(d, r, 99))).orElse("-")).append(" | ")
                    .append(suite.map(s -> perRequest(openLoopCpu.get(s).sum(name -> CpuWindow.isGateway(name)
                            || name.equals("orchestrator-service")), Math.max(1, s.ok()))).orElse("-"))
                    .append(" | ")
                    .append(suite.map(s -> perRequest(sluiceAndRedis(openLoopCpu.get(s)), Math.max(1, s.ok())))
                            .orElse("-"))
                    .append(" |\n");
        });
        return md.append('\n').toString();
    }

    private String wrkSection() {
        if (wrk.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("## Closed loop: maximum throughput at fixed concurrency (wrk)\n\n");
        md.append("`wrk -t2 -c<N> -d").append(settings.wrkSeconds())
                .append("s --latency` with a Lua script for the POST body, after a 5 s wrk warm-up; latency in ms.\n\n");
        md.append("| Connections | Target | requests/s | p50 | p75 | p90 | p99 | non-2xx | socket errors |\n")
                .append("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (WrkRun.Result r : wrk) {
            md.append("| ").append(r.connections()).append(" | ").append(r.target()).append(" | ")
                    .append(fmt(r.requestsPerSecond(), 0));
            for (String p : List.of("50", "75", "90", "99")) {
                Double v = r.percentilesMicros().get(p);
                md.append(" | ").append(v == null ? "-" : fmt(v / 1000, 2));
            }
            md.append(" | ").append(r.non2xx()).append(" | ").append(r.socketErrors()).append(" |\n");
            if (r.target().equals("suite") && r.connections() == 64) {
                target("Throughput through the suite ≥ 5,000/s at 64 connections",
                        fmt(r.served() / r.seconds(), 0) + "/s", r.non2xx() == 0 && r.served() / r.seconds() >= 5000);
            }
        }
        md.append("\n**CPU per request through the suite at maximum throughput:**\n\n").append(cpuHeader());
        for (WrkRun.Result r : wrk) {
            if (r.target().equals("suite")) {
                md.append(cpuRow("wrk " + r.connections() + " connections", r.served(), wrkCpu.get(r)));
            }
        }
        return md.append('\n').toString();
    }

    private String streamSection() {
        if (streams.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("## Streaming\n\n");
        md.append(settings.streams()).append(" streamed requests per target and setting at ")
                .append(settings.streamRate()).append("/s (`stream_options.include_usage`, 16 content chunks). ")
                .append("`sim gap` is the pause sim-provider makes between events (a sim rule, so it applies to ")
                .append("direct and suite alike; 0 is its default). First byte: from the due time to the first ")
                .append("body byte. Gaps: between consecutive SSE events as the client receives them. ms.\n\n");
        md.append("| sim gap | Target | first byte p50 | p90 | p99 | gap p50 | gap p99 | events per stream "
                + "(count × streams) | network reads | failed |\n|---:|---|---:|---:|---:|---:|---:|---|---:|---:|\n");
        for (Map.Entry<Integer, StreamProbe.Result> entry : streams) {
            StreamProbe.Result r = entry.getValue();
            md.append("| ").append(entry.getKey()).append(" | ").append(r.target()).append(" | ")
                    .append(ms(r.firstByte().getValueAtPercentile(50))).append(" | ")
                    .append(ms(r.firstByte().getValueAtPercentile(90))).append(" | ")
                    .append(ms(r.firstByte().getValueAtPercentile(99))).append(" | ")
                    .append(ms(r.gaps().getValueAtPercentile(50))).append(" | ")
                    .append(ms(r.gaps().getValueAtPercentile(99))).append(" | ");
            r.eventsPerStream().forEach((events, count) -> md.append(events).append(" × ").append(count).append(' '));
            md.append("| ").append(r.networkReads()).append(" | ").append(r.failed()).append(" |\n");
        }
        Optional<StreamProbe.Result> direct = stream(0, "direct");
        Optional<StreamProbe.Result> suite = stream(0, "suite");
        if (direct.isPresent() && suite.isPresent()) {
            double addedP50 = (suite.get().firstByte().getValueAtPercentile(50)
                    - direct.get().firstByte().getValueAtPercentile(50)) / 1000.0;
            target("Streaming adds ≤ 1 ms to the first byte (p50, sim gap 0)", fmt(addedP50, 3) + " ms",
                    addedP50 <= 1);
        }
        boolean sameCounts = streams.stream().map(Map.Entry::getKey).distinct().allMatch(gap -> {
            Optional<StreamProbe.Result> d = stream(gap, "direct");
            Optional<StreamProbe.Result> s = stream(gap, "suite");
            return d.isPresent() && s.isPresent() && d.get().failed() == 0 && s.get().failed() == 0
                    && d.get().eventsPerStream().keySet().equals(s.get().eventsPerStream().keySet())
                    && d.get().eventsPerStream().size() == 1;
        });
        target("Streams through the suite carry exactly the events the upstream sent (no merging)",
                sameCounts ? "same event count per stream as direct, every stream" : "event counts differ (see table)",
                sameCounts);
        return md.append('\n').toString();
    }

    private String resourcesSection() {
        StringBuilder md = new StringBuilder();
        if (!rss.isEmpty()) {
            md.append("## Memory after the load (VmRSS, MiB)\n\nJVM options as LocalSuite started each process.\n\n"
                    + "| Process | RSS | JVM options |\n|---|---:|---|\n");
            double worst = 0;
            String worstName = "";
            for (Map.Entry<String, Double> e : rss.entrySet()) {
                String options = jvmOptions.getOrDefault(e.getKey(), "");
                md.append("| ").append(e.getKey()).append(" | ").append(fmt(e.getValue(), 0)).append(" | ")
                        .append(options.isEmpty() ? "" : "`" + options + "`").append(" |\n");
                if (CpuWindow.isService(e.getKey()) && e.getValue() > worst) {
                    worst = e.getValue();
                    worstName = e.getKey();
                }
            }
            target("Each service ≤ 256 MiB RSS after the run", "largest: " + worstName + " " + fmt(worst, 0)
                    + " MiB", worst <= 256);
            md.append('\n');
        }
        if (!startups.isEmpty()) {
            md.append("## Start-up (JVM mode, JDK ").append(Runtime.version().feature()).append(")\n\n")
                    .append("A second instance of each running service, started with its own command line and "
                            + "environment on a free port; seconds from spawning the process to the first 200 from "
                            + "`/q/health/ready` (Quarkus' own \"started in\" in brackets), ")
                    .append(settings.startupRuns()).append(" starts each, median. AppCDS: the archive the "
                            + "image carries, recorded by `docker/Dockerfile.jvm`'s step as the image build runs it "
                            + "(one start with no database or Redis reachable, `-XX:ArchiveClassesAtExit`), then "
                            + "`-XX:SharedArchiveFile`. "
                            + "Hook mode: with AppCDS and without Flyway at start, as the chart starts a service with "
                            + "migrations by default (a pre-install/pre-upgrade Job migrates).\n\n")
                    .append("| Service | JVM: ready | JVM with AppCDS: ready | AppCDS, hook mode: ready | archive MiB "
                            + "| CDS warnings |\n")
                    .append("|---|---:|---:|---:|---:|---|\n");
            double slowest = 0;
            String slowestName = "";
            double slowestWithArchive = 0;
            String slowestWithArchiveName = "";
            for (StartupTimer.Result r : startups) {
                double plain = medianReady(r.plain());
                // As the chart runs it: with the archive, and migrated by the hook Job where the service migrates
                List<StartupTimer.Start> deployed = r.appCdsMigratedByHook().isEmpty() ? r.appCds()
                        : r.appCdsMigratedByHook();
                double withArchive = deployed.isEmpty() ? Double.POSITIVE_INFINITY : medianReady(deployed);
                if (withArchive > slowestWithArchive) {
                    slowestWithArchive = withArchive;
                    slowestWithArchiveName = r.service();
                }
                md.append("| ").append(r.service()).append(" | ").append(readyCell(r.plain())).append(" | ")
                        .append(r.appCds().isEmpty() ? "no archive" : readyCell(r.appCds()))
                        .append(" | ").append(readyCell(r.appCdsMigratedByHook()))
                        .append(" | ").append(fmt(r.archiveBytes() / 1048576.0, 0)).append(" | ")
                        .append(r.appCds().stream().map(StartupTimer.Start::cdsWarning).flatMap(Optional::stream)
                                .findFirst().orElse("none"))
                        .append(" |\n");
                if (plain > slowest) {
                    slowest = plain;
                    slowestName = r.service();
                }
            }
            target("Each service starts in ≤ 2 s in JVM mode (to ready, without AppCDS)",
                    "slowest: " + slowestName + " " + fmt(slowest, 2) + " s", slowest <= 2);
            target("Each service starts in ≤ 2 s in JVM mode as the chart starts it (to ready, the image's AppCDS "
                    + "archive, hook mode where it migrates)",
                    "slowest: " + slowestWithArchiveName + " " + fmt(slowestWithArchive, 2) + " s",
                    slowestWithArchive <= 2);
            md.append('\n');
        }
        return md.toString();
    }

    private String profileSection() {
        if (profiles.isEmpty()) {
            return "";
        }
        boolean async = "async".equals(settings.profiler());
        String during = settings.seconds() + " s open-loop run ("
                + (profiledLoad == null ? "" : "p50 " + ms(profiledLoad.latency().getValueAtPercentile(50))
                        + " ms, p99 " + ms(profiledLoad.latency().getValueAtPercentile(99)) + " ms while profiled")
                + ")";
        StringBuilder md = new StringBuilder("## Where the CPU goes (")
                .append(async ? "async-profiler" : "JFR").append(", through the suite at ")
                .append(settings.profileRate()).append("/s)\n\n")
                .append(async
                        ? "async-profiler attached to the running gateway and orchestrator (CPU samples every ms, "
                                + "kernel stacks included: frames ending in `_[k]` are the kernel) during a " + during
                                + ".\n\n"
                        : "`jcmd <pid> JFR.start settings=profile` on the running gateway and orchestrator during a "
                                + during + "; `jdk.ExecutionSample` events (Java code running on CPU only; time in "
                                + "the kernel, e.g. socket writes, shows as the Java frame that called it; "
                                + "`--profiler=async` shows it).\n\n");
        profiles.forEach((service, hot) -> {
            md.append("**").append(service).append("**: ").append(hot.samples()).append(" samples. By thread: ");
            top(hot.byThread(), 5).forEach(e -> md.append(e.getKey()).append(' ')
                    .append(pct(e.getValue(), hot.samples())).append("; "));
            md.append("\n\n| Top frame | share |\n|---|---:|\n");
            top(hot.topFrames(), 15).forEach(e -> md.append("| `").append(e.getKey()).append("` | ")
                    .append(pct(e.getValue(), hot.samples())).append(" |\n"));
            md.append("\n| Sluice method on the stack | share |\n|---|---:|\n");
            top(hot.sluiceInclusive(), 12).forEach(e -> md.append("| `").append(e.getKey()).append("` | ")
                    .append(pct(e.getValue(), hot.samples())).append(" |\n"));
            md.append('\n');
        });
        return md.toString();
    }

    private static String cpuHeader() {
        return "| Phase | requests | gateway | orchestrator | quota | telemetry | Redis | **services + Redis** | "
                + "PostgreSQL | sim-provider (upstream) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    }

    private static String cpuRow(String phase, long requests, CpuWindow cpu) {
        if (requests == 0) {
            return "| " + phase + " | 0 | | | | | | | | |\n";
        }
        return "| " + phase + " | " + requests + " | " + perRequest(cpu.sum(CpuWindow::isGateway), requests) + " | "
                + perRequest(cpu.sum("orchestrator-service"::equals), requests) + " | "
                + perRequest(cpu.sum("quota-service"::equals), requests) + " | "
                + perRequest(cpu.sum("telemetry-service"::equals), requests) + " | "
                + perRequest(cpu.sum(CpuWindow::isRedis), requests) + " | **"
                + perRequest(sluiceAndRedis(cpu), requests) + "** | "
                + perRequest(cpu.sum(CpuWindow::isPostgres), requests) + " | "
                + perRequest(cpu.sum("sim-provider"::equals), requests) + " |\n";
    }

    private static double sluiceAndRedis(CpuWindow cpu) {
        return cpu.sum(name -> CpuWindow.isService(name) || CpuWindow.isRedis(name));
    }

    private static String perRequest(double cpuSeconds, long requests) {
        return fmt(cpuSeconds / requests * 1e6, 0);
    }

    private void target(String what, String measured, boolean met) {
        targets.add(new String[] {what, measured, met ? "met" : "**missed**"});
    }

    private Optional<OpenLoopLoad.Result> find(int rate, String target) {
        return openLoop.stream().filter(r -> r.rate() == rate && r.target().equals(target)).findFirst();
    }

    private Optional<StreamProbe.Result> stream(int gap, String target) {
        return streams.stream().filter(e -> e.getKey() == gap && e.getValue().target().equals(target))
                .map(Map.Entry::getValue).findFirst();
    }

    private static long added(OpenLoopLoad.Result direct, OpenLoopLoad.Result suite, double percentile) {
        return suite.latency().getValueAtPercentile(percentile) - direct.latency().getValueAtPercentile(percentile);
    }

    /** Median ready time with Quarkus' "started in" in brackets; "-" when not measured. */
    private static String readyCell(List<StartupTimer.Start> starts) {
        if (starts.isEmpty()) {
            return "-";
        }
        return fmt(medianReady(starts), 2) + " (" + startedIn(starts) + ")";
    }

    private static double medianReady(List<StartupTimer.Start> starts) {
        return median(starts.stream().mapToDouble(StartupTimer.Start::readySeconds).toArray());
    }

    private static String startedIn(List<StartupTimer.Start> starts) {
        double[] values = starts.stream().map(StartupTimer.Start::quarkusSeconds).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).toArray();
        return values.length == 0 ? "-" : fmt(median(values), 2);
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(n).toList();
    }

    private static String pct(long part, long whole) {
        return fmt(100.0 * part / Math.max(1, whole), 1) + "%";
    }

    private static String ms(long micros) {
        return fmt(micros / 1000.0, 3);
    }

    private static String fmt(double value, int decimals) {
        return String.format(java.util.Locale.ROOT, "%,." + decimals + "f", value);
    }

    private void sampleLoad(String phase) {
        loadSamples.add(phase + " " + loadAverage());
    }

    private static String loadAverage() {
        String load = read("/proc/loadavg");
        return load.isEmpty() ? "?" : load.split(" ")[0];
    }

    private static String firstLine(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
