package io.sluice.benchmarks.ledger;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.sluice.contracts.UsageEvent;
import io.sluice.contracts.UsageEvent.Outcome;
import io.sluice.testsupport.stores.EmbeddedRedisStore;
import io.sluice.testsupport.stores.FreePort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Sustained ledger ingest: how many usage events per second the packaged telemetry-service (one replica,
 * {@code -Xmx256m}, default batch size) moves from the Redis Stream into PostgreSQL on this machine. Not a JMH
 * benchmark: the unit of work is a whole run. It starts an embedded Redis (in this JVM), PostgreSQL (test-support's
 * {@code PostgresMain}, its own JVM) and {@code telemetry-service/target/quarkus-app/quarkus-run.jar}, waits until
 * telemetry is ready, XADDs the events as fast as Redis takes them (much faster than the ledger writes), and polls
 * {@code sluice_usage_events_persisted_total} until every event is a row; the admin report then confirms the row
 * count from PostgreSQL.
 *
 * <p>Usage, from the repository root after {@code ./mvnw -B -pl telemetry-service,benchmarks -am package -DskipTests}:
 * {@code java -Xmx256m -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.ledger.LedgerIngestBenchmark
 * [events (50000)] [repository root (.)]}
 */
public final class LedgerIngestBenchmark {
    private static final String ADMIN_TOKEN = "ledger-benchmark-admin-token-0123456789";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration INGEST_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int XADD_PIPELINE = 1_000;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        Path root = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
        new LedgerIngestBenchmark().run(events, root);
    }

    private record Sample(long nanos, double persisted) {
    }

    private void run(int events, Path root) throws Exception {
        Path telemetryJar = requireFile(root.resolve("telemetry-service/target/quarkus-app/quarkus-run.jar"));
        String storesClasspath = testSupportClasspath(root);
        Path state = Files.createTempDirectory("sluice-ledger-bench-");
        List<Process> processes = new ArrayList<>();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        boolean completed = false;
        try (EmbeddedRedisStore redis = EmbeddedRedisStore.start(0)) {
            int postgresPort = FreePort.pick();
            // PostgresMain records the daemonized server's pid there, as for ./sluice
            Files.createDirectories(state.resolve("pids"));
            processes.add(start(state, "postgres", List.of(java(), "-Xmx128m", "-XX:+UseSerialGC", "-cp",
                    storesClasspath, "io.sluice.testsupport.suite.PostgresMain", Integer.toString(postgresPort),
                    state.toString()), Map.of()));
            awaitLine(state.resolve("postgres.log"), "postgres ready:");
            int telemetryPort = FreePort.pick();
            int managementPort = FreePort.pick();
            processes.add(start(state, "telemetry", List.of(java(), "-Xmx256m", "-XX:+UseSerialGC", "-jar",
                    telemetryJar.toString()), Map.of(
                            "TELEMETRY_PORT", Integer.toString(telemetryPort),
                            "TELEMETRY_MANAGEMENT_PORT", Integer.toString(managementPort),
                            "REDIS_URL", redis.url(),
                            "DB_HOST", "127.0.0.1", "DB_PORT", Integer.toString(postgresPort),
                            "DB_NAME", "postgres", "DB_USER", "postgres", "DB_PASSWORD", "postgres",
                            "SLUICE_ADMIN_TOKEN", ADMIN_TOKEN)));
            URI telemetry = URI.create("http://127.0.0.1:" + telemetryPort);
            URI management = URI.create("http://127.0.0.1:" + managementPort);
            awaitReady(management.resolve("/q/health/ready"));
            double persistedAtStart = persisted(management);

            RedisConnection connection = await(Redis.createClient(vertx,
                    new RedisOptions().setConnectionString(redis.url())).connect());
            long start = System.nanoTime();
            publish(connection, events);
            long published = System.nanoTime();

            List<Sample> samples = new ArrayList<>();
            long deadline = start + INGEST_TIMEOUT.toNanos();
            double done = 0;
            while (done < events && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
                done = persisted(management) - persistedAtStart;
                samples.add(new Sample(System.nanoTime(), done));
            }
            long finished = samples.get(samples.size() - 1).nanos();
            report(events, start, published, finished, samples, rowsToday(telemetry), done);
            completed = true;
        } finally {
            for (int i = processes.size() - 1; i >= 0; i--) {
                stop(processes.get(i));
            }
            vertx.close();
            if (completed) {
                deleteRecursively(state);
            } else {
                System.out.printf("logs kept in %s%n", state);
            }
        }
    }

    /** XADDs the events in pipelined chunks: 100 tenants, 3 keys each, four models, a few rejections. */
    private static void publish(RedisConnection connection, int events) {
        String[] models = { "sim-gpt", "sim-gpt-mini", "sim-claude", "sim-gemini" };
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<Future<Response>> inFlight = new ArrayList<>(XADD_PIPELINE);
        for (int i = 0; i < events; i++) {
            String model = models[i % models.length];
            boolean rejected = i % 50 == 0;
            UsageEvent event = UsageEvent.builder("bench-" + run + "-" + i)
                    .tenant("tenant-" + i % 100, "key-" + i % 300, i % 2 == 0 ? "PRO" : "FREE")
                    .route(model, rejected ? null : "openai", rejected ? null : model + "-a")
                    .tokens(rejected ? 0 : 200 + i % 1_000, rejected ? 0 : 50 + i % 300, i % 7 == 0 ? 100 : 0)
                    .timing(80 + i % 400, i % 3 == 0 ? 40 : -1)
                    .result(rejected ? 429 : 200, rejected ? Outcome.REJECTED : Outcome.SUCCESS)
                    .stream(i % 3 == 0).build();
            Request xadd = Request.cmd(Command.XADD).arg(UsageEvent.STREAM).arg("*");
            event.toFields().forEach((field, value) -> xadd.arg(field).arg(value));
            inFlight.add(connection.send(xadd));
            if (inFlight.size() == XADD_PIPELINE) {
                await(Future.all(inFlight));
                inFlight.clear();
            }
        }
        await(Future.all(inFlight));
    }

    private static void report(int events, long start, long published, long finished, List<Sample> samples,
            long rows, double persisted) {
        double seconds = (finished - start) / 1e9;
        // Sustained rate: between 10% and 90% of the events, away from the first batch and the last partial one.
        Sample from = samples.stream().filter(s -> s.persisted() >= events * 0.1).findFirst().orElse(samples.get(0));
        Sample to = samples.stream().filter(s -> s.persisted() >= events * 0.9).findFirst()
                .orElse(samples.get(samples.size() - 1));
        double sustained = (to.persisted() - from.persisted()) / Math.max(1e-9, (to.nanos() - from.nanos()) / 1e9);
        System.out.printf("%nLedger ingest: %,d events%n", events);
        System.out.printf("  published (XADD, pipelined %d) in %.2f s%n", XADD_PIPELINE, (published - start) / 1e9);
        System.out.printf("  persisted %,.0f events in %.2f s after the first XADD: %,.0f events/s overall%n",
                persisted, seconds, persisted / seconds);
        System.out.printf("  sustained (10%% -> 90%% of the events): %,.0f events/s%n", sustained);
        System.out.printf("  rows for today in PostgreSQL (admin report): %,d%s%n", rows,
                rows == events ? "" : "  <-- MISMATCH");
    }

    private long rowsToday(URI telemetry) throws IOException, InterruptedException {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                telemetry.resolve("/admin/usage?group_by=day&format=csv&from=" + today + "&to=" + today))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        String[] lines = response.body().split("\r\n");
        // date,requests,...: one line for today (none if nothing landed)
        return lines.length < 2 ? 0 : Long.parseLong(lines[1].split(",")[1]);
    }

    private double persisted(URI management) throws IOException, InterruptedException {
        String metrics = http.send(HttpRequest.newBuilder(management.resolve("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("sluice_usage_events_persisted_total ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("telemetry does not export sluice_usage_events_persisted_total");
    }

    private static Process start(Path state, String name, List<String> command, Map<String, String> env)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(state.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        System.out.printf("starting %s (log %s)%n", name, state.resolve(name + ".log"));
        return builder.start();
    }

    /** SIGTERM, so that PostgresMain's shutdown hook stops the daemonized server and telemetry stops cleanly. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** Waits until a launcher prints that its store is ready (PostgresMain does once the server accepts). */
    private static void awaitLine(Path log, String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("no '" + line + "' in " + log + " after " + START_TIMEOUT);
    }

    private void awaitReady(URI ready) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
        }
        throw new IllegalStateException(ready + " is not ready after " + START_TIMEOUT);
    }

    /** test-support's jar and its runtime classpath, as its package phase lists it (what ./sluice runs). */
    private static String testSupportClasspath(Path root) throws IOException {
        Path target = root.resolve("test-support/target");
        String dependencies = Files.readString(requireFile(target.resolve("classpath.txt"))).strip();
        try (Stream<Path> files = Files.list(target)) {
            Path jar = files.filter(p -> p.getFileName().toString().matches("test-support-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("build test-support first"));
            return jar + File.pathSeparator + dependencies;
        }
    }

    private static Path requireFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: run ./mvnw -B -pl telemetry-service,benchmarks -am "
                    + "package -DskipTests from the repository root first");
        }
        return path;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
