package io.sluice.chart.observability;

import static io.sluice.chart.observability.ObservabilityFiles.readJson;
import static io.sluice.chart.observability.ObservabilityFiles.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Grafana dashboards, checked by structure (no Grafana server is available to load them): what Grafana's
 * provisioning needs, and queries that run on whichever Prometheus the operator picks as data source.
 */
class DashboardsTest {
    private static final String DATASOURCE = "${datasource}";
    /** Grafana's built-in variables the queries may use. */
    private static final Set<String> BUILT_IN = Set.of("__rate_interval", "__interval", "__range");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");

    static List<Path> dashboards() {
        return ObservabilityFiles.dashboards();
    }

    @Test
    void theChartShipsTheOverviewCostAndHealthDashboardsWithDistinctUids() {
        List<String> files = dashboards().stream().map(path -> path.getFileName().toString()).toList();
        assertEquals(List.of("cost.json", "health.json", "overview.json"), files);
        List<String> uids = dashboards().stream().map(path -> readJson(path).path("uid").asText()).toList();
        assertEquals(uids.size(), Set.copyOf(uids).size(), "uids: " + uids);
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void hasAStableUidATitleAndACurrentSchema(Path file) {
        JsonNode dashboard = readJson(file);
        assertTrue(dashboard.path("uid").asText().matches("[a-zA-Z0-9_-]{1,40}"), "uid");
        assertTrue(dashboard.path("title").asText().startsWith("Sluice / "), "title");
        assertTrue(dashboard.path("schemaVersion").asInt() >= 36, "schemaVersion");
        assertTrue(dashboard.path("id").isMissingNode() || dashboard.path("id").isNull(),
                "no instance-specific id, Grafana assigns one");
        assertTrue(panels(dashboard).size() > 0);
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void thePrometheusDataSourceIsAVariableSoAnyInstanceWorks(Path file) {
        JsonNode dashboard = readJson(file);
        JsonNode variable = variable(dashboard, "datasource");
        assertEquals("datasource", variable.path("type").asText());
        assertEquals("prometheus", variable.path("query").asText());
        for (JsonNode panel : panels(dashboard)) {
            if (isRow(panel)) {
                continue;
            }
            assertUsesTheVariable(panel.path("datasource"), panel.path("title").asText());
            stream(panel.path("targets")).forEach(target ->
                    assertUsesTheVariable(target.path("datasource"), panel.path("title").asText()));
        }
        stream(dashboard.path("templating").path("list"))
                .filter(v -> "query".equals(v.path("type").asText()))
                .forEach(v -> assertUsesTheVariable(v.path("datasource"), "variable " + v.path("name").asText()));
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void panelIdsAreUniqueAndEveryPanelQueriesPrometheus(Path file) {
        JsonNode dashboard = readJson(file);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels(dashboard)) {
            String title = panel.path("title").asText();
            assertFalse(title.isBlank(), "every panel has a title");
            assertTrue(ids.add(panel.path("id").asInt(-1)) && panel.path("id").asInt(-1) > 0,
                    title + ": id " + panel.path("id") + " is positive and unique");
            if (isRow(panel)) {
                continue;
            }
            assertTrue(panel.path("targets").size() > 0, title + ": no targets");
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                assertFalse(target.path("expr").asText().isBlank(), title + ": a target without expr");
                assertTrue(refIds.add(target.path("refId").asText()), title + ": refIds are unique");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void queriesUseOnlyDefinedVariables(Path file) {
        JsonNode dashboard = readJson(file);
        Set<String> defined = new HashSet<>(BUILT_IN);
        stream(dashboard.path("templating").path("list")).forEach(v -> defined.add(v.path("name").asText()));
        for (String expr : expressions(dashboard)) {
            Matcher matcher = VARIABLE.matcher(expr);
            while (matcher.find()) {
                assertTrue(defined.contains(matcher.group(1)), "undefined variable $" + matcher.group(1) + " in " + expr);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void panelsStayInsideTheGridAndDoNotOverlap(Path file) {
        List<JsonNode> panels = panels(readJson(file));
        for (JsonNode panel : panels) {
            JsonNode grid = panel.path("gridPos");
            assertTrue(grid.path("w").asInt() > 0 && grid.path("x").asInt() + grid.path("w").asInt() <= 24,
                    panel.path("title") + ": inside Grafana's 24 columns");
        }
        for (int i = 0; i < panels.size(); i++) {
            for (int j = i + 1; j < panels.size(); j++) {
                assertFalse(overlap(panels.get(i).path("gridPos"), panels.get(j).path("gridPos")),
                        panels.get(i).path("title") + " overlaps " + panels.get(j).path("title"));
            }
        }
    }

    /** Every panel, rows and the panels of collapsed rows included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    static List<String> expressions(JsonNode dashboard) {
        return panels(dashboard).stream()
                .flatMap(panel -> stream(panel.path("targets")))
                .map(target -> target.path("expr").asText())
                .toList();
    }

    private static boolean isRow(JsonNode panel) {
        return "row".equals(panel.path("type").asText());
    }

    private static JsonNode variable(JsonNode dashboard, String name) {
        return stream(dashboard.path("templating").path("list"))
                .filter(v -> name.equals(v.path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no variable '" + name + "'"));
    }

    private static void assertUsesTheVariable(JsonNode datasource, String where) {
        assertEquals("prometheus", datasource.path("type").asText(), where + ": datasource type");
        assertEquals(DATASOURCE, datasource.path("uid").asText(), where + ": datasource uid");
    }

    private static boolean overlap(JsonNode a, JsonNode b) {
        return a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
    }
}
