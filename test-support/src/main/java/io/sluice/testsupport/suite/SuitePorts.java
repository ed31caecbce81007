package io.sluice.testsupport.suite;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sluice.testsupport.stores.FreePort;

/** The loopback ports of one local suite. */
public record SuitePorts(int redis, int postgres, int sim, int gateway, int orchestrator, int quota, int telemetry) {

    /** The documented defaults; each can be overridden by the environment variable of the same name. */
    public static SuitePorts fromEnvironment(Map<String, String> env) {
        return new SuitePorts(
                port(env, "REDIS_PORT", 16379),
                port(env, "DB_PORT", 15432),
                port(env, "SIM_PORT", 8090),
                port(env, "GATEWAY_PORT", 8080),
                port(env, "ORCHESTRATOR_PORT", 8081),
                port(env, "QUOTA_PORT", 8082),
                port(env, "TELEMETRY_PORT", 8083));
    }

    /** Free ports, so a test suite never collides with a running local suite. */
    public static SuitePorts free() {
        return new SuitePorts(FreePort.pick(), FreePort.pick(), FreePort.pick(), FreePort.pick(), FreePort.pick(),
                FreePort.pick(), FreePort.pick());
    }

    public Map<String, Integer> byName() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("redis", redis);
        ports.put("postgres", postgres);
        ports.put("sim-provider", sim);
        ports.put("quota-service", quota);
        ports.put("telemetry-service", telemetry);
        ports.put("orchestrator-service", orchestrator);
        ports.put("gateway-service", gateway);
        return ports;
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }
}
