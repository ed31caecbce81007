package io.sluice.chart.observability;

import static io.sluice.chart.observability.ObservabilityFiles.JSON;
import static io.sluice.chart.observability.ObservabilityFiles.RULE_FILE;
import static io.sluice.chart.observability.ObservabilityFiles.YAML;
import static io.sluice.chart.observability.ObservabilityFiles.alertRules;
import static io.sluice.chart.observability.ObservabilityFiles.readJson;
import static io.sluice.chart.observability.ObservabilityFiles.readYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import io.sluice.charttests.Chart;

/**
 * What {@code helm template} makes of the dashboards and the alert rules: one ConfigMap per dashboard for Grafana's
 * sidecar, and a PrometheusRule built from the rule file with the operator's per-alert overrides.
 */
class ObservabilityTemplatesTest {
    private static final String RELEASE = "prod";
    /** A current cluster; the chart declares the oldest it supports in Chart.yaml. */
    private static final String KUBE_VERSION = "1.30.0";

    @Test
    void everyDashboardFileBecomesOneConfigMapLabelledForTheGrafanaSidecar() {
        List<JsonNode> configMaps = dashboardConfigMaps(render(Map.of()));
        assertEquals(ObservabilityFiles.dashboards().size(), configMaps.size());
        for (Path file : ObservabilityFiles.dashboards()) {
            String name = file.getFileName().toString();
            JsonNode configMap = configMaps.stream().filter(cm -> cm.path("data").has(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no ConfigMap holds " + name));
            assertEquals("prod-sluice-dashboard-" + name.replace(".json", ""), configMap.path("metadata").path("name").asText());
            assertEquals("1", configMap.path("metadata").path("labels").path("grafana_dashboard").asText());
            assertEquals("llm", configMap.path("metadata").path("namespace").asText());
            assertEquals(1, configMap.path("data").size(), "one dashboard per ConfigMap");
            assertEquals(readJson(file), parseJson(configMap.path("data").path(name).asText()), name + " unchanged");
        }
    }

    @Test
    void theSidecarLabelItsValueTheNamespaceAndAnnotationsAreConfigurable() {
        List<JsonNode> configMaps = dashboardConfigMaps(render(Map.of(
                "grafanaDashboards.label", "sidecar_dashboard",
                "grafanaDashboards.labelValue", "sluice",
                "grafanaDashboards.namespace", "monitoring",
                "grafanaDashboards.annotations.grafana_folder", "LLM gateway")));
        assertEquals(ObservabilityFiles.dashboards().size(), configMaps.size());
        for (JsonNode configMap : configMaps) {
            JsonNode metadata = configMap.path("metadata");
            assertEquals("sluice", metadata.path("labels").path("sidecar_dashboard").asText());
            assertTrue(metadata.path("labels").path("grafana_dashboard").isMissingNode());
            assertEquals("monitoring", metadata.path("namespace").asText());
            assertEquals("LLM gateway", metadata.path("annotations").path("grafana_folder").asText());
        }
    }

    @Test
    void dashboardsCanBeSwitchedOff() {
        assertEquals(List.of(), dashboardConfigMaps(render(Map.of("grafanaDashboards.enabled", false))));
    }

    @Test
    void thePrometheusRuleCarriesTheRuleFileAsItIs() {
        JsonNode rule = prometheusRule(render(Map.of()));
        assertEquals("monitoring.coreos.com/v1", rule.path("apiVersion").asText());
        assertEquals("prod-sluice", rule.path("metadata").path("name").asText());
        assertEquals(readYaml(RULE_FILE).path("groups"), rule.path("spec").path("groups"));
    }

    @Test
    void additionalLabelsLetThePrometheusRuleSelectorFindTheRule() {
        JsonNode rule = prometheusRule(render(Map.of("prometheusRule.additionalLabels.release", "kube-prometheus-stack")));
        assertEquals("kube-prometheus-stack", rule.path("metadata").path("labels").path("release").asText());
        assertEquals(RELEASE, rule.path("metadata").path("labels").path("app.kubernetes.io/instance").asText());
    }

    @Test
    void overridingForAndSeverityChangesThatAlertOnly() {
        Map<String, JsonNode> rendered = renderedAlerts(Map.of(
                "prometheusRule.alerts.HighErrorRate.for", "15m",
                "prometheusRule.alerts.HighErrorRate.severity", "warning"));
        Map<String, JsonNode> source = byName(alertRules());

        ObjectNode expected = source.get("HighErrorRate").deepCopy();
        expected.put("for", "15m");
        ((ObjectNode) expected.path("labels")).put("severity", "warning");
        assertEquals(expected, rendered.get("HighErrorRate"));
        source.keySet().stream().filter(name -> !name.equals("HighErrorRate"))
                .forEach(name -> assertEquals(source.get(name), rendered.get(name), name));
    }

    @Test
    void aDisabledAlertIsLeftOut() {
        Map<String, JsonNode> rendered = renderedAlerts(Map.of("prometheusRule.alerts.ServiceDown.enabled", false));
        Map<String, JsonNode> expected = byName(alertRules());
        expected.remove("ServiceDown");
        assertEquals(expected, rendered);
    }

    @Test
    void aThresholdOverrideReplacesTheNumberTheAlertComparesAgainst(@TempDir Path dir) {
        List<JsonNode> objects = render(Map.of(
                "prometheusRule.alerts.BudgetBurnHigh.threshold", 200,
                "prometheusRule.alerts.HighErrorRate.threshold", "0.02"));
        Map<String, JsonNode> rendered = byName(alertRules(prometheusRule(objects).path("spec")));
        Map<String, JsonNode> source = byName(alertRules());

        assertEquals(source.get("BudgetBurnHigh").path("expr").asText().strip().replaceAll("> 50$", "> 200"),
                rendered.get("BudgetBurnHigh").path("expr").asText());
        assertEquals(source.get("HighErrorRate").path("expr").asText().strip().replaceAll("> 0\\.05$", "> 0.02"),
                rendered.get("HighErrorRate").path("expr").asText());
        // what the operator gets is still a rule file Prometheus loads
        Promtool.Result check = Promtool.checkRules(writeYaml(dir.resolve("rendered.yaml"),
                prometheusRule(objects).path("spec")));
        assertTrue(check.succeeded(), check.output());
    }

    @Test
    void runbookUrlsCanPointAtTheOperatorsOwnRunbooks() {
        Map<String, JsonNode> rendered = renderedAlerts(Map.of(
                "prometheusRule.runbookBaseUrl", "https://wiki.example.com/runbooks/",
                "prometheusRule.alerts.ServiceDown.runbookUrl", "https://wiki.example.com/sluice-down"));
        assertEquals("https://wiki.example.com/runbooks/HighErrorRate",
                rendered.get("HighErrorRate").path("annotations").path("runbook_url").asText());
        assertEquals("https://wiki.example.com/sluice-down",
                rendered.get("ServiceDown").path("annotations").path("runbook_url").asText());
    }

    @Test
    void anOverrideForAnAlertThatDoesNotExistFailsTheInstall() {
        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> render(Map.of("prometheusRule.alerts.HighErorRate.severity", "info")));
        assertTrue(failure.getMessage().contains("prometheusRule.alerts.HighErorRate"), failure.getMessage());
    }

    @Test
    void withoutThePrometheusOperatorsCrdsByDefaultThereIsNoPrometheusRule() {
        List<JsonNode> objects = renderWith(Map.of());
        assertTrue(objects.stream().noneMatch(o -> "PrometheusRule".equals(o.path("kind").asText())));
        assertEquals(ObservabilityFiles.dashboards().size(), dashboardConfigMaps(objects).size(),
                "dashboards need no CRD and are on by default");
    }

    /** Renders with the PrometheusRule switched on (it is off by default) and {@code values} on top. */
    private static List<JsonNode> render(Map<String, Object> values) {
        Map<String, Object> withRule = new LinkedHashMap<>(Map.of("prometheusRule.enabled", true));
        withRule.putAll(values);
        return renderWith(withRule);
    }

    private static List<JsonNode> renderWith(Map<String, Object> values) {
        String manifests = Chart.templatable(chart -> {
            TemplateCommand template = new Helm(chart).template().withName(RELEASE).withNamespace("llm")
                    .withKubeVersion(KUBE_VERSION);
            values.forEach(template::set);
            return template.call();
        });
        try {
            return YAML.readerFor(JsonNode.class).<JsonNode>readValues(manifests).readAll().stream()
                    .filter(Objects::nonNull)
                    .filter(node -> !node.isNull() && !node.isMissingNode())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> dashboardConfigMaps(List<JsonNode> objects) {
        return objects.stream()
                .filter(o -> "ConfigMap".equals(o.path("kind").asText()))
                .filter(o -> o.path("metadata").path("name").asText().startsWith("prod-sluice-dashboard-"))
                .toList();
    }

    private static JsonNode prometheusRule(List<JsonNode> objects) {
        List<JsonNode> rules = objects.stream().filter(o -> "PrometheusRule".equals(o.path("kind").asText())).toList();
        assertEquals(1, rules.size(), "one PrometheusRule");
        return rules.get(0);
    }

    private static Map<String, JsonNode> renderedAlerts(Map<String, Object> values) {
        return byName(alertRules(prometheusRule(render(values)).path("spec")));
    }

    private static Map<String, JsonNode> byName(List<JsonNode> rules) {
        return rules.stream().collect(Collectors.toMap(rule -> rule.path("alert").asText(), Function.identity(),
                (a, b) -> a, LinkedHashMap::new));
    }

    private static JsonNode parseJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writeYaml(Path file, JsonNode content) {
        try {
            return Files.writeString(file, YAML.writeValueAsString(content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
