package io.sluice.testsupport.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Starts and stops the whole suite as separate processes on loopback: real Redis and PostgreSQL (embedded jars),
 * sim-provider and the four packaged services, each with a bounded heap. Used by {@code ./sluice} and by the
 * end-to-end tests, so the command users run is the one the tests exercise.
 */
public final class LocalSuite {
    /** The daemonized PostgreSQL server below the stores process, stopped by it and, as a backstop, by pid. */
    static final String POSTGRES_SERVER = "postgres-server";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> SERVICES =
            List.of("quota-service", "telemetry-service", "orchestrator-service", "gateway-service");

    private final Path repoRoot;
    private final Path stateDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public LocalSuite(Path repoRoot, Path stateDir) {
        this.repoRoot = repoRoot.toAbsolutePath().normalize();
        this.stateDir = stateDir.toAbsolutePath().normalize();
    }

    /** What {@link #up} leaves behind for the user: where to call and with which key. */
    public record Started(SuitePorts ports, String adminToken, String demoKey) {
        public String gatewayUrl() {
            return "http://localhost:" + ports.gateway();
        }
    }

    public Started up(SuitePorts ports, String adminToken) {
        List<Long> running = livePids();
        if (!running.isEmpty()) {
            throw new IllegalStateException("the suite is already running (pids " + running + "); run './sluice down' first");
        }
        createDirectories();
        String token = adminToken != null ? adminToken : randomToken();
        Map<String, String> env = serviceEnvironment(ports, token);
        try {
            startAndAwait(List.of(storesProcess(ports)));
            startAndAwait(List.of(simProcess(ports)));
            startAndAwait(SERVICES.stream().map(name -> serviceProcess(name, ports, env)).toList());
            String demoKey = createDemoKey(ports, token);
            writeSecret("admin-token", token);
            writeSecret("demo-key", demoKey);
            Files.writeString(stateDir.resolve("ports.env"), portsEnv(ports));
            return new Started(ports, token, demoKey);
        } catch (IOException e) {
            down();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            down();
            throw e;
        }
    }

    /** Stops everything this suite started, newest first, and the processes those started (redis, postgres). */
    public List<String> down() {
        List<String> stopped = new ArrayList<>();
        Path pids = stateDir.resolve("pids");
        if (!Files.isDirectory(pids)) {
            return stopped;
        }
        List<String> order = new ArrayList<>(List.of("gateway-service", "orchestrator-service", "telemetry-service",
                "quota-service", "sim-provider", "stores", POSTGRES_SERVER));
        for (String name : order) {
            Path pidFile = pids.resolve(name + ".pid");
            readPid(pidFile).flatMap(ProcessHandle::of).ifPresent(process -> {
                stopTree(process);
                stopped.add(name);
            });
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stopped;
    }

    /** One line per process: name, pid, whether it is alive, its port and (services) readiness. */
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        Map<String, Integer> ports = readPorts();
        for (String name : List.of("stores", "sim-provider", "quota-service", "telemetry-service",
                "orchestrator-service", "gateway-service")) {
            Optional<Long> pid = readPid(stateDir.resolve("pids").resolve(name + ".pid"));
            boolean alive = pid.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
            Integer port = ports.get(name);
            String readiness = "";
            if (alive && port != null && SERVICES.contains(name)) {
                readiness = httpOk(URI.create("http://127.0.0.1:" + port + "/q/health/ready")) ? " ready" : " not-ready";
            }
            lines.add(String.format("%-22s %-8s %-7s %s%s", name, pid.map(String::valueOf).orElse("-"),
                    alive ? "running" : "stopped", port == null ? "" : "port " + port, readiness));
        }
        return lines;
    }

    public List<Long> livePids() {
        Path pids = stateDir.resolve("pids");
        if (!Files.isDirectory(pids)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(pids)) {
            return files.map(LocalSuite::readPid).flatMap(Optional::stream)
                    .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path logFile(String name) {
        return stateDir.resolve("logs").resolve(name + ".log");
    }

    private SuiteProcess storesProcess(SuitePorts ports) {
        List<String> command = javaCommand("128m");
        command.addAll(List.of("-cp", moduleClasspath("test-support"), StoresMain.class.getName(),
                Integer.toString(ports.redis()), Integer.toString(ports.postgres()), stateDir.toString()));
        return new SuiteProcess("stores", command, Map.of(), ports.postgres(), null);
    }

    private SuiteProcess simProcess(SuitePorts ports) {
        List<String> command = javaCommand("128m");
        command.addAll(List.of("-cp", moduleClasspath("sim-provider"), "io.sluice.sim.Main",
                "--port", Integer.toString(ports.sim())));
        return new SuiteProcess("sim-provider", command, Map.of(), ports.sim(),
                URI.create("http://127.0.0.1:" + ports.sim() + "/v1/models"));
    }

    private SuiteProcess serviceProcess(String name, SuitePorts ports, Map<String, String> env) {
        Path jar = repoRoot.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        requireBuilt(jar);
        List<String> command = javaCommand("256m");
        command.addAll(List.of("-jar", jar.toString()));
        int port = ports.byName().get(name);
        return new SuiteProcess(name, command, env, port, URI.create("http://127.0.0.1:" + port + "/q/health/ready"));
    }

    private static Map<String, String> serviceEnvironment(SuitePorts ports, String adminToken) {
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_PORT", Integer.toString(ports.gateway()));
        env.put("ORCHESTRATOR_PORT", Integer.toString(ports.orchestrator()));
        env.put("QUOTA_PORT", Integer.toString(ports.quota()));
        env.put("TELEMETRY_PORT", Integer.toString(ports.telemetry()));
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
        return env;
    }

    private List<String> javaCommand(String maxHeap) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ArrayList<>(List.of(java, "-Xmx" + maxHeap, "-XX:+UseSerialGC"));
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
        Map<SuiteProcess, Process> started = new HashMap<>();
        for (SuiteProcess spec : processes) {
            ProcessBuilder builder = new ProcessBuilder(spec.command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile(stateDir).toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(spec.environment());
            Process process = builder.start();
            Files.writeString(spec.pidFile(stateDir), Long.toString(process.pid()));
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
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", spec.port()), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean httpOk(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String createDemoKey(SuitePorts ports, String adminToken) throws IOException {
        String admin = "http://127.0.0.1:" + ports.quota() + "/admin";
        String tenant = post(admin + "/tenants", adminToken, "{\"name\":\"demo\",\"plan\":\"PRO\"}");
        String tenantId = jsonField(tenant, "id");
        String key = post(admin + "/tenants/" + tenantId + "/keys", adminToken, "{\"name\":\"demo-key\"}");
        return jsonField(key, "key");
    }

    private String post(String url, String adminToken, String json) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + adminToken)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads one top-level string field; enough for the two admin answers, without a JSON library here. */
    static String jsonField(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no '" + field + "' in " + json);
        }
        return matcher.group(1);
    }

    private static void stopTree(ProcessHandle process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        waitForExit(process);
        // The stores JVM stops redis-server and postgres in its shutdown hook; anything left is forced.
        for (ProcessHandle child : descendants) {
            waitForExit(child);
            child.destroyForcibly();
        }
        process.destroyForcibly();
    }

    private static void waitForExit(ProcessHandle process) {
        try {
            process.onExit().get(STOP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Integer> readPorts() {
        Map<String, Integer> ports = new HashMap<>();
        Path file = stateDir.resolve("ports.env");
        if (Files.exists(file)) {
            try {
                Map<String, String> env = new HashMap<>();
                for (String line : Files.readAllLines(file)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        env.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
                ports.putAll(SuitePorts.fromEnvironment(env).byName());
                ports.put("stores", ports.get("postgres"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ports;
    }

    private static String portsEnv(SuitePorts ports) {
        return "REDIS_PORT=" + ports.redis() + "\nDB_PORT=" + ports.postgres() + "\nSIM_PORT=" + ports.sim()
                + "\nGATEWAY_PORT=" + ports.gateway() + "\nORCHESTRATOR_PORT=" + ports.orchestrator()
                + "\nQUOTA_PORT=" + ports.quota() + "\nTELEMETRY_PORT=" + ports.telemetry() + "\n";
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

    private static Optional<Long> readPid(Path pidFile) {
        try {
            return Files.exists(pidFile) ? Optional.of(Long.parseLong(Files.readString(pidFile).strip()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
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

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "sluice-admin-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
