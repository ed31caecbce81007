package io.sluice.benchmarks.suite;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.testsupport.stores.FreePort;
import io.sluice.testsupport.suite.HttpProbe;
import io.sluice.testsupport.suite.ImageClassArchive;

/**
 * Start-up time of a service in JVM mode, with and without an application class-data-sharing archive (AppCDS).
 * Each start is a second instance of a service the suite runs, launched with that process' own command line and
 * environment (read from {@code /proc}) on free ports (service and management), so it starts exactly as
 * {@code ./sluice up} starts it and finds its dependencies up. Timed from just before the process is spawned to the
 * first 200 from {@code /q/health/ready} on its management port; Quarkus' own "started in" figure (after the JVM is
 * up) is read from its log.
 *
 * <p>The archive is the one the container image carries: {@code docker/Dockerfile.jvm}'s recording step, run as the
 * image build runs it (one start with no database or Redis reachable, {@code -XX:ArchiveClassesAtExit}, a JDK 17
 * dynamic archive) on a copy of the fast-jar, then starts of that copy with {@code -XX:SharedArchiveFile}.
 *
 * <p>A service with Flyway migrations is also timed as the chart starts it by default ({@code migrations.mode=hook}):
 * with the archive and {@code QUARKUS_FLYWAY_MIGRATE_AT_START=false}, because a Helm hook Job has migrated already.
 */
final class StartupTimer {
    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path workDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    StartupTimer(Path workDir) {
        this.workDir = workDir;
    }

    /** One start: wall time to ready, Quarkus' "started in", and any CDS warning the JVM printed. */
    record Start(double readySeconds, OptionalDouble quarkusSeconds, Optional<String> cdsWarning) {
    }

    /** {@code appCdsMigratedByHook} is empty for a service without migrations. */
    record Result(String service, List<Start> plain, List<Start> appCds, List<Start> appCdsMigratedByHook,
            long archiveBytes) {
    }

    Result measure(String service, ProcessHandle running, int runs) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        List<String> command = commandLine(running.pid());
        Map<String, String> environment = environment(running.pid());
        List<Start> plain = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            plain.add(start(service, command, environment, List.of(), service + "-plain-" + i));
        }
        Path jar = jar(command);
        Path module = jar.getParent().getParent().getParent();
        ImageClassArchive image = ImageClassArchive.forImageOf(module.resolveSibling("docker/Dockerfile.jvm"),
                jar.getParent());
        image.record();
        // The archive holds the path of the jar it was recorded with: the image's copy.
        List<String> imageCommand = command.stream()
                .map(arg -> arg.equals(jar.toString()) ? image.jar().toString() : arg).toList();
        List<String> useArchive = List.of("-XX:SharedArchiveFile=" + image.archive());
        List<Start> appCds = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            appCds.add(start(service, imageCommand, environment, useArchive, service + "-appcds-" + i));
        }
        List<Start> migratedByHook = new ArrayList<>();
        if (Files.isDirectory(module.resolve("src/main/resources/db/migration"))) {
            Map<String, String> hookEnvironment = new HashMap<>(environment);
            hookEnvironment.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "false"); // what the chart sets in hook mode
            for (int i = 0; i < runs; i++) {
                migratedByHook.add(start(service, imageCommand, hookEnvironment, useArchive, service + "-hook-" + i));
            }
        }
        return new Result(service, plain, appCds, migratedByHook, Files.size(image.archive()));
    }

    /** The quarkus-run.jar the service's command runs. */
    private static Path jar(List<String> command) {
        return command.stream().filter(arg -> arg.endsWith("quarkus-run.jar")).findFirst().map(Path::of)
                .orElseThrow(() -> new IllegalStateException("no quarkus-run.jar in " + command));
    }

    private Start start(String service, List<String> command, Map<String, String> environment, List<String> jvmFlags,
            String runName) throws IOException, InterruptedException {
        int port = FreePort.pick();
        int managementPort = FreePort.pick();
        List<String> launch = new ArrayList<>(command.subList(0, 1));
        launch.addAll(jvmFlags);
        launch.addAll(command.subList(1, command.size()));
        Path log = workDir.resolve(runName + ".log");
        ProcessBuilder builder = new ProcessBuilder(launch).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put(portVariable(service, "PORT"), Integer.toString(port));
        builder.environment().put(portVariable(service, "MANAGEMENT_PORT"), Integer.toString(managementPort));
        long spawned = System.nanoTime();
        Process process = builder.start();
        try {
            URI ready = URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
            long deadline = spawned + READY_TIMEOUT.toNanos();
            while (!isReady(ready)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(runName + " did not become ready; see " + log);
                }
                Thread.sleep(10);
            }
            double readySeconds = (System.nanoTime() - spawned) / 1e9;
            return new Start(readySeconds, startedIn(log), cdsWarning(log));
        } finally {
            process.destroy(); // SIGTERM: a normal exit, which is when the training run writes its archive
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private boolean isReady(URI uri) {
        return HttpProbe.answers200(http, uri, Duration.ofSeconds(2));
    }

    /**
     * GATEWAY_PORT (kind PORT) or GATEWAY_MANAGEMENT_PORT (MANAGEMENT_PORT) for gateway-service, and so on: the
     * variables each service reads its HTTP and management ports from.
     */
    private static String portVariable(String service, String kind) {
        return service.replace("-service", "").toUpperCase() + "_" + kind;
    }

    private static OptionalDouble startedIn(Path log) throws IOException {
        // The line may come a moment after readiness answers; wait briefly for it.
        for (int attempt = 0; attempt < 50; attempt++) {
            Matcher matcher = STARTED_IN.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (matcher.find()) {
                return OptionalDouble.of(Double.parseDouble(matcher.group(1)));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return OptionalDouble.empty();
    }

    private static Optional<String> cdsWarning(Path log) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains("[cds") || line.contains("shared archive")).findFirst();
    }

    private static List<String> commandLine(long pid) throws IOException {
        String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
        return List.of(raw.split("\0"));
    }

    private static Map<String, String> environment(long pid) throws IOException {
        String raw = Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.UTF_8);
        Map<String, String> environment = new HashMap<>();
        for (String entry : raw.split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                environment.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return environment;
    }
}
