package io.sluice.testsupport.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/**
 * Starts and stops the whole suite as separate processes on loopback: Redis and PostgreSQL (embedded jars, each
 * behind its own small launcher JVM), sim-provider and the four packaged services, each with a bounded heap; one or
 * more gateway-service replicas share the rest. Used by {@code ./sluice} and by the end-to-end tests, so the command
 * users run is the one the tests exercise. Tests can also {@link #stop} a process as a crash would and
 * {@link #start} it again.
 */
public final class LocalSuite {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> BACKEND_SERVICES =
            List.of("quota-service", "telemetry-service", "orchestrator-service");
    /** down() stops the front door first and the stores last; the store servers are a backstop after their launchers. */
    private static final List<String> STOP_ORDER = List.of(SuitePorts.GATEWAY, "orchestrator-service",
            "telemetry-service", "quota-service", "sim-provider", "redis", "postgres", RedisMain.SERVER,
            PostgresMain.SERVER);
    /**
     * The services off the request path run on the C1 compiler alone: on 2 vCPUs C2 spends about 1.7 s of CPU while
     * a service starts, and tiered code profiles until C2 takes over. The control plane's light load gains nothing
     * measurable from C2 (run 7); the ledger pays 8 µs of CPU per request at saturation for a start 0.5 s sooner
     * (benchmarks/RESULTS.md, run 9). The chart's javaOpts say the same.
     */
    private static final List<String> CLIENT_COMPILER_ONLY = List.of("quota-service", "telemetry-service");

    private final Path repoRoot;
    private final Path stateDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** What {@link #up} launched, by name, so that {@link #start} can launch it again the same way. */
    private final Map<String, SuiteProcess> launched = new LinkedHashMap<>();
    private final Optional<ClassDataArchives> classData;

    public LocalSuite(Path repoRoot, Path stateDir) {
        this(repoRoot, stateDir, false);
    }

    /**
     * @param classDataSharing whether the services start with AppCDS archives that earlier runs recorded (see
     *                         {@link ClassDataArchives}); {@code ./sluice} uses them, tests and benchmarks do not
     */
    public LocalSuite(Path repoRoot, Path stateDir, boolean classDataSharing) {
        this.repoRoot = repoRoot.toAbsolutePath().normalize();
        this.stateDir = stateDir.toAbsolutePath().normalize();
        this.classData = classDataSharing ? Optional.of(new ClassDataArchives(this.stateDir)) : Optional.empty();
    }

    /**
     * What {@link #up} leaves behind for the user: where to call and with which key; the admin token (/admin) and the
     * service token the services require of each other (/internal, the orchestrator's /v1).
     */
    public record Started(SuitePorts ports, String adminToken, String serviceToken, String demoKey) {
        /** The first gateway replica. */
        public String gatewayUrl() {
            return gatewayUrls().get(0);
        }

        /** Every gateway replica, first one first. */
        public List<String> gatewayUrls() {
            return ports.gateways().stream().map(port -> "http://localhost:" + port).toList();
        }

        public String quotaUrl() {
            return "http://127.0.0.1:" + ports.quota();
        }

        /** A service's (or gateway replica's) management interface, where {@code /q} (health, metrics) is served. */
        public String managementUrl(String name) {
            return "http://127.0.0.1:" + ports.management(name);
        }

        /** The {@code Authorization} header value of an internal call, as the gateway sends it. */
        public String serviceAuthorization() {
            return "Bearer " + serviceToken;
        }

        /** quota-service's admin API, authorised with this suite's admin token. */
        public QuotaAdmin admin() {
            return new QuotaAdmin(URI.create(quotaUrl()), adminToken);
        }
    }

    /**
     * Starts the suite with {@code ports.gateways().size()} gateway replicas, waits until every process is ready and
     * creates a demo tenant (plan PRO) with a key. A {@code null} admin token means a random one; the service token
     * is always a new random one, as a Secret the chart generates.
     */
    public Started up(SuitePorts ports, String adminToken) {
        return up(ports, adminToken, Map.of());
    }

    /**
     * As {@link #up(SuitePorts, String)}, with extra environment for every service, e.g.
     * {@code QUARKUS_CONFIG_LOCATIONS} naming a properties file that tests use to change the model catalogue.
     */
    public Started up(SuitePorts ports, String adminToken, Map<String, String> extraEnvironment) {
        Map<String, ProcessHandle> running = liveProcesses();
        if (!running.isEmpty()) {
            throw new IllegalStateException("the suite is already running (" + running.keySet()
                    + "); run './sluice down' first");
        }
        createDirectories();
        // Every run starts on empty stores; a store restarted by start(name) keeps its data (see PostgresMain).
        EmbeddedPostgresStore.deleteRecursively(stateDir.resolve(PostgresMain.DATA_DIRECTORY));
        String token = adminToken != null ? adminToken : randomToken("admin");
        String serviceToken = randomToken("service");
        Map<String, String> env = new HashMap<>(serviceEnvironment(ports, token, serviceToken));
        env.putAll(extraEnvironment);
        try {
            startAndAwait(List.of(redisProcess(ports), postgresProcess(ports), simProcess(ports)));
            List<SuiteProcess> services = new ArrayList<>();
            BACKEND_SERVICES.forEach(name -> services.add(serviceProcess(name, name, ports, env)));
            List<String> gateways = ports.gatewayNames();
            for (int i = 0; i < gateways.size(); i++) {
                Map<String, String> gatewayEnv = new HashMap<>(env);
                gatewayEnv.put("GATEWAY_PORT", Integer.toString(ports.gateways().get(i)));
                gatewayEnv.put("GATEWAY_MANAGEMENT_PORT", Integer.toString(ports.management(gateways.get(i))));
                services.add(serviceProcess(gateways.get(i), SuitePorts.GATEWAY, ports, gatewayEnv));
            }
            startAndAwait(services);
            QuotaAdmin admin = new QuotaAdmin(URI.create("http://127.0.0.1:" + ports.quota()), token);
            String demoKey = admin.issueKey(admin.createTenant("demo", "PRO"), "demo-key").key();
            writeSecret("admin-token", token);
            writeSecret("service-token", serviceToken);
            writeSecret("demo-key", demoKey);
            Files.writeString(stateDir.resolve("ports.env"), ports.toEnvironment());
            return new Started(ports, token, serviceToken, demoKey);
        } catch (IOException e) {
            down();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            down();
            throw e;
        }
    }

    /** Stops everything this suite started, front door first, and the processes those started (redis, postgres). */
    public List<String> down() {
        List<String> stopped = new ArrayList<>();
        Path pids = stateDir.resolve("pids");
        if (!Files.isDirectory(pids)) {
            return stopped;
        }
        for (String name : recordedNames().stream().sorted(Comparator.comparingInt(LocalSuite::stopRank)).toList()) {
            Path pidFile = SuiteProcess.pidFile(stateDir, name);
            PidFile.read(pidFile).ifPresent(process -> {
                stopTree(process);
                stopped.add(name);
            });
            PidFile.delete(pidFile);
        }
        classData.ifPresent(ClassDataArchives::keepRecorded);
        return stopped;
    }

    /**
     * Stops one service as Kubernetes does in a rolling update: SIGTERM, and waits until it has exited (SIGKILL after
     * the stop timeout). Only services started by {@link #up} on this instance; stores have no graceful stop here.
     */
    public void terminate(String name) {
        SuiteProcess spec = launchedProcess(name);
        if (spec.serverName() != null) {
            throw new IllegalArgumentException(name + " is a store; use stop(name)");
        }
        PidFile.read(spec.pidFile(stateDir)).ifPresent(LocalSuite::stopTree);
        PidFile.delete(spec.pidFile(stateDir));
    }

    /**
     * Kills one process of the suite abruptly, as a crash would, and waits until it is gone. A service gets SIGKILL.
     * For {@code redis} and {@code postgres} the server itself (redis-server, the postmaster and its backends) gets
     * SIGKILL; its launcher JVM is then terminated, which lets it delete the binaries it unpacked. Only processes
     * started by {@link #up} on this instance can be stopped.
     */
    public void stop(String name) {
        SuiteProcess spec = launchedProcess(name);
        Optional<ProcessHandle> launcher = PidFile.read(spec.pidFile(stateDir));
        List<ProcessHandle> servers = new ArrayList<>();
        if (spec.serverName() != null) {
            PidFile.read(spec.serverPidFile(stateDir)).ifPresent(server -> {
                servers.add(server);
                servers.addAll(server.descendants().toList());
            });
        }
        launcher.ifPresent(process -> servers.addAll(process.descendants().toList()));
        servers.forEach(ProcessHandle::destroyForcibly);
        servers.forEach(LocalSuite::waitForExit);
        launcher.ifPresent(process -> {
            if (spec.serverName() != null) {
                process.destroy();
            } else {
                process.destroyForcibly();
            }
            waitForExit(process);
        });
        if (spec.serverName() != null) {
            PidFile.delete(spec.serverPidFile(stateDir));
        }
        PidFile.delete(spec.pidFile(stateDir));
    }

    /**
     * Starts a process that {@link #stop} (or a crash) took away, on the same port and with the same settings, and
     * waits until it is ready. Redis comes back empty (it keeps nothing on disk, as after a crash without
     * persistence); PostgreSQL comes back with its data, recovered as after a crash.
     */
    public void start(String name) {
        SuiteProcess spec = launchedProcess(name);
        if (PidFile.read(spec.pidFile(stateDir)).isPresent()) {
            throw new IllegalStateException(name + " is already running");
        }
        try {
            startAndAwait(List.of(spec));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line per process: name, pid, whether it is alive, its port and (services) management port and readiness. */
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        Optional<SuitePorts> ports = readPorts();
        List<String> names = ports.map(p -> List.copyOf(p.byName().keySet())).orElse(recordedNames());
        for (String name : names) {
            Optional<ProcessHandle> process = PidFile.read(SuiteProcess.pidFile(stateDir, name));
            Integer port = ports.map(p -> p.byName().get(name)).orElse(null);
            String readiness = "";
            if (port != null && isService(name)) {
                int management = ports.get().management(name);
                readiness = " management " + management;
                if (process.isPresent()) {
                    readiness += httpOk(readyUrl(management)) ? " ready" : " not-ready";
                }
            }
            lines.add(String.format("%-22s %-8s %-7s %s%s", name, process.map(p -> String.valueOf(p.pid())).orElse("-"),
                    process.isPresent() ? "running" : "stopped", port == null ? "" : "port " + port, readiness));
        }
        return lines;
    }

    /** Every recorded process that is still running, by name: launched ones and the store servers below them. */
    public Map<String, ProcessHandle> liveProcesses() {
        Map<String, ProcessHandle> live = new LinkedHashMap<>();
        for (String name : recordedNames()) {
            PidFile.read(SuiteProcess.pidFile(stateDir, name)).ifPresent(process -> live.put(name, process));
        }
        return live;
    }

    public List<Long> livePids() {
        return liveProcesses().values().stream().map(ProcessHandle::pid).toList();
    }

    /** The log of one process (redis, postgres, sim-provider, a service or a gateway replica). */
    public Path logFile(String name) {
        return stateDir.resolve("logs").resolve(name + ".log");
    }

    /** Every log this suite has written. */
    public List<Path> logFiles() {
        Path logs = stateDir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SuiteProcess redisProcess(SuitePorts ports) {
        List<String> command = javaCommand("64m");
        command.addAll(List.of("-cp", moduleClasspath("test-support"), RedisMain.class.getName(),
                Integer.toString(ports.redis()), stateDir.toString()));
        return SuiteProcess.store("redis", command, ports.redis(), RedisMain.SERVER);
    }

    private SuiteProcess postgresProcess(SuitePorts ports) {
        List<String> command = javaCommand("128m");
        command.addAll(List.of("-cp", moduleClasspath("test-support"), PostgresMain.class.getName(),
                Integer.toString(ports.postgres()), stateDir.toString()));
        return SuiteProcess.store("postgres", command, ports.postgres(), PostgresMain.SERVER);
    }

    private SuiteProcess simProcess(SuitePorts ports) {
        List<String> command = javaCommand("128m");
        command.addAll(List.of("-cp", moduleClasspath("sim-provider"), "io.sluice.sim.Main",
                "--port", Integer.toString(ports.sim())));
        return SuiteProcess.http("sim-provider", command, Map.of(), ports.sim(),
                URI.create("http://127.0.0.1:" + ports.sim() + "/v1/models"));
    }

    private SuiteProcess serviceProcess(String name, String module, SuitePorts ports, Map<String, String> env) {
        Path jar = repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        requireBuilt(jar);
        List<String> command = javaCommand(heapOptions(module));
        if (CLIENT_COMPILER_ONLY.contains(module)) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        // Hands the memory the JIT and class loading freed back to the OS every few seconds (glibc keeps it).
        command.add("-XX:TrimNativeHeapInterval=5000");
        classData.ifPresent(archives -> command.addAll(archives.jvmOptions(name, jar)));
        command.addAll(List.of("-jar", jar.toString()));
        return SuiteProcess.http(name, command, env, ports.byName().get(name), readyUrl(ports.management(name)));
    }

    /** Readiness is served on the management port, as Kubernetes' probes read it. */
    private static URI readyUrl(int managementPort) {
        return URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
    }

    /**
     * A heap that keeps each service below 256 MiB resident after heavy load (benchmarks/RESULTS.md); the chart's
     * javaOpts say the same. The gateway's old generation also holds the prompt tokenizer's tables (about 30 MiB)
     * and, in a Redis outage, up to 100,000 buffered usage events (about 27 MiB): a smaller young one leaves room.
     */
    private static List<String> heapOptions(String module) {
        return SuitePorts.GATEWAY.equals(module) ? List.of("-Xmx96m", "-Xmn24m") : List.of("-Xmx96m");
    }

    private static Map<String, String> serviceEnvironment(SuitePorts ports, String adminToken, String serviceToken) {
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_PORT", Integer.toString(ports.gateway()));
        // Each replica's local fallback limiter (Redis unavailable) allows limit ÷ replicas.
        env.put("GATEWAY_REPLICAS", Integer.toString(ports.gateways().size()));
        env.put("ORCHESTRATOR_PORT", Integer.toString(ports.orchestrator()));
        env.put("QUOTA_PORT", Integer.toString(ports.quota()));
        env.put("TELEMETRY_PORT", Integer.toString(ports.telemetry()));
        env.put("GATEWAY_MANAGEMENT_PORT", Integer.toString(ports.management(SuitePorts.GATEWAY)));
        env.put("ORCHESTRATOR_MANAGEMENT_PORT", Integer.toString(ports.management("orchestrator-service")));
        env.put("QUOTA_MANAGEMENT_PORT", Integer.toString(ports.management("quota-service")));
        env.put("TELEMETRY_MANAGEMENT_PORT", Integer.toString(ports.management("telemetry-service")));
        env.put("ORCHESTRATOR_URL", "http://127.0.0.1:" + ports.orchestrator());
        env.put("QUOTA_URL", "http://127.0.0.1:" + ports.quota());
        env.put("TELEMETRY_URL", "http://127.0.0.1:" + ports.telemetry());
        env.put("PROVIDER_URL", "http://127.0.0.1:" + ports.sim());
        env.put("REDIS_URL", "redis://127.0.0.1:" + ports.redis());
        env.put("DB_HOST", "127.0.0.1");
        env.put("DB_PORT", Integer.toString(ports.postgres()));
        env.put("DB_NAME", "postgres");
        env.put("DB_USER", "postgres");
        env.put("DB_PASSWORD", "postgres");
        env.put("SLUICE_ADMIN_TOKEN", adminToken);
        env.put("SLUICE_SERVICE_TOKEN", serviceToken);
        return env;
    }

    private static List<String> javaCommand(String maxHeap) {
        return javaCommand(List.of("-Xmx" + maxHeap));
    }

    private static List<String> javaCommand(List<String> heapOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(heapOptions);
        command.add("-XX:+UseSerialGC");
        return command;
    }

    /** The module's jar plus its dependencies, as listed at package time by maven-dependency-plugin. */
    private String moduleClasspath(String module) {
        Path target = repoRoot.resolve(module).resolve("target");
        Path listed = target.resolve("classpath.txt");
        requireBuilt(listed);
        try (Stream<Path> files = Files.list(target)) {
            Path jar = files.filter(p -> p.getFileName().toString().matches(module + "-.*\\.jar")
                            && !p.getFileName().toString().endsWith("-tests.jar"))
                    .findFirst().orElseThrow(() -> notBuilt(target.resolve(module + ".jar")));
            return jar + java.io.File.pathSeparator + Files.readString(listed).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startAndAwait(List<SuiteProcess> processes) throws IOException {
        Map<SuiteProcess, Process> started = new LinkedHashMap<>();
        for (SuiteProcess spec : processes) {
            ProcessBuilder builder = new ProcessBuilder(spec.command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile(stateDir).toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(spec.environment());
            Process process = builder.start();
            PidFile.write(spec.pidFile(stateDir), process.toHandle());
            launched.put(spec.name(), spec);
            started.put(spec, process);
        }
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        for (SuiteProcess spec : processes) {
            Process process = started.get(spec);
            while (!isReady(spec)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(spec.name() + " exited with " + process.exitValue()
                            + "; last log lines:\n" + tail(spec.logFile(stateDir)));
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(spec.name() + " not ready after " + START_TIMEOUT.toSeconds()
                            + " s; last log lines:\n" + tail(spec.logFile(stateDir)));
                }
                pause();
            }
        }
    }

    private boolean isReady(SuiteProcess spec) {
        if (spec.readyUrl() != null) {
            return httpOk(spec.readyUrl());
        }
        if (spec.serverName() != null && PidFile.read(spec.serverPidFile(stateDir)).isEmpty()) {
            return false;
        }
        return HttpProbe.acceptsConnections(spec.port(), Duration.ofMillis(500));
    }

    private boolean httpOk(URI uri) {
        return HttpProbe.answers200(http, uri, Duration.ofSeconds(3));
    }

    private SuiteProcess launchedProcess(String name) {
        SuiteProcess spec = launched.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("'" + name + "' was not started by this suite; it started "
                    + launched.keySet());
        }
        return spec;
    }

    private static boolean isService(String name) {
        return BACKEND_SERVICES.contains(name) || name.startsWith(SuitePorts.GATEWAY);
    }

    private static int stopRank(String name) {
        // Unknown names (another launcher version's) go first, so the stores outlive whatever might use them.
        return STOP_ORDER.indexOf(name.startsWith(SuitePorts.GATEWAY) ? SuitePorts.GATEWAY : name);
    }

    /** Names of the processes with a pid file. */
    private List<String> recordedNames() {
        Path pids = stateDir.resolve("pids");
        if (!Files.isDirectory(pids)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(pids)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(file -> file.endsWith(".pid"))
                    .map(file -> file.substring(0, file.length() - ".pid".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopTree(ProcessHandle process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        waitForExit(process);
        // The store launchers stop their servers in a shutdown hook; anything left is forced.
        for (ProcessHandle child : descendants) {
            waitForExit(child);
            child.destroyForcibly();
        }
        process.destroyForcibly();
    }

    private static void waitForExit(ProcessHandle process) {
        try {
            process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<SuitePorts> readPorts() {
        Path file = stateDir.resolve("ports.env");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Map<String, String> env = new HashMap<>();
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return Optional.of(SuitePorts.fromEnvironment(env));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeSecret(String name, String value) throws IOException {
        Path file = stateDir.resolve(name);
        Files.writeString(file, value + "\n");
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
    }

    private void createDirectories() {
        try {
            Files.createDirectories(stateDir.resolve("pids"));
            Files.createDirectories(stateDir.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void requireBuilt(Path path) {
        if (!Files.exists(path)) {
            throw notBuilt(path);
        }
    }

    private static IllegalStateException notBuilt(Path path) {
        return new IllegalStateException(path + " is missing: build first with './mvnw -DskipTests package'");
    }

    private static String randomToken(String purpose) {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "sluice-" + purpose + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the suite", e);
        }
    }
}
