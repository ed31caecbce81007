package io.sluice.charttests;

import static io.sluice.charttests.Chart.ofKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Who may reach which port of which pod, and how Prometheus scrapes them. The tables below list every rendered
 * NetworkPolicy and every "peer -> port" it allows, so a change that opens a port to anyone fails here.
 */
class NetworkAndMonitoringTest {
    private static final String PROMETHEUS_PROD = "namespace kubernetes.io/metadata.name=monitoring"
            + " + pod app.kubernetes.io/name=prometheus";
    private static final String MONITORING_NAMESPACE = "namespace kubernetes.io/metadata.name=monitoring";
    private static final String OPERATORS = "namespace kubernetes.io/metadata.name=sluice-ops";
    private static final String HELM_TEST = "pod gateway-test";

    /** Per values file: NetworkPolicy name -> the "peer -> port" pairs it lets in. */
    private static final Map<Chart.Values, Map<String, Set<String>>> ALLOWED = Map.of(
            Chart.Values.PROD, Map.of(
                    "sluice-gateway", Set.of("anyone -> http", HELM_TEST + " -> management",
                            PROMETHEUS_PROD + " -> management"),
                    "sluice-orchestrator", Set.of("pod gateway -> http", OPERATORS + " -> http",
                            PROMETHEUS_PROD + " -> management"),
                    "sluice-quota", Set.of("pod gateway -> http", OPERATORS + " -> http",
                            PROMETHEUS_PROD + " -> management"),
                    "sluice-telemetry", Set.of("pod gateway -> http", OPERATORS + " -> http",
                            PROMETHEUS_PROD + " -> management")),
            Chart.Values.DEFAULT, Map.of(
                    "sluice-gateway", Set.of("anyone -> http", HELM_TEST + " -> management",
                            MONITORING_NAMESPACE + " -> management"),
                    "sluice-orchestrator", Set.of("pod gateway -> http", MONITORING_NAMESPACE + " -> management"),
                    "sluice-quota", Set.of("pod gateway -> http", MONITORING_NAMESPACE + " -> management"),
                    "sluice-telemetry", Set.of("pod gateway -> http", MONITORING_NAMESPACE + " -> management")),
            Chart.Values.DEV, Map.of(
                    "sluice-gateway", Set.of("anyone -> http", HELM_TEST + " -> management"),
                    "sluice-orchestrator", Set.of("pod gateway -> http"),
                    "sluice-quota", Set.of("pod gateway -> http"),
                    "sluice-telemetry", Set.of("pod gateway -> http"),
                    "sluice-redis", Set.of("pod gateway -> 6379", "pod orchestrator -> 6379", "pod quota -> 6379",
                            "pod telemetry -> 6379"),
                    "sluice-postgresql", Set.of("pod orchestrator -> 5432", "pod quota -> 5432",
                            "pod telemetry -> 5432", "pod migrations -> 5432"),
                    "sluice-sim-provider", Set.of("pod orchestrator -> 8090")));

    @ParameterizedTest
    @EnumSource(Chart.Values.class)
    void everyPeerReachesOnlyThePortItNeeds(Chart.Values values) {
        Map<String, Set<String>> rendered = new TreeMap<>();
        for (ObjectNode policy : ofKind(RenderedObjectsTest.rendered(values), "NetworkPolicy")) {
            rendered.put(Chart.name(policy), allowed(policy));
        }
        assertEquals(new TreeMap<>(ALLOWED.get(values)), rendered, values.id() + " values");
    }

    @Test
    void operatorsReachTheServicePortOfServicesWithAnAdminApiAndNothingElse() {
        List<ObjectNode> prod = RenderedObjectsTest.rendered(Chart.Values.PROD);
        for (ObjectNode policy : ofKind(prod, "NetworkPolicy")) {
            for (String pair : allowed(policy)) {
                if (pair.startsWith(OPERATORS)) {
                    assertEquals(OPERATORS + " -> http", pair, Chart.name(policy));
                    assertTrue(Set.of("sluice-orchestrator", "sluice-quota", "sluice-telemetry")
                            .contains(Chart.name(policy)), Chart.name(policy) + " has no /admin API");
                }
                if (pair.startsWith(PROMETHEUS_PROD)) {
                    assertEquals(PROMETHEUS_PROD + " -> management", pair, Chart.name(policy));
                }
            }
        }
    }

    @Test
    void oneServiceMonitorPerServiceScrapesTheManagementPortAndNamesTheService() {
        List<ObjectNode> prod = RenderedObjectsTest.rendered(Chart.Values.PROD);
        List<ObjectNode> monitors = ofKind(prod, "ServiceMonitor");
        assertEquals(4, monitors.size());
        for (ObjectNode monitor : monitors) {
            String component = monitor.path("metadata").path("labels").path("app.kubernetes.io/component").asText();
            assertEquals("kube-prometheus-stack", monitor.path("metadata").path("labels").path("release").asText());
            assertEquals(component, monitor.path("spec").path("selector").path("matchLabels")
                    .path("app.kubernetes.io/component").asText());
            JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
            assertEquals("/q/metrics", endpoint.path("path").asText());
            assertEquals("management", endpoint.path("port").asText());
            assertEquals("30s", endpoint.path("interval").asText());
            JsonNode relabel = endpoint.path("relabelings").get(0);
            assertEquals("sluice_service", relabel.path("targetLabel").asText());
            assertEquals(component, relabel.path("replacement").asText());
            // The Service names the port the ServiceMonitor scrapes, and it leads to the container's management port
            JsonNode port = servicePort(Chart.find(prod, "Service", "sluice-" + component), "management");
            assertEquals("management", port.path("targetPort").asText());
            assertEquals(9000, port.path("port").asInt());
        }
        assertTrue(ofKind(RenderedObjectsTest.rendered(Chart.Values.DEFAULT), "ServiceMonitor").isEmpty(), "switchable");
    }

    static JsonNode servicePort(JsonNode service, String name) {
        for (JsonNode port : service.path("spec").path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port;
            }
        }
        throw new AssertionError(Chart.id(service) + " has no port " + name);
    }

    /** Every "peer -> port" an ingress policy allows; a rule without peers lets in "anyone". */
    private static Set<String> allowed(JsonNode policy) {
        Set<String> pairs = new TreeSet<>();
        for (JsonNode rule : policy.path("spec").path("ingress")) {
            List<String> peers = new ArrayList<>();
            rule.path("from").forEach(peer -> peers.add(peer(peer)));
            if (peers.isEmpty()) {
                peers.add("anyone");
            }
            for (JsonNode port : rule.path("ports")) {
                peers.forEach(peer -> pairs.add(peer + " -> " + port.path("port").asText()));
            }
        }
        return pairs;
    }

    /** "pod <component>", or each selector's labels: "namespace k=v + pod k=v". */
    private static String peer(JsonNode peer) {
        List<String> selectors = new ArrayList<>();
        for (String kind : List.of("namespaceSelector", "podSelector", "ipBlock")) {
            JsonNode selector = peer.path(kind);
            if (selector.isMissingNode()) {
                continue;
            }
            String component = selector.path("matchLabels").path("app.kubernetes.io/component").asText("");
            List<String> labels = new ArrayList<>();
            selector.path("matchLabels").fields()
                    .forEachRemaining(l -> labels.add(l.getKey() + "=" + l.getValue().asText()));
            String what = kind.equals("ipBlock") ? selector.path("cidr").asText() : component.isEmpty()
                    ? String.join(",", labels) : component;
            selectors.add(kind.replace("Selector", "").replace("ipBlock", "ip") + " " + what);
        }
        return String.join(" + ", selectors);
    }
}
