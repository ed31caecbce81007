package io.sluice.benchmarks.soak;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sluice.benchmarks.suite.BenchTenant;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;
import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.QuotaAdmin;
import io.sluice.testsupport.suite.SuitePorts;

/**
 * The soak ({@code bash benchmarks/run.sh --soak}): the local suite under mixed traffic (plain, streamed, refused,
 * cancelled and malformed requests) for a long run, with the heap after a full GC, open file descriptors, resident
 * memory, Redis' memory and keys and the ledger sampled each minute; at the end, every answered request must be in
 * the ledger exactly once. Writes a markdown report. Not a test: {@code ./mvnw verify} never runs it.
 *
 * <p>Options: {@code --root=} (the checkout), {@code --minutes=30}, {@code --rate=40} requests/s, {@code --threads=32},
 * {@code --sample-seconds=60}, {@code --settle-minutes=5} (left out of the trends), {@code --out=}.
 */
public final class SoakRun {
    private SoakRun() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("unknown argument " + arg + "; options: --root= --minutes= "
                        + "--rate= --threads= --sample-seconds= --settle-minutes= --out=");
            }
            options.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        Path root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        int minutes = Integer.parseInt(options.getOrDefault("minutes", "30"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "40"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "32"));
        int sampleSeconds = Integer.parseInt(options.getOrDefault("sample-seconds", "60"));
        int settleMinutes = Integer.parseInt(options.getOrDefault("settle-minutes", "5"));
        Path out = Path.of(options.getOrDefault("out", root.resolve("benchmarks/target/soak-report.md").toString()));

        LocalSuite suite = new LocalSuite(root, root.resolve("benchmarks/target/soak/state"));
        log("starting the suite (as ./sluice up does)");
        LocalSuite.Started started = suite.up(SuitePorts.free(), null);
        SoakReport report = new SoakReport(minutes, rate, threads, settleMinutes);
        try {
            MixedTraffic.Keys keys = keys(started);
            slowStreams(started.ports().sim());
            try (SuiteGauges gauges = new SuiteGauges(started.ports().redis(), started.ports().postgres(),
                    EmbeddedPostgresStore.DATABASE, EmbeddedPostgresStore.USER)) {
                MixedTraffic traffic = new MixedTraffic(started.gatewayUrl(), keys, threads);
                long start = System.nanoTime();
                traffic.start(rate);
                List<SuiteGauges.Sample> samples = new ArrayList<>();
                try (traffic) {
                    for (int sample = 1; sample * (long) sampleSeconds <= minutes * 60L; sample++) {
                        long due = start + Duration.ofSeconds((long) sample * sampleSeconds).toNanos();
                        Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                        SuiteGauges.Sample reading = gauges.read((System.nanoTime() - start) / 1_000_000_000,
                                traffic.answered().size(), suite.liveProcesses());
                        samples.add(reading);
                        log(SoakReport.line(reading));
                    }
                }
                log("load stopped; waiting for the ledger to record every answered request");
                List<String> answered = List.copyOf(traffic.answered());
                long[] ledger = gauges.ledgerRowsOf(answered);
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while ((ledger[0] < answered.size() || gauges.pending() > 0) && System.nanoTime() < deadline) {
                    Thread.sleep(2_000);
                    ledger = gauges.ledgerRowsOf(answered);
                }
                report.result(traffic, samples, answered.size(), ledger[0], ledger[1], gauges.pending());
            }
        } finally {
            log("stopping the suite");
            suite.down();
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.markdown());
        System.out.println(report.markdown());
        log("report written to " + out);
        if (!report.ledgerExact()) {
            System.exit(1);
        }
    }

    /** A tenant with room for the whole run, a FREE tenant kept over its quota, and a key allowed only sim-embed. */
    private static MixedTraffic.Keys keys(LocalSuite.Started started) throws Exception {
        QuotaAdmin admin = started.admin();
        String roomy = BenchTenant.create(started);
        String free = admin.issueKey(admin.createTenant("soak-free", "FREE"), "soak").key();
        String embeddingsOnly = admin.issueKey(admin.createTenant("soak-embed", "ENTERPRISE"), "soak",
                List.of("sim-embed")).key();
        return new MixedTraffic.Keys(roomy, free, embeddingsOnly);
    }

    /** sim-provider streams {@link MixedTraffic#SLOW_STREAM_MODEL} with 50 ms between events: time to leave. */
    private static void slowStreams(int simPort) throws Exception {
        String rule = "{\"model\":\"" + MixedTraffic.SLOW_STREAM_MODEL + "\",\"directives\":\"gap=50\"}";
        HttpResponse<String> added = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + simPort + "/sim/rules"))
                        .timeout(Duration.ofSeconds(5)).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(rule)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (added.statusCode() != 201) {
            throw new IllegalStateException("sim rule refused: " + added.statusCode() + " " + added.body());
        }
    }

    static void log(String message) {
        System.err.printf("[soak %s] %s%n", java.time.LocalTime.now().withNano(0), message);
    }
}
