package io.sluice.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.restassured.path.json.JsonPath;
import io.sluice.testsupport.stores.FreePort;

/**
 * A real Prometheus server (Debian's {@code prometheus}) on a free loopback port, scraping the suite's services the
 * way the chart's ServiceMonitors do ({@code /q/metrics} on each service's management port, a {@code sluice_service}
 * label per component) every second,
 * and evaluating the chart's alert rule file. Its storage is a temporary directory with bounded retention, removed by
 * {@link #close}, which also kills the server.
 */
final class PrometheusServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path workDir;
    private final String url;
    private final Thread killOnExit;

    private PrometheusServer(Process process, Path workDir, String url) {
        this.process = process;
        this.workDir = workDir;
        this.url = url;
        this.killOnExit = new Thread(process::destroyForcibly, "kill-prometheus");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts Prometheus and waits until it is ready.
     *
     * @param portsByService the management port of each component, by its {@code sluice_service} value (gateway,
     *                       orchestrator, quota, telemetry)
     */
    static PrometheusServer start(Map<String, Integer> portsByService, Path ruleFile) throws IOException {
        Path executable = onPath("prometheus");
        Path workDir = Files.createTempDirectory("sluice-prometheus-");
        Path config = Files.writeString(workDir.resolve("prometheus.yml"), config(portsByService, ruleFile));
        int port = FreePort.pick();
        ProcessBuilder builder = new ProcessBuilder(executable.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--storage.tsdb.retention.time=1h",
                "--storage.tsdb.retention.size=256MB",
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("prometheus.log").toFile());
        builder.environment().put("GOMAXPROCS", "1");
        builder.environment().put("GOMEMLIMIT", "256MiB");
        PrometheusServer server = new PrometheusServer(builder.start(), workDir, "http://127.0.0.1:" + port);
        server.awaitReady();
        return server;
    }

    /** The scrape jobs of the chart's ServiceMonitors, one per component, against loopback ports. */
    static String config(Map<String, Integer> portsByService, Path ruleFile) {
        String jobs = portsByService.entrySet().stream().map(service -> """
                  - job_name: %1$s
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ['127.0.0.1:%2$d']
                        labels:
                          sluice_service: %1$s
                """.formatted(service.getKey(), service.getValue())).collect(Collectors.joining());
        return """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - '%s'
                scrape_configs:
                %s""".formatted(ruleFile.toAbsolutePath(), jobs);
    }

    String url() {
        return url;
    }

    /** An instant query through the HTTP API; the answer's {@code data} (resultType, result). */
    JsonPath query(String promql) {
        return given().queryParam("query", promql).get(url + "/api/v1/query").then().extract().jsonPath();
    }

    JsonPath get(String apiPath) {
        return given().get(url + apiPath).then().statusCode(200).extract().jsonPath();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(workDir.resolve("prometheus.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        deleteRecursively(workDir);
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .failFast("prometheus exited", () -> !process.isAlive())
                    .ignoreExceptionsInstanceOf(IOException.class) // ConnectException until it listens
                    .until(() -> http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200);
        } catch (RuntimeException e) {
            String log = logTail();
            close();
            throw new IllegalStateException("prometheus did not become ready: " + e.getMessage() + "\n" + log, e);
        }
    }

    private static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(tool + " is not on PATH. Install Debian's package: apt-get install prometheus "
                + "(.ci/ensure-tools does it, and the e2e-tests build runs it when allowed)");
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
