package io.sluice.charttests;

import static io.sluice.charttests.Chart.find;
import static io.sluice.charttests.Chart.ofKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Who may reach which pod, and how Prometheus scrapes them. */
class NetworkAndMonitoringTest {

    @Test
    void theGatewayIsOpenAndTheInternalServicesOnlyToTheirCallersOperatorsAndPrometheus() {
        List<ObjectNode> prod = RenderedObjectsTest.rendered(Chart.Values.PROD);
        assertEquals(List.of(List.of()), sources(find(prod, "NetworkPolicy", "sluice-gateway")),
                "the gateway accepts its port from anywhere");
        Map<String, Object> gateway = Map.of("podSelector", "gateway");
        Object operators = Map.of("namespaceSelector", "kubernetes.io/metadata.name=sluice-ops");
        Object prometheus = Map.of("namespaceSelector", "kubernetes.io/metadata.name=monitoring",
                "podSelector", "app.kubernetes.io/name=prometheus");
        assertEquals(List.of(List.of(gateway), List.of(operators), List.of(prometheus)),
                sources(find(prod, "NetworkPolicy", "sluice-quota")), "quota: /internal for the gateway, /admin for operators");
        assertEquals(List.of(List.of(gateway), List.of(operators), List.of(prometheus)),
                sources(find(prod, "NetworkPolicy", "sluice-orchestrator")));
        assertEquals(List.of(List.of(gateway), List.of(operators), List.of(prometheus)),
                sources(find(prod, "NetworkPolicy", "sluice-telemetry")), "telemetry: /admin/usage for operators");
    }

    @Test
    void theInChartStoresAcceptOnlyTheServicesThatUseThem() {
        List<ObjectNode> dev = RenderedObjectsTest.rendered(Chart.Values.DEV);
        assertEquals(List.of(List.of(Map.of("podSelector", "gateway"), Map.of("podSelector", "orchestrator"),
                        Map.of("podSelector", "quota"), Map.of("podSelector", "telemetry"))),
                sources(find(dev, "NetworkPolicy", "sluice-redis")));
        assertEquals(List.of(List.of(Map.of("podSelector", "quota"), Map.of("podSelector", "telemetry"),
                        Map.of("podSelector", "migrations"))),
                sources(find(dev, "NetworkPolicy", "sluice-postgresql")));
        assertEquals(List.of(List.of(Map.of("podSelector", "orchestrator"))),
                sources(find(dev, "NetworkPolicy", "sluice-sim-provider")));
    }

    @Test
    void oneServiceMonitorPerServiceScrapesQuarkusMetricsAndNamesTheService() {
        List<ObjectNode> monitors = ofKind(RenderedObjectsTest.rendered(Chart.Values.PROD), "ServiceMonitor");
        assertEquals(4, monitors.size());
        for (ObjectNode monitor : monitors) {
            String component = monitor.path("metadata").path("labels").path("app.kubernetes.io/component").asText();
            assertEquals("kube-prometheus-stack", monitor.path("metadata").path("labels").path("release").asText());
            assertEquals(component, monitor.path("spec").path("selector").path("matchLabels")
                    .path("app.kubernetes.io/component").asText());
            JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
            assertEquals("/q/metrics", endpoint.path("path").asText());
            assertEquals("http", endpoint.path("port").asText());
            assertEquals("30s", endpoint.path("interval").asText());
            JsonNode relabel = endpoint.path("relabelings").get(0);
            assertEquals("sluice_service", relabel.path("targetLabel").asText());
            assertEquals(component, relabel.path("replacement").asText());
        }
        assertTrue(ofKind(RenderedObjectsTest.rendered(Chart.Values.DEFAULT), "ServiceMonitor").isEmpty(), "switchable");
    }

    /** Each ingress rule's peers, reduced to "selector kind" -> component or "key=value" labels. */
    private static List<List<Map<String, Object>>> sources(JsonNode policy) {
        List<List<Map<String, Object>>> rules = new ArrayList<>();
        for (JsonNode rule : policy.path("spec").path("ingress")) {
            List<Map<String, Object>> peers = new ArrayList<>();
            for (JsonNode peer : rule.path("from")) {
                Map<String, Object> reduced = new java.util.TreeMap<>();
                peer.fields().forEachRemaining(selector -> {
                    JsonNode labels = selector.getValue().path("matchLabels");
                    String component = labels.path("app.kubernetes.io/component").asText("");
                    if (!component.isEmpty()) {
                        reduced.put(selector.getKey(), component);
                    } else {
                        List<String> pairs = new ArrayList<>();
                        labels.fields().forEachRemaining(l -> pairs.add(l.getKey() + "=" + l.getValue().asText()));
                        reduced.put(selector.getKey(), String.join(",", pairs));
                    }
                });
                peers.add(reduced);
            }
            rules.add(peers);
        }
        return rules;
    }
}
