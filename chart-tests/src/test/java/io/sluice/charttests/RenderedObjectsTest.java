package io.sluice.charttests;

import static io.sluice.charttests.Chart.env;
import static io.sluice.charttests.Chart.find;
import static io.sluice.charttests.Chart.id;
import static io.sluice.charttests.Chart.kind;
import static io.sluice.charttests.Chart.ofKind;
import static io.sluice.charttests.Chart.podSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What helm template renders for the default, dev and prod values, checked object by object. */
class RenderedObjectsTest {
    private static final Map<Chart.Values, List<ObjectNode>> RENDERED = new EnumMap<>(Chart.Values.class);
    private static final List<String> SERVICES = List.of("gateway", "orchestrator", "quota", "telemetry");
    private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "Job", "Pod");
    private static final List<String> STANDARD_LABELS = List.of("app.kubernetes.io/name", "app.kubernetes.io/instance",
            "app.kubernetes.io/version", "app.kubernetes.io/component", "app.kubernetes.io/part-of",
            "app.kubernetes.io/managed-by", "helm.sh/chart");

    static synchronized List<ObjectNode> rendered(Chart.Values values) {
        return RENDERED.computeIfAbsent(values, Chart::render);
    }

    @ParameterizedTest
    @EnumSource(Chart.Values.class)
    void everyObjectValidatesAgainstTheSchemaOfItsKindAndApiVersion(Chart.Values values) {
        List<String> violations = new ArrayList<>();
        for (ObjectNode object : rendered(values)) {
            Set<ValidationMessage> messages = KubernetesSchemas.get().validate(object);
            messages.forEach(m -> violations.add(id(object) + ": " + m.getMessage()));
        }
        assertEquals(List.of(), violations, values.id() + " values");
    }

    @Test
    void theSchemasCatchMistakesAManifestCanMake() {
        ObjectNode deployment = find(rendered(Chart.Values.DEFAULT), "Deployment", "sluice-gateway").deepCopy();
        ((ObjectNode) podSpec(deployment).path("containers").get(0)).put("imagePullPolicyy", "Always");
        ((ObjectNode) deployment.path("spec")).put("replicas", "two");
        Set<ValidationMessage> messages = KubernetesSchemas.get().validate(deployment);
        assertTrue(messages.stream().anyMatch(m -> m.getMessage().contains("imagePullPolicyy")), messages::toString);
        assertTrue(messages.stream().anyMatch(m -> m.getMessage().contains("replicas")), messages::toString);
    }

    @ParameterizedTest
    @EnumSource(Chart.Values.class)
    void everyObjectCarriesTheStandardLabels(Chart.Values values) {
        for (ObjectNode object : rendered(values)) {
            List<JsonNode> labelSets = new ArrayList<>(List.of(object.path("metadata").path("labels")));
            if (WORKLOAD_KINDS.contains(kind(object)) && !kind(object).equals("Pod")) {
                labelSets.add(object.path("spec").path("template").path("metadata").path("labels"));
            }
            for (JsonNode labels : labelSets) {
                for (String label : STANDARD_LABELS) {
                    assertFalse(labels.path(label).asText().isBlank(), id(object) + " lacks label " + label);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Chart.Values.class)
    void everyContainerHasResourcesAndRunsHardenedAsNonRoot(Chart.Values values) {
        for (ObjectNode workload : workloads(values)) {
            JsonNode pod = podSpec(workload);
            assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), id(workload) + " pod runAsNonRoot");
            assertEquals("RuntimeDefault", pod.path("securityContext").path("seccompProfile").path("type").asText(),
                    id(workload) + " seccomp");
            containers(pod).forEach(container -> {
                String where = id(workload) + " container " + container.path("name").asText();
                JsonNode resources = container.path("resources");
                assertFalse(resources.path("requests").path("memory").isMissingNode(), where + " memory request");
                assertFalse(resources.path("requests").path("cpu").isMissingNode(), where + " cpu request");
                assertFalse(resources.path("limits").path("memory").isMissingNode(), where + " memory limit");
                JsonNode security = container.path("securityContext");
                assertTrue(security.path("runAsNonRoot").asBoolean(), where + " runAsNonRoot");
                assertTrue(security.path("runAsUser").asInt() > 0, where + " runAsUser");
                assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), where + " readOnlyRootFilesystem");
                assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), where + " privilege escalation");
                assertEquals("[\"ALL\"]", security.path("capabilities").path("drop").toString(), where + " capabilities");
                boolean writableTmp = container.path("volumeMounts").findValuesAsText("mountPath").contains("/tmp");
                assertTrue(writableTmp, where + " has no writable /tmp");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Chart.Values.class)
    void everyLongRunningContainerHasLivenessAndReadinessProbes(Chart.Values values) {
        for (ObjectNode workload : workloads(values)) {
            if (Set.of("Job", "Pod").contains(kind(workload))) {
                continue; // run to completion
            }
            containers(podSpec(workload)).forEach(container -> {
                String where = id(workload) + " container " + container.path("name").asText();
                assertFalse(container.path("livenessProbe").isMissingNode(), where + " liveness probe");
                assertFalse(container.path("readinessProbe").isMissingNode(), where + " readiness probe");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Chart.Values.class)
    void theServicesProbeQuarkusHealthOnTheManagementPortAndRunAsTheImageUser(Chart.Values values) {
        for (String service : SERVICES) {
            JsonNode pod = podSpec(find(rendered(values), "Deployment", "sluice-" + service));
            JsonNode container = pod.path("containers").get(0);
            assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertEquals("management", container.path(probe).path("httpGet").path("port").asText(), probe);
            }
            assertEquals("9000", env(container).get("QUARKUS_MANAGEMENT_PORT").path("value").asText());
            assertTrue(container.path("ports").findValuesAsText("name").contains("management"), service);
            assertEquals(185, container.path("securityContext").path("runAsUser").asInt());
            assertTrue(env(container).get("JAVA_OPTS_APPEND").path("value").asText().contains("-Xmx"),
                    service + " sets a maximum heap");
        }
    }

    @ParameterizedTest
    @EnumSource(Chart.Values.class)
    void theIngressExposesOnlyTheGatewaysInferencePaths(Chart.Values values) {
        for (ObjectNode ingress : ofKind(rendered(values), "Ingress")) {
            List<String> paths = ingress.findValuesAsText("path");
            assertFalse(paths.isEmpty());
            for (String path : paths) {
                assertTrue(path.startsWith("/v1/"), "ingress path " + path);
                assertFalse(Stream.of("/admin", "/internal", "/q").anyMatch(path::contains), "ingress path " + path);
            }
            ingress.findValues("service").forEach(backend ->
                    assertEquals("sluice-gateway", backend.path("name").asText(), "ingress backend"));
        }
    }

    @Test
    void theProdIngressAndDevIngressExist() {
        assertEquals(1, ofKind(rendered(Chart.Values.PROD), "Ingress").size());
        assertEquals(1, ofKind(rendered(Chart.Values.DEV), "Ingress").size());
    }

    static List<ObjectNode> workloads(Chart.Values values) {
        return rendered(values).stream().filter(o -> WORKLOAD_KINDS.contains(kind(o))).toList();
    }

    static Stream<JsonNode> containers(JsonNode podSpec) {
        List<JsonNode> all = new ArrayList<>();
        podSpec.path("initContainers").forEach(all::add);
        podSpec.path("containers").forEach(all::add);
        return all.stream();
    }
}
