package io.sluice.benchmarks.suite;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.sluice.testsupport.suite.LocalSuite;

/**
 * CPU seconds each process (of the suite, or of another set) used between {@link #opened} and {@link #closed}: the
 * measured part of one load phase. Divided by the requests served in that window it gives CPU per request.
 */
final class CpuWindow implements OpenLoopLoad.Window {
    private final Supplier<Map<String, ProcessHandle>> processes;
    private Map<String, Double> before = Map.of();
    private final Map<String, Double> used = new LinkedHashMap<>();
    private long openedAt;
    private double wallSeconds;

    CpuWindow(LocalSuite suite) {
        this(suite::liveProcesses);
    }

    CpuWindow(Supplier<Map<String, ProcessHandle>> processes) {
        this.processes = processes;
    }

    @Override
    public void opened() {
        before = ProcessStats.cpuSeconds(processes.get());
        openedAt = System.nanoTime();
    }

    @Override
    public void closed() {
        wallSeconds = (System.nanoTime() - openedAt) / 1e9;
        ProcessStats.cpuSeconds(processes.get())
                .forEach((name, after) -> used.put(name, after - before.getOrDefault(name, 0.0)));
    }

    /** CPU seconds by process name (services, gateway replicas, redis, redis-server, postgres, sim-provider...). */
    Map<String, Double> used() {
        return used;
    }

    double wallSeconds() {
        return wallSeconds;
    }

    /** Sum over the processes whose names {@code group} accepts. */
    double sum(java.util.function.Predicate<String> group) {
        return used.entrySet().stream().filter(e -> group.test(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
    }

    static boolean isService(String name) {
        return name.contains("-service");
    }

    /** gateway-service and its replicas (gateway-service-2, ...). */
    static boolean isGateway(String name) {
        return name.startsWith("gateway-service");
    }

    static boolean isRedis(String name) {
        return name.startsWith("redis");
    }

    static boolean isPostgres(String name) {
        return name.startsWith("postgres");
    }
}
