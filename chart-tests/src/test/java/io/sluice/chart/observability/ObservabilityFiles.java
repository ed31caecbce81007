package io.sluice.chart.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Where the chart keeps its alert rules, their promtool unit tests and its Grafana dashboards, and how to read them. */
final class ObservabilityFiles {
    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();

    /** The chart directory; tests run in chart-tests/, the chart is helm/ next to it. */
    static final Path CHART = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize()
            .resolve("helm");
    static final Path RULE_FILE = CHART.resolve("rules/sluice-alerts.yaml");
    static final Path RULE_TESTS = CHART.resolve("rules/tests");
    static final Path RUNBOOKS = CHART.resolve("rules/runbooks.md");
    static final Path DASHBOARDS = CHART.resolve("dashboards");

    private ObservabilityFiles() {
    }

    static List<Path> dashboards() {
        return list(DASHBOARDS, ".json");
    }

    static List<Path> ruleTests() {
        return list(RULE_TESTS, ".yaml");
    }

    /** The alerting rules of the rule file, every group. */
    static List<JsonNode> alertRules() {
        return alertRules(readYaml(RULE_FILE));
    }

    /** The alerting rules of a rule file (or of a PrometheusRule's spec): the rules with an {@code alert} name. */
    static List<JsonNode> alertRules(JsonNode ruleFile) {
        return Stream.of(ruleFile.path("groups"))
                .flatMap(groups -> stream(groups))
                .flatMap(group -> stream(group.path("rules")))
                .filter(rule -> rule.hasNonNull("alert"))
                .toList();
    }

    static Stream<JsonNode> stream(JsonNode array) {
        Stream.Builder<JsonNode> items = Stream.builder();
        array.forEach(items::add);
        return items.build();
    }

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid JSON", e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
