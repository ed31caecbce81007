package io.sluice.testsupport.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.sluice.testsupport.stores.FreePort;

/**
 * The AppCDS recording step of {@code docker/Dockerfile.jvm}, run here as the image build runs it: the same shell
 * command, read from the Dockerfile, on a copy of a service's fast-jar standing in for {@code /deployments}, with no
 * PostgreSQL or Redis reachable. The end-to-end tests check the archive it leaves; the benchmark times starts that
 * map it. An archive is only valid for the jar path it was recorded with, so starts use {@link #jar()}.
 */
public final class ImageClassArchive {
    private static final Pattern RECORDING_STEP =
            Pattern.compile("^RUN (java (?:[^\\n]*\\\\\\n)*?[^\\n]*ArchiveClassesAtExit(?:[^\\n]*\\\\\\n)*[^\\n]*)$",
                    Pattern.MULTILINE);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final Path deployments;
    private final String command;

    private ImageClassArchive(Path deployments, String command) {
        this.deployments = deployments;
        this.command = command;
    }

    /** The recording step of {@code dockerfile}, to run against a copy of {@code fastJar} in a new directory. */
    public static ImageClassArchive forImageOf(Path dockerfile, Path fastJar) throws IOException {
        Matcher step = RECORDING_STEP.matcher(Files.readString(dockerfile));
        if (!step.find()) {
            throw new IllegalStateException(dockerfile + " has no RUN step that records an AppCDS archive");
        }
        Path scratch = Files.createTempDirectory("sluice-image-");
        Path deployments = scratch.resolve("deployments");
        copyTree(fastJar, deployments);
        String command = step.group(1).replace("\\\n", " ")
                .replace("/tmp/", scratch + "/")
                .replace("/deployments", deployments.toString());
        return new ImageClassArchive(deployments, command);
    }

    /** The image's archive, where the Dockerfile's step writes it. */
    public Path archive() {
        return deployments.resolve("app-cds.jsa");
    }

    /** The copy of the service's jar that the archive was recorded with. */
    public Path jar() {
        return deployments.resolve("quarkus-run.jar");
    }

    /** Runs the recording step as the image build does; fails with what it printed unless it succeeds. */
    public void record() throws IOException, InterruptedException {
        Path output = deployments.resolveSibling("recording.out");
        Process step = withoutStores(new ProcessBuilder("sh", "-c", command))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = step.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            step.destroyForcibly();
        }
        if (!ended || step.exitValue() != 0) {
            throw new IllegalStateException("the recording step " + (ended ? "failed" : "did not end within "
                    + TIMEOUT) + ": " + Files.readString(output));
        }
    }

    /**
     * Starts the service once more with {@code jvmOptions}, still without stores, until Quarkus reports it started
     * or the JVM exits; returns what it printed.
     */
    public String startOnce(List<String> jvmOptions) throws IOException, InterruptedException {
        Path output = deployments.resolveSibling("start.out");
        List<String> command = Stream.of(List.of("java", "-Xmx128m"), jvmOptions,
                List.of("-Dquarkus.http.port=0", "-Dquarkus.management.port=0", "-Dquarkus.flyway.migrate-at-start=false",
                        "-jar", jar().toString()))
                .flatMap(List::stream).toList();
        Process service = withoutStores(new ProcessBuilder(command))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            // A start without a client to answer signals only through its log.
            while (service.isAlive() && !Files.readString(output).contains(" started in ")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not started within " + TIMEOUT + ": " + Files.readString(output));
                }
                Thread.sleep(100);
            }
        } finally {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly().waitFor();
            }
        }
        return Files.readString(output);
    }

    /** Points PostgreSQL and Redis at ports where nothing listens, as in an image build. */
    private static ProcessBuilder withoutStores(ProcessBuilder process) {
        Map<String, String> env = process.environment();
        env.put("DB_HOST", "127.0.0.1");
        env.put("DB_PORT", Integer.toString(FreePort.pick()));
        env.put("REDIS_URL", "redis://127.0.0.1:" + FreePort.pick());
        return process;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(file -> {
                try {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
