package io.sluice.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.SuitePorts;

/**
 * {@code ./sluice up}'s AppCDS: the first run of each service records the classes it loads into an archive, written
 * when the service stops; the next run maps that archive instead of loading the classes again.
 */
class ClassDataSharingIT {
    private static final List<String> SERVICES =
            List.of("gateway-service", "orchestrator-service", "quota-service", "telemetry-service");

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
