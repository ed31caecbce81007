package io.sluice.testsupport.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.sluice.testsupport.stores.FreePort;

/**
 * The loopback ports of one local suite. {@code gateways} holds one port per gateway-service replica (at least one);
 * all replicas share the suite's Redis, orchestrator and quota-service. Each service also has its own management
 * port ({@code /q}: health, metrics), in {@code management} by process name.
 */
public record SuitePorts(int redis, int postgres, int sim, List<Integer> gateways, int orchestrator, int quota,
        int telemetry, Map<String, Integer> management) {
    static final String GATEWAY = "gateway-service";

    public SuitePorts {
        gateways = List.copyOf(gateways);
        management = Map.copyOf(management);
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("a suite needs at least one gateway-service replica");
        }
    }

    /**
     * The documented defaults; each can be overridden by the environment variable of the same name.
     * {@code GATEWAY_REPLICAS} (default 1) adds gateway replicas on {@code GATEWAY_REPLICA_PORTS} (comma-separated),
     * or on free ports when those are not given; their management ports are {@code GATEWAY_REPLICA_MANAGEMENT_PORTS}
     * or free ones.
     */
    public static SuitePorts fromEnvironment(Map<String, String> env) {
        int replicas = number(env, "GATEWAY_REPLICAS", 1 + list(env, "GATEWAY_REPLICA_PORTS").size());
        if (replicas < 1) {
            throw new IllegalArgumentException("GATEWAY_REPLICAS must be at least 1, was " + replicas);
        }
        List<Integer> gateways = replicaPorts(number(env, "GATEWAY_PORT", 8080), list(env, "GATEWAY_REPLICA_PORTS"),
                replicas);
        List<Integer> gatewayManagement = replicaPorts(number(env, "GATEWAY_MANAGEMENT_PORT", 9080),
                list(env, "GATEWAY_REPLICA_MANAGEMENT_PORTS"), replicas);
        return new SuitePorts(
                number(env, "REDIS_PORT", 16379),
                number(env, "DB_PORT", 15432),
                number(env, "SIM_PORT", 8090),
                gateways,
                number(env, "ORCHESTRATOR_PORT", 8081),
                number(env, "QUOTA_PORT", 8082),
                number(env, "TELEMETRY_PORT", 8083),
                services(gatewayManagement, number(env, "ORCHESTRATOR_MANAGEMENT_PORT", 9081),
                        number(env, "QUOTA_MANAGEMENT_PORT", 9082), number(env, "TELEMETRY_MANAGEMENT_PORT", 9083)));
    }

    /** Free ports and one gateway, so a test suite never collides with a running local suite. */
    public static SuitePorts free() {
        return free(1);
    }

    /** Free ports, with {@code gatewayReplicas} gateway-service instances. */
    public static SuitePorts free(int gatewayReplicas) {
        if (gatewayReplicas < 1) {
            throw new IllegalArgumentException("gatewayReplicas must be at least 1, was " + gatewayReplicas);
        }
        List<Integer> gateways = IntStream.range(0, gatewayReplicas).mapToObj(i -> FreePort.pick()).toList();
        List<Integer> gatewayManagement = IntStream.range(0, gatewayReplicas).mapToObj(i -> FreePort.pick()).toList();
        return new SuitePorts(FreePort.pick(), FreePort.pick(), FreePort.pick(), gateways, FreePort.pick(),
                FreePort.pick(), FreePort.pick(),
                services(gatewayManagement, FreePort.pick(), FreePort.pick(), FreePort.pick()));
    }

    /** The first gateway replica's port (the only one unless replicas were asked for). */
    public int gateway() {
        return gateways.get(0);
    }

    /** Process name of the gateway replica at {@code index}: gateway-service, gateway-service-2, ... */
    public static String gatewayName(int index) {
        return index == 0 ? GATEWAY : GATEWAY + "-" + (index + 1);
    }

    public List<String> gatewayNames() {
        return IntStream.range(0, gateways.size()).mapToObj(SuitePorts::gatewayName).toList();
    }

    /** Port by process name: redis, postgres, sim-provider, the services and every gateway replica. */
    public Map<String, Integer> byName() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("redis", redis);
        ports.put("postgres", postgres);
        ports.put("sim-provider", sim);
        ports.putAll(services(gateways, orchestrator, quota, telemetry));
        return ports;
    }

    /** The management port ({@code /q}) of a service or gateway replica, by process name. */
    public int management(String name) {
        Integer port = management.get(name);
        if (port == null) {
            throw new IllegalArgumentException(name + " has no management port; services: " + management.keySet());
        }
        return port;
    }

    /** The inverse of {@link #fromEnvironment}, as lines of NAME=value. */
    String toEnvironment() {
        List<Integer> gatewayManagement = IntStream.range(0, gateways.size())
                .mapToObj(i -> management(gatewayName(i))).toList();
        return "REDIS_PORT=" + redis + "\nDB_PORT=" + postgres + "\nSIM_PORT=" + sim
                + "\nGATEWAY_PORT=" + gateway() + "\nGATEWAY_REPLICAS=" + gateways.size()
                + "\nGATEWAY_REPLICA_PORTS=" + joined(gateways.subList(1, gateways.size()))
                + "\nORCHESTRATOR_PORT=" + orchestrator + "\nQUOTA_PORT=" + quota + "\nTELEMETRY_PORT=" + telemetry
                + "\nGATEWAY_MANAGEMENT_PORT=" + gatewayManagement.get(0)
                + "\nGATEWAY_REPLICA_MANAGEMENT_PORTS=" + joined(gatewayManagement.subList(1, gateways.size()))
                + "\nORCHESTRATOR_MANAGEMENT_PORT=" + management("orchestrator-service")
                + "\nQUOTA_MANAGEMENT_PORT=" + management("quota-service")
                + "\nTELEMETRY_MANAGEMENT_PORT=" + management("telemetry-service")
                + "\n";
    }

    /** One port per service process, by name: the back-end services, then every gateway replica. */
    private static Map<String, Integer> services(List<Integer> gateways, int orchestrator, int quota, int telemetry) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("quota-service", quota);
        ports.put("telemetry-service", telemetry);
        ports.put("orchestrator-service", orchestrator);
        for (int i = 0; i < gateways.size(); i++) {
            ports.put(gatewayName(i), gateways.get(i));
        }
        return ports;
    }

    /** The first replica's port, then the listed ones, then free ports up to {@code replicas}. */
    private static List<Integer> replicaPorts(int first, List<Integer> listed, int replicas) {
        List<Integer> ports = new ArrayList<>(List.of(first));
        ports.addAll(listed);
        while (ports.size() < replicas) {
            ports.add(FreePort.pick());
        }
        return ports.subList(0, replicas);
    }

    private static List<Integer> list(Map<String, String> env, String name) {
        String value = env.getOrDefault(name, "");
        List<Integer> ports = new ArrayList<>();
        if (!value.isBlank()) {
            for (String port : value.split(",")) {
                ports.add(Integer.parseInt(port.strip()));
            }
        }
        return ports;
    }

    private static String joined(List<Integer> ports) {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }
}
