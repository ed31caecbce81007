package io.sluice.benchmarks.suite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.SuitePorts;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/**
 * The whole-suite benchmark ({@code benchmarks/run.sh}): starts the suite exactly as {@code ./sluice up} does,
 * on free ports, and measures in one run what it adds over calling sim-provider directly: open-loop latency at fixed
 * rates, closed-loop throughput (wrk), streaming, CPU per request, memory and start-up time. Writes a markdown
 * report. Not a test: nothing here runs during {@code ./mvnw verify}.
 */
public final class SuiteBenchmark {
    private static final List<String> SERVICES =
            List.of("gateway-service", "orchestrator-service", "quota-service", "telemetry-service");

    private SuiteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.parse(args);
        SuiteReport report = new SuiteReport(settings);
        Path work = settings.root().resolve("benchmarks/target/suite-bench");
        LocalSuite suite = new LocalSuite(settings.root(), work.resolve("state"));
        log("starting the suite (as ./sluice up does)");
        LocalSuite.Started started = suite.up(SuitePorts.free(), null);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        try {
            String key = BenchTenant.create(started);
            io.vertx.core.http.HttpClient client = vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000).setIdleTimeout(60),
                    new PoolOptions().setHttp1MaxSize(1024).setMaxWaitQueueSize(-1));
            LoadTarget direct = LoadTarget.direct(started.ports().sim());
            LoadTarget throughSuite = LoadTarget.suite(started.gatewayUrl(), key);
            List<LoadTarget> targets = List.of(direct, throughSuite);
            io.vertx.core.Context context = vertx.getOrCreateContext();
            OpenLoopLoad load = new OpenLoopLoad(client, context);
            for (LoadTarget target : targets) { // both answer before anything is measured
                OpenLoopLoad.Result check = load.run(target, 20, 0, 1, OpenLoopLoad.Window.NONE);
                if (check.failed() > 0) {
                    throw new IllegalStateException(target.name() + ": " + check.failed() + " of 20 requests failed");
                }
            }
            if (settings.jitWarmUpSeconds() > 0) {
                log("JIT warm-up through the suite (at most " + settings.jitWarmUpSeconds() + " s)");
                report.jitWarmUp(JitWarmUp.run(throughSuite, suite.liveProcesses(), 10,
                        settings.jitWarmUpSeconds()));
            }
            if (settings.runs("open")) {
                for (int rate : settings.rates()) {
                    for (LoadTarget target : targets) {
                        log("open loop: " + target.name() + " at " + rate + " requests/s");
                        CpuWindow cpu = new CpuWindow(suite);
                        report.openLoop(load.run(target, rate, settings.warmupSeconds(), settings.seconds(), cpu), cpu);
                    }
                }
            }
            if (settings.runs("cache")) {
                // One rate, each target in turn: the response cache off, on and missing, on and hitting, direct.
                String cachingKey = BenchTenant.create(started, "benchmark-cache", "exact").key();
                LoadTarget miss = LoadTarget.suite("suite, cache miss", started.gatewayUrl(), cachingKey, true);
                LoadTarget hit = LoadTarget.suite("suite, cache hit", started.gatewayUrl(), cachingKey, false);
                load.run(hit, 20, 0, 1, OpenLoopLoad.Window.NONE); // stores the answer every hit then reads
                for (LoadTarget target : List.of(throughSuite, miss, hit, direct)) {
                    log("response cache: " + target.name() + " at " + SuiteReport.TARGET_RATE + " requests/s");
                    CpuWindow cpu = new CpuWindow(suite);
                    report.cache(load.run(target, SuiteReport.TARGET_RATE, settings.warmupSeconds(),
                            settings.seconds(), cpu), cpu);
                }
                // Then off and missing request by request at the same rate in total: a difference of a tenth of a
                // millisecond is below the drift between two phases, not below that of two neighbouring requests.
                log("response cache: off and missing interleaved at " + SuiteReport.TARGET_RATE + " requests/s");
                report.cacheInterleaved(load.interleaved(List.of(throughSuite, miss.askingAnew("interleaved")),
                        SuiteReport.TARGET_RATE, settings.warmupSeconds(), settings.seconds() * 2,
                        OpenLoopLoad.Window.NONE));
            }
            if (settings.runs("semantic")) {
                semantic(settings, started, load, suite, report);
            }
            if (settings.runs("memory")) {
                MemoryPhase.run(settings, started, load, suite, report, vertx);
            }
            if (settings.runs("floor")) {
                // The same rates through two do-nothing proxies: what two hops cost here before any work of Sluice's.
                try (ProxyFloor floor = ProxyFloor.start(started.ports().sim(), work)) {
                    log("floor: JIT warm-up of two pass-through proxies");
                    load.run(floor.target(), 2000, 0, 10, OpenLoopLoad.Window.NONE);
                    for (int rate : settings.rates()) {
                        log("floor: two pass-through proxies at " + rate + " requests/s");
                        Map<String, ProcessHandle> measured = new LinkedHashMap<>(floor.processes());
                        measured.put("sim-provider", suite.liveProcesses().get("sim-provider"));
                        CpuWindow cpu = new CpuWindow(() -> measured);
                        report.floor(load.run(floor.target(), rate, settings.warmupSeconds(), settings.seconds(), cpu),
                                cpu);
                    }
                }
            }
            if (settings.profileRate() > 0) {
                log(settings.profiler() + " profile of gateway and orchestrator at " + settings.profileRate()
                        + " requests/s");
                Map<String, ProcessHandle> live = suite.liveProcesses();
                ServiceProfile gateway = ServiceProfile.start(settings.profiler(), live.get("gateway-service"), work,
                        "gateway");
                ServiceProfile orchestrator = ServiceProfile.start(settings.profiler(),
                        live.get("orchestrator-service"), work, "orchestrator");
                OpenLoopLoad.Result profiled = load.run(throughSuite, settings.profileRate(), 2, settings.seconds(),
                        OpenLoopLoad.Window.NONE);
                report.profile("gateway-service", gateway.stop(), profiled);
                report.profile("orchestrator-service", orchestrator.stop(), profiled);
            }
            if (settings.runs("wrk")) {
                for (int connections : settings.connections()) {
                    for (LoadTarget target : targets) {
                        log("wrk: " + target.name() + " with " + connections + " connections");
                        WrkRun.run(target, connections, 5); // warm-up, not reported
                        CpuWindow cpu = new CpuWindow(suite);
                        cpu.opened();
                        WrkRun.Result result = WrkRun.run(target, connections, settings.wrkSeconds());
                        cpu.closed();
                        report.wrk(result, cpu);
                    }
                }
            }
            if (settings.runs("stream")) {
                StreamProbe probe = new StreamProbe(client, context);
                for (int gap : gap(settings.streamGapMs())) {
                    simRule(started.ports().sim(), gap);
                    for (LoadTarget target : targets) {
                        log("streaming: " + target.name() + ", sim gap " + gap + " ms");
                        report.stream(gap, probe.run(target, settings.streamRate(), settings.streams()));
                    }
                }
                simRule(started.ports().sim(), 0);
            }
            report.rss(ProcessStats.rssMiB(suite.liveProcesses()), ProcessStats.jvmOptions(suite.liveProcesses()));
            if (settings.runs("startup")) {
                StartupTimer timer = new StartupTimer(work.resolve("startup"));
                for (String service : SERVICES) {
                    log("start-up: " + service);
                    report.startup(timer.measure(service, suite.liveProcesses().get(service),
                            settings.startupRuns()));
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            log("stopping the suite");
            suite.down();
        }
        Files.createDirectories(settings.out().getParent());
        Files.writeString(settings.out(), report.markdown());
        System.out.println(report.markdown());
        log("report written to " + settings.out());
    }

    /**
     * The semantic cache with many stored questions: a tenant whose partition holds {@code semantic-questions} of
     * them, each request a new question (an exact miss, a search of them all, a near miss by the rule, a provider
     * call), beside the same requests as an exact-cache tenant: the difference is the semantic lookup, which the
     * gateway's histogram also times.
     */
    private static void semantic(BenchSettings settings, LocalSuite.Started started, OpenLoopLoad load,
            LocalSuite suite, SuiteReport report) throws Exception {
        BenchTenant.Created tenant = BenchTenant.create(started, "benchmark-semantic", "semantic");
        LoadTarget semanticMiss = LoadTarget.suite("suite, semantic miss", started.gatewayUrl(), tenant.key(), true);
        LoadTarget exactMiss = LoadTarget.suite("suite, cache miss", started.gatewayUrl(),
                BenchTenant.create(started, "benchmark-exact", "exact").key(), true);
        log("semantic cache: logging " + settings.semanticQuestions() + " stored questions");
        SemanticCacheProbe.preload(started.ports().redis(), tenant.tenantId(), settings.semanticQuestions());
        load.run(semanticMiss, 5, 0, 2, OpenLoopLoad.Window.NONE); // opens the tenant's index on the gateway
        String management = started.managementUrl("gateway-service");
        Duration indexing = SemanticCacheProbe.awaitIndexed(management, settings.semanticQuestions(),
                Duration.ofMinutes(10));
        log("semantic cache: indexed in " + indexing.toSeconds() + " s");
        load.run(semanticMiss, settings.semanticRate(), 0, 10, OpenLoopLoad.Window.NONE); // JIT, not measured
        // Lucene merges the index's segments in the background: measured once that is done.
        awaitQuiet(suite.liveProcesses().get("gateway-service"), Duration.ofMinutes(5));
        int rate = settings.semanticRate();
        for (LoadTarget target : List.of(exactMiss, semanticMiss)) {
            log("semantic cache: " + target.name() + " at " + rate + " requests/s");
            var before = SemanticCacheProbe.lookupBuckets(management);
            CpuWindow cpu = new CpuWindow(suite);
            OpenLoopLoad.Result result = load.run(target, rate, settings.warmupSeconds(), settings.seconds(), cpu);
            var after = SemanticCacheProbe.lookupBuckets(management);
            report.semantic(result, cpu, settings.semanticQuestions(), indexing,
                    SemanticCacheProbe.lookups(before, after), SemanticCacheProbe.quantileMs(before, after, 0.5),
                    SemanticCacheProbe.quantileMs(before, after, 0.9));
        }
    }

    /** Waits until {@code process} uses less than a fifth of a CPU over 5 s (or the limit passes). */
    private static void awaitQuiet(ProcessHandle process, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            double before = ProcessStats.cpuSeconds(Map.of("p", process)).get("p");
            Thread.sleep(5_000);
            double used = ProcessStats.cpuSeconds(Map.of("p", process)).get("p") - before;
            log(String.format("semantic cache: the gateway used %.0f%% of a CPU while idle", used / 5 * 100));
            if (used < 1.0) {
                return;
            }
        }
    }

    private static List<Integer> gap(int gapMs) {
        return gapMs > 0 ? List.of(0, gapMs) : List.of(0);
    }

    /** With {@code gapMs} > 0, every chat completion sim-provider streams waits that long between events. */
    private static void simRule(int simPort, int gapMs) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        URI rules = URI.create("http://127.0.0.1:" + simPort + "/sim/rules");
        http.send(HttpRequest.newBuilder(rules).DELETE().timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (gapMs > 0) {
            String rule = "{\"path\":\"/v1/chat/completions\",\"directives\":\"gap=" + gapMs + "\"}";
            HttpResponse<String> added = http.send(HttpRequest.newBuilder(rules).timeout(Duration.ofSeconds(5))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(rule))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (added.statusCode() != 201) {
                throw new IllegalStateException("sim rule refused: " + added.statusCode() + " " + added.body());
            }
        }
    }

    static void log(String message) {
        System.err.printf("[bench %s] %s%n", java.time.LocalTime.now().withNano(0), message);
    }
}
