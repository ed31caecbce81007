package io.sluice.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sluice.testsupport.suite.ImageClassArchive;
import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.SuitePorts;

/**
 * AppCDS, the two ways Sluice records an archive of the classes a service loads at start-up. {@code ./sluice up}: the
 * first run of each service records one, written when the service stops, and the next run maps it. The container
 * image: its build starts each service once, with no database or Redis to reach, and every pod maps that archive.
 */
class ClassDataSharingIT {
    private static final List<String> SERVICES =
            List.of("gateway-service", "orchestrator-service", "quota-service", "telemetry-service");

    @Test
    void theImageBuildRecordsAnArchiveWithoutStoresThatEveryStartOfTheServiceMaps() throws Exception {
        Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
        for (String service : SERVICES) {
            ImageClassArchive image = ImageClassArchive.forImageOf(root.resolve("docker/Dockerfile.jvm"),
                    root.resolve(service).resolve("target/quarkus-app"));
            image.record();
            assertTrue(Files.size(image.archive()) > 1 << 20, service + " image has an archive: " + image.archive());

            // -Xshare:on: a JVM that cannot map the archive refuses to start instead of running without it.
            String start = image.startOnce(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + image.archive(),
                    "-Xlog:class+load=info"));
            assertTrue(start.contains(" started in "), service + " started with its image's archive: " + start);
            long fromArchive = start.lines()
                    .filter(line -> line.contains(" io.sluice.") && line.endsWith("source: shared objects file (top)"))
                    .count();
            assertTrue(fromArchive >= 20, service + "'s own classes come from the archive, " + fromArchive + " did");
        }
    }

    @Test
    void theFirstRunRecordsAnArchivePerServiceWhenItStopsAndTheNextRunMapsIt() throws IOException {
        Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
        Path state = Files.createTempDirectory("sluice-cds-");
        LocalSuite suite = new LocalSuite(root, state, true);

        suite.up(SuitePorts.free(), "cds-admin-token");
        suite.down();
        for (String service : SERVICES) {
            Path archive = state.resolve("cds").resolve(service + ".jsa");
            assertTrue(Files.isRegularFile(archive) && Files.size(archive) > 1 << 20,
                    service + " left an archive of its classes: " + archive);
        }

        try {
            suite.up(SuitePorts.free(), "cds-admin-token");
            Map<String, ProcessHandle> running = suite.liveProcesses();
            for (String service : SERVICES) {
                // A JVM that cannot use an archive (wrong JDK, changed class path) warns and runs without it.
                String mapped = Files.readString(Path.of("/proc", Long.toString(running.get(service).pid()), "maps"));
                assertTrue(mapped.contains(state.resolve("cds").resolve(service + ".jsa").toString()),
                        service + " maps its archive");
            }
        } finally {
            suite.down();
        }
    }
}
