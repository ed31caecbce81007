package io.sluice.testsupport.suite;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One process of the local suite: how to start it and how to tell it is ready.
 *
 * @param readyUrl an HTTP URL answering 200 when ready, or {@code null} to wait for {@code port} to accept
 * @param serverName for a store launcher, the name under which it records the server process it runs (redis-server,
 *                   postgres-server), which is then also part of being ready; {@code null} otherwise
 */
record SuiteProcess(String name, List<String> command, Map<String, String> environment, int port, URI readyUrl,
        String serverName) {

    static SuiteProcess store(String name, List<String> command, int port, String serverName) {
        return new SuiteProcess(name, command, Map.of(), port, null, serverName);
    }

    static SuiteProcess http(String name, List<String> command, Map<String, String> environment, int port,
            URI readyUrl) {
        return new SuiteProcess(name, command, environment, port, readyUrl, null);
    }

    Path pidFile(Path stateDir) {
        return pidFile(stateDir, name);
    }

    Path serverPidFile(Path stateDir) {
        return pidFile(stateDir, serverName);
    }

    Path logFile(Path stateDir) {
        return stateDir.resolve("logs").resolve(name + ".log");
    }

    static Path pidFile(Path stateDir, String name) {
        return stateDir.resolve("pids").resolve(name + ".pid");
    }
}
