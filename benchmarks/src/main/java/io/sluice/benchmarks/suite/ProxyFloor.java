package io.sluice.benchmarks.suite;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.sluice.testsupport.stores.FreePort;
import io.sluice.testsupport.suite.HttpProbe;

/**
 * Two {@link PassThroughProxy} processes chained in front of sim-provider, each started as the services are (its own
 * JVM, bounded heap, serial GC): the reference the suite's two hops are measured against.
 */
final class ProxyFloor implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, Process> proxies = new LinkedHashMap<>();
    private final int frontPort;

    private ProxyFloor(int frontPort) {
        this.frontPort = frontPort;
    }

    /** Starts "front proxy" → "back proxy" → sim-provider on {@code simPort}; logs go to {@code logDir}. */
    static ProxyFloor start(int simPort, Path logDir) throws IOException, InterruptedException {
        int backPort = FreePort.pick();
        ProxyFloor floor = new ProxyFloor(FreePort.pick());
        try {
            floor.launch("back proxy", backPort, simPort, logDir);
            floor.launch("front proxy", floor.frontPort, backPort, logDir);
        } catch (IOException | RuntimeException e) {
            floor.close();
            throw e;
        }
        return floor;
    }

    /** Where the load goes: the front proxy, with the body and route a direct call to sim-provider has. */
    LoadTarget target() {
        return new LoadTarget("two pass-through proxies", "http://127.0.0.1:" + frontPort + "/v1/chat/completions",
                Map.of(), false);
    }

    /** The two proxy processes by name, for CPU accounting. */
    Map<String, ProcessHandle> processes() {
        Map<String, ProcessHandle> handles = new LinkedHashMap<>();
        proxies.forEach((name, process) -> handles.put(name, process.toHandle()));
        return handles;
    }

    private void launch(String name, int port, int nextHopPort, Path logDir) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), PassThroughProxy.class.getName(), Integer.toString(port),
                Integer.toString(nextHopPort))
                .redirectErrorStream(true)
                .redirectOutput(logDir.resolve(name.replace(' ', '-') + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        proxies.put(name, process);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!HttpProbe.acceptsConnections(port, Duration.ofMillis(200))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not start; see its log in " + logDir);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        for (Process process : List.copyOf(proxies.values())) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
