package io.sluice.testsupport.suite;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One process of the local suite: how to start it and how to tell it is ready.
 *
 * @param readyUrl an HTTP URL answering 200 when ready, or {@code null} to wait for {@code port} to accept
 */
record SuiteProcess(String name, List<String> command, Map<String, String> environment, int port, URI readyUrl) {

    Path pidFile(Path stateDir) {
        return stateDir.resolve("pids").resolve(name + ".pid");
    }

    Path logFile(Path stateDir) {
        return stateDir.resolve("logs").resolve(name + ".log");
    }
}
