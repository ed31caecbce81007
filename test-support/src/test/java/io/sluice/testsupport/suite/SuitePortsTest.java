package io.sluice.testsupport.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SuitePortsTest {

    @Test
    void everyServiceHasItsOwnDocumentedManagementPort() {
        SuitePorts ports = SuitePorts.fromEnvironment(Map.of());
        assertEquals(9080, ports.management("gateway-service"));
        assertEquals(9081, ports.management("orchestrator-service"));
        assertEquals(9082, ports.management("quota-service"));
        assertEquals(9083, ports.management("telemetry-service"));
    }

    @Test
    void managementPortsAreOverriddenByTheEnvironmentAndExtraReplicasGetFreeOnes() {
        SuitePorts ports = SuitePorts.fromEnvironment(Map.of("GATEWAY_REPLICAS", "2",
                "GATEWAY_MANAGEMENT_PORT", "19080", "QUOTA_MANAGEMENT_PORT", "19082"));
        assertEquals(19080, ports.management("gateway-service"));
        assertEquals(19082, ports.management("quota-service"));
        assertNotEquals(0, ports.management("gateway-service-2"));
        assertEquals(2, ports.gateways().size());
    }

    @Test
    void theRecordedEnvironmentReadsBackAsTheSamePorts() {
        SuitePorts ports = SuitePorts.free(3);
        Map<String, String> env = new HashMap<>();
        for (String line : ports.toEnvironment().split("\n")) {
            env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        assertEquals(ports, SuitePorts.fromEnvironment(env));
        assertEquals(List.of("gateway-service", "gateway-service-2", "gateway-service-3"), ports.gatewayNames());
    }
}
