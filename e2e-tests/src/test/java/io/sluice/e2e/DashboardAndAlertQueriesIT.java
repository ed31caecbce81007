package io.sluice.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.QuotaAdmin;
import io.sluice.testsupport.suite.SuitePorts;

/**
 * No dashboard panel and no alert references a metric the services do not export: the suite runs with a real
 * Prometheus scraping it as the chart's ServiceMonitors do and loading the chart's rule file; after traffic that
 * includes successes, streams, a fallback, provider failures, a broken stream, a response-cache hit and a 429, every
 * panel query, every dashboard variable and every alert expression (its threshold comparison made non-filtering)
 * returns series.
 */
class DashboardAndAlertQueriesIT {
    private static final String ADMIN_TOKEN = "e2e-observability-admin-token";
    /** Short retry back-off and breaker delay, so that the provider failures below take moments. */
    private static final String TEST_CATALOGUE = """
            config_ordinal=275
            sluice.routing.initial-backoff=50ms
            sluice.routing.max-backoff=200ms
            sluice.routing.circuit-breaker.delay=2s
            """;
    private static final Duration SCRAPED = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path root;
    private static LocalSuite suite;
    private static LocalSuite.Started started;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void startSuitePrometheusAndDriveTraffic() throws IOException {
        root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
        Path state = Files.createTempDirectory("sluice-e2e-observability-");
        Path catalogue = Files.writeString(state.resolve("test-catalogue.properties"), TEST_CATALOGUE);
        suite = new LocalSuite(root, state);
        started = suite.up(SuitePorts.free(), ADMIN_TOKEN, Map.of("QUARKUS_CONFIG_LOCATIONS", catalogue.toString(),
                "SLUICE_CACHE_LOOKUP_TIMEOUT", ResponseCacheIT.SLOW_MACHINE.get("SLUICE_CACHE_LOOKUP_TIMEOUT")));
        SuitePorts ports = started.ports();
        // Prometheus reaches the services' management ports only, as the chart's ServiceMonitors and NetworkPolicies
        prometheus = PrometheusServer.start(Map.of(
                "gateway", ports.management("gateway-service"),
                "orchestrator", ports.management("orchestrator-service"),
                "quota", ports.management("quota-service"),
                "telemetry", ports.management("telemetry-service")), ruleFile());
        driveTraffic();
    }

    @AfterAll
    static void stopEverything() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (suite != null) {
            suite.down();
        }
    }

    @Test
    void everyServiceIsScrapedWithItsServiceLabel() {
        await().atMost(SCRAPED).untilAsserted(() -> {
            List<Map<String, Object>> targets = prometheus.get("/api/v1/targets").getList("data.activeTargets");
            Map<String, String> healthByService = new HashMap<>();
            for (Map<String, Object> target : targets) {
                @SuppressWarnings("unchecked")
                Map<String, String> labels = (Map<String, String>) target.get("labels");
                healthByService.put(labels.get("sluice_service"), (String) target.get("health"));
            }
            assertEquals(Map.of("gateway", "up", "orchestrator", "up", "quota", "up", "telemetry", "up"),
                    healthByService);
        });
    }

    @Test
    void theChartsAlertRulesLoadAndEvaluateWithoutErrors() {
        await().atMost(SCRAPED).untilAsserted(() -> {
            List<Map<String, Object>> rules = alertRules();
            assertEquals(alertsInRuleFile(), rules.size(), "alert rules loaded from helm/rules/sluice-alerts.yaml");
            for (Map<String, Object> rule : rules) {
                assertEquals("ok", rule.get("health"), rule.get("name") + ": " + rule.get("lastError"));
            }
        });
    }

    @Test
    void everyDashboardPanelQueryReturnsSeries() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (Path file : dashboards()) {
            JsonPath dashboard = JsonPath.from(file.toFile());
            Map<String, String> variables = variableValues(dashboard);
            for (Map<String, Object> panel : panels(dashboard)) {
                for (Map<String, Object> target : targets(panel)) {
                    String where = file.getFileName() + " / " + panel.get("title") + " / " + target.get("refId");
                    queries.put(where, PromQlQueries.withVariables((String) target.get("expr"), variables));
                }
            }
        }
        assertTrue(queries.size() > 30, "the dashboards' queries were found: " + queries.size());
        awaitSeriesFor(queries);
    }

    @Test
    void everyDashboardVariableListsValues() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (Path file : dashboards()) {
            List<Map<String, Object>> variables = JsonPath.from(file.toFile()).getList("templating.list");
            for (Map<String, Object> variable : variables) {
                if ("query".equals(variable.get("type"))) {
                    queries.put(file.getFileName() + " / $" + variable.get("name"),
                            PromQlQueries.variableQuery((String) variable.get("definition")));
                }
            }
        }
        awaitSeriesFor(queries);
    }

    @Test
    void everyAlertExpressionReturnsSeriesOnceItsThresholdNoLongerFilters() {
        Map<String, String> queries = new LinkedHashMap<>();
        await().atMost(SCRAPED).until(() -> alertRules().size() == alertsInRuleFile());
        for (Map<String, Object> rule : alertRules()) {
            queries.put((String) rule.get("name"), PromQlQueries.withoutThresholdFiltering((String) rule.get("query")));
        }
        awaitSeriesFor(queries);
    }

    /** Waits until every query returns at least one series; on timeout, the message lists those that did not. */
    private static void awaitSeriesFor(Map<String, String> queries) {
        await().atMost(SCRAPED).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            List<String> withoutSeries = new ArrayList<>();
            queries.forEach((where, query) -> {
                JsonPath answer = prometheus.query(query);
                if (!"success".equals(answer.getString("status"))) {
                    withoutSeries.add(where + ": " + answer.getString("error") + "\n    " + query);
                } else if (answer.getList("data.result").isEmpty()) {
                    withoutSeries.add(where + ": no series\n    " + query);
                }
            });
            assertEquals("", String.join("\n", withoutSeries), withoutSeries.size() + " of " + queries.size()
                    + " queries return nothing");
        });
    }

    /**
     * Successes on every provider format, streams, embeddings, a fallback to another model, a provider outage that
     * opens a breaker and reaches the client as 5xx, a non-retryable 400, a stream cut after its first chunks and a
     * 429 from a small per-key limit.
     */
    private static void driveTraffic() {
        QuotaAdmin admin = started.admin();
        String key = admin.issueKey(admin.createTenant("observed", "ENTERPRISE"), "observed").key();
        for (String model : List.of("sim-gpt", "sim-gpt", "sim-gpt-mini", "sim-claude", "sim-gemini")) {
            assertEquals(200, chat(key, model, false).statusCode(), model);
            assertEquals(200, chat(key, model, true).statusCode(), model + " streamed");
        }
        assertEquals(200, post(key, "/v1/embeddings", "{\"model\":\"sim-embed\",\"input\":\"hello\"}").statusCode());

        // both sim-gpt deployments fail once: the answer comes from the fallback model sim-gpt-mini
        simRule("{\"model\":\"sim-gpt\",\"directives\":\"status=503\",\"times\":2}");
        assertEquals(200, chat(key, "sim-gpt", false).statusCode(), "answered by the fallback");
        // sim-claude's only deployment is down: retries, an open breaker, and 5xx for the client
        simRule("{\"model\":\"sim-claude\",\"directives\":\"status=503\"}");
        for (int i = 0; i < 3; i++) {
            int status = chat(key, "sim-claude", false).statusCode();
            assertTrue(status >= 500, "sim-claude down answers " + status);
        }
        given().delete(simUrl() + "/sim/rules").then().statusCode(org.hamcrest.Matchers.lessThan(300));
        simRule("{\"model\":\"sim-gemini\",\"directives\":\"status=400\",\"times\":1}");
        assertEquals(400, chat(key, "sim-gemini", false).statusCode(), "a provider's 400 is passed on");
        simRule("{\"model\":\"sim-gpt-mini\",\"directives\":\"disconnect-after=2\",\"times\":1}");
        assertEquals(200, chat(key, "sim-gpt-mini", true).statusCode(), "a stream cut after its first chunks");

        // a tenant with the response cache on: a miss, then a hit (the cache panels, and the saving in the ledger)
        String caching = admin.createTenant("caching", "PRO");
        admin.cacheOn(caching, "exact", 600, "tenant");
        String cachingKey = admin.issueKey(caching, "caching").key();
        assertEquals(List.of("miss", "hit"), Stream.of(1, 2).map(i -> chat(cachingKey, "sim-gpt", false)
                .headers().firstValue("x-sluice-cache").orElse("none")).toList());

        String limited = limitedKey(admin.createTenant("limited", "FREE"));
        List<Integer> statuses = Stream.of(1, 2, 3).map(i -> chat(limited, "sim-gpt", false).statusCode()).toList();
        assertEquals(List.of(200, 200, 429), statuses, "a key limited to 2 requests a minute");
    }

    /** A key of the tenant limited to 2 requests per minute, through the admin API. */
    private static String limitedKey(String tenantId) {
        return given().header("authorization", "Bearer " + ADMIN_TOKEN).contentType(ContentType.JSON)
                .body("{\"name\":\"limited\",\"limits\":{\"requests_per_minute\":2}}")
                .post(started.quotaUrl() + "/admin/tenants/" + tenantId + "/keys")
                .then().statusCode(201).extract().jsonPath().getString("key");
    }

    private static HttpResponse<String> chat(String key, String model, boolean stream) {
        return post(key, "/v1/chat/completions", "{\"model\":\"" + model + "\",\"max_tokens\":8,\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
    }

    private static HttpResponse<String> post(String key, String path, String json) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(started.gatewayUrl() + path))
                    .timeout(Duration.ofSeconds(60))
                    .header("authorization", "Bearer " + key)
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void simRule(String json) {
        given().contentType(ContentType.JSON).body(json).post(simUrl() + "/sim/rules").then().statusCode(201);
    }

    private static String simUrl() {
        return "http://127.0.0.1:" + started.ports().sim();
    }

    private static Path ruleFile() {
        return root.resolve("helm/rules/sluice-alerts.yaml");
    }

    /** The rules the file defines (one `- alert:` line each, a convention chart-tests checks). */
    private static long alertsInRuleFile() {
        try (Stream<String> lines = Files.lines(ruleFile())) {
            return lines.filter(line -> line.strip().startsWith("- alert:")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> alertRules() {
        return prometheus.get("/api/v1/rules?type=alert").getList("data.groups.rules.flatten()");
    }

    private static List<Path> dashboards() {
        try (Stream<Path> files = Files.list(root.resolve("helm/dashboards"))) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Grafana's built-in variables at typical values, and every query variable at its "All" value. */
    private static Map<String, String> variableValues(JsonPath dashboard) {
        Map<String, String> values = new HashMap<>(Map.of("__rate_interval", "1m", "__interval", "15s",
                "__range", "1h"));
        List<Map<String, Object>> variables = dashboard.getList("templating.list");
        for (Map<String, Object> variable : variables) {
            if ("query".equals(variable.get("type"))) {
                values.put((String) variable.get("name"), (String) variable.get("allValue"));
            }
        }
        return values;
    }

    private static List<Map<String, Object>> panels(JsonPath dashboard) {
        List<Map<String, Object>> panels = new ArrayList<>();
        List<Map<String, Object>> top = dashboard.getList("panels");
        for (Map<String, Object> panel : top) {
            panels.add(panel);
            Object nested = panel.get("panels");
            if (nested instanceof List<?> children) {
                children.forEach(child -> panels.add(cast(child)));
            }
        }
        return panels;
    }

    private static List<Map<String, Object>> targets(Map<String, Object> panel) {
        Object targets = panel.get("targets");
        if (!(targets instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(DashboardAndAlertQueriesIT::cast).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object json) {
        return (Map<String, Object>) json;
    }
}
