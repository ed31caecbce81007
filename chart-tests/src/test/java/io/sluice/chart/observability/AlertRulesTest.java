package io.sluice.chart.observability;

import static io.sluice.chart.observability.ObservabilityFiles.RULE_FILE;
import static io.sluice.chart.observability.ObservabilityFiles.alertRules;
import static io.sluice.chart.observability.ObservabilityFiles.readYaml;
import static io.sluice.chart.observability.ObservabilityFiles.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** The alert rules: valid for Prometheus, unit-tested with promtool, and complete enough to page someone with. */
class AlertRulesTest {
    /** The alerts operators are promised (DESIGN.md, Observability). */
    private static final Set<String> PROMISED = Set.of("HighErrorRate", "CircuitBreakerOpen",
            "RateLimitRejectionsHigh", "ProviderLatencyHigh", "BudgetBurnHigh", "UsageLedgerBacklog",
            "UsageEventsDeadLettered", "RedisDegradedMode", "ServiceDown");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Test
    void promtoolAcceptsTheRuleFile() {
        Promtool.Result result = Promtool.checkRules(RULE_FILE);
        assertTrue(result.succeeded(), result.output());
    }

    static List<Path> unitTestFiles() {
        return ObservabilityFiles.ruleTests();
    }

    @ParameterizedTest
    @MethodSource("unitTestFiles")
    void promtoolUnitTestsPass(Path unitTests) {
        Promtool.Result result = Promtool.testRules(unitTests);
        assertTrue(result.succeeded(), unitTests.getFileName() + ":\n" + result.output());
    }

    @Test
    void theRuleFileHoldsExactlyThePromisedAlerts() {
        List<String> names = alertRules().stream().map(rule -> rule.path("alert").asText()).toList();
        assertEquals(new TreeSet<>(PROMISED), new TreeSet<>(names));
        assertEquals(names.size(), Set.copyOf(names).size(), "alert names are unique: " + names);
    }

    @Test
    void everyAlertHasASeverityAPendingPeriodAndTextForTheOnCall() {
        for (JsonNode rule : alertRules()) {
            String name = rule.path("alert").asText();
            assertTrue(Set.of("critical", "warning", "info").contains(rule.path("labels").path("severity").asText()),
                    name + ": labels.severity");
            assertTrue(duration(rule.path("for").asText()).compareTo(Duration.ofMinutes(1)) >= 0,
                    name + ": a `for` of at least a minute, so that one bad scrape pages nobody");
            for (String annotation : List.of("summary", "description", "runbook_url")) {
                assertFalse(rule.path("annotations").path(annotation).asText().isBlank(), name + ": " + annotation);
            }
        }
    }

    @Test
    void everyRunbookUrlLeadsToASectionOfTheShippedRunbooks() {
        Set<String> anchors = ObservabilityFiles.read(ObservabilityFiles.RUNBOOKS).lines()
                .filter(line -> line.startsWith("## "))
                .map(line -> line.substring(3).strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        for (JsonNode rule : alertRules()) {
            String url = rule.path("annotations").path("runbook_url").asText();
            String name = rule.path("alert").asText();
            assertTrue(url.endsWith("/helm/rules/runbooks.md#" + name.toLowerCase(Locale.ROOT)), name + ": " + url);
            assertTrue(anchors.contains(name.toLowerCase(Locale.ROOT)), "runbooks.md has no section " + name);
        }
    }

    /**
     * Every alert has a promtool case in which it fires and one in which it stays silent even after its pending
     * period, so a test exists for both directions of every alert.
     */
    @Test
    void everyAlertIsUnitTestedFiringAndSilent() {
        List<JsonNode> cases = ObservabilityFiles.ruleTests().stream()
                .map(ObservabilityFiles::readYaml)
                .flatMap(file -> stream(file.path("tests")))
                .flatMap(test -> stream(test.path("alert_rule_test")))
                .toList();
        for (JsonNode rule : alertRules()) {
            String name = rule.path("alert").asText();
            Duration pending = duration(rule.path("for").asText());
            List<JsonNode> own = cases.stream().filter(c -> name.equals(c.path("alertname").asText())).toList();
            assertTrue(own.stream().anyMatch(c -> c.path("exp_alerts").size() > 0), name + ": no case where it fires");
            assertTrue(own.stream().anyMatch(c -> c.path("exp_alerts").isEmpty()
                            && duration(c.path("eval_time").asText()).compareTo(pending) > 0),
                    name + ": no case where it stays silent after its `for` of " + pending);
        }
    }

    @Test
    void everyUnitTestFileLoadsTheChartsRuleFile() {
        for (Path file : ObservabilityFiles.ruleTests()) {
            JsonNode ruleFiles = readYaml(file).path("rule_files");
            assertEquals(1, ruleFiles.size(), file.getFileName().toString());
            assertEquals(RULE_FILE, file.getParent().resolve(ruleFiles.get(0).asText()).normalize(),
                    file.getFileName() + " tests the chart's rule file");
        }
    }

    /** A Prometheus duration such as 90m or 1h30m. */
    static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
            end = matcher.end();
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException("not a Prometheus duration: '" + text + "'");
        }
        return total;
    }
}
