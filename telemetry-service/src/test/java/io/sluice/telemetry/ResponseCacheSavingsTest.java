package io.sluice.telemetry;

import static io.restassured.RestAssured.given;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;
import io.sluice.contracts.UsageEvent;
import io.sluice.contracts.UsageEvent.Outcome;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/**
 * Answers from the gateway's response cache: a request that costs nothing, whose tokens (the stored answer's) are
 * priced from the price table as what the cache saved, in the ledger row, the rollups, the reports and the metric.
 * Prices as in {@link UsageCostReportTest}: sim-gpt 2.50 / 10.00 / 1.25 cached, sim-claude 3.00 / 15.00 / 0.30.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ResponseCacheSavingsTest {
    private static final RestAssuredConfig DECIMALS = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(NumberReturnType.BIG_DECIMAL));

    @Inject
    RedisDataSource redis;

    @InjectStore
    EmbeddedPostgresStore postgres;

    @Test
    void aHitCostsNothingAndRecordsWhatItsTokensWouldHaveCost() {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String tenant = LedgerFixture.unique("tenant-cache-row");
        String hit = LedgerFixture.unique("req-hit");
        String miss = LedgerFixture.unique("req-miss");
        ledger.publish(event(hit, tenant, "sim-gpt", "openai", "sim-gpt-a", LedgerFixture.today())
                .tokens(1_000, 500, 400).cacheHit(true).build());
        ledger.publish(event(miss, tenant, "sim-gpt", "openai", "sim-gpt-a", LedgerFixture.today())
                .tokens(1_000, 500, 400).build());

        // 600 x 2.50 + 400 x 1.25 + 500 x 10.00 = 7,000 micro-USD, saved by the hit and paid by the miss
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> asGateway().config(DECIMALS)
                .get("/internal/usage/{id}", hit).then().statusCode(200)
                .body("cache_hit", equalTo(true))
                .body("cost_usd", equalTo(new BigDecimal("0.000000")))
                .body("saved_cost_usd", equalTo(new BigDecimal("0.007000")))
                .body("prompt_tokens", equalTo(1_000)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> asGateway().config(DECIMALS)
                .get("/internal/usage/{id}", miss).then().statusCode(200)
                .body("cache_hit", equalTo(false))
                .body("cost_usd", equalTo(new BigDecimal("0.007000")))
                .body("saved_cost_usd", equalTo(new BigDecimal("0.000000"))));
    }

    @Test
    void reportsCountHitsAsRequestsAtNoCostWithTheirSavingsBeforeAndAfterTheRollup() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String tenant = LedgerFixture.unique("tenant-cache-report");
        // A complete day, so that the rollup takes it; recent enough that its raw rows are kept.
        LocalDate day = LedgerFixture.today().minusDays(3);
        List<UsageEvent> events = List.of(
                // paid: 7,000 micro-USD
                event(LedgerFixture.unique("req-cache"), tenant, "sim-gpt", "openai", "sim-gpt-a", day)
                        .tokens(1_000, 500, 400).build(),
                // the same answer from the cache: saved 7,000
                event(LedgerFixture.unique("req-cache"), tenant, "sim-gpt", "openai", "sim-gpt-a", day)
                        .tokens(1_000, 500, 400).cacheHit(true).build(),
                // 40,000 x 3.00 + 10,000 x 0.30 + 8,000 x 15.00 = 243,000 saved
                event(LedgerFixture.unique("req-cache"), tenant, "sim-claude", "anthropic", "sim-claude", day)
                        .tokens(50_000, 8_000, 10_000).cacheHit(true).build());
        events.forEach(ledger::publish);
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.rowsOfTenant(tenant) == events.size());

        JsonPath raw = report(tenant, day);
        assertReport(raw, day);
        String csv = csv(tenant, day);
        List<String> lines = List.of(csv.split("\r\n"));
        assertEquals("date,model,requests,successes,errors,prompt_tokens,completion_tokens,cached_tokens,cost_usd,"
                + "cache_hits,saved_cost_usd", lines.get(0));
        assertEquals(List.of(day + ",sim-claude,1,1,0,50000,8000,10000,0.000000,1,0.243000",
                day + ",sim-gpt,2,2,0,2000,1000,800,0.007000,1,0.007000"), lines.subList(1, lines.size()));

        given().header("Authorization", LedgerFixture.ADMIN).post("/admin/usage/rollups").then().statusCode(200);

        assertEquals(events.size(), ledger.count(
                "SELECT count(*) FROM telemetry.usage_records WHERE rolled_up AND tenant_id = ?", tenant));
        assertEquals(1, ledger.count("SELECT count(*) FROM telemetry.usage_daily WHERE tenant_id = ? AND "
                + "model = 'sim-claude' AND cache_hits = 1 AND saved_cost_usd = 0.243 AND cost_usd = 0", tenant));
        JsonPath rolledUp = report(tenant, day);
        assertReport(rolledUp, day);
        assertEquals(raw.getList("data"), rolledUp.getList("data"));
        assertEquals(raw.getMap("total"), rolledUp.getMap("total"));
        assertEquals(csv, csv(tenant, day));
    }

    @Test
    void theSavedMetricCountsEachHitOnceWithBoundedLabels() {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String tenant = LedgerFixture.unique("tenant-cache-metric");
        String saved = "sluice_cache_saved_usd_total{model=\"sim-claude\",provider=\"anthropic\",tier=\"BASIC\"}";
        String cost = "sluice_cost_usd_total{model=\"sim-claude\",provider=\"anthropic\",tier=\"BASIC\"}";
        String marker = "sluice_cache_saved_usd_total{model=\"sim-claude\",provider=\"anthropic\",tier=\"FREE\"}";
        double savedBefore = orZero(PrometheusScrape.value(saved));
        double costBefore = orZero(PrometheusScrape.value(cost));
        double markerBefore = orZero(PrometheusScrape.value(marker));
        UsageEvent hit = UsageEvent.builder(LedgerFixture.unique("req-hit-metric")).tenant(tenant, "key-1", "BASIC")
                .route("sim-claude", "anthropic", "sim-claude").tokens(1_000, 1_000, 0).cacheHit(true).build();
        UsageEvent later = UsageEvent.builder(LedgerFixture.unique("req-hit-marker")).tenant(tenant, "key-1", "FREE")
                .route("sim-claude", "anthropic", "sim-claude").tokens(1_000, 0, 0).cacheHit(true).build();

        ledger.publish(hit);
        ledger.publish(hit);
        ledger.publish(later);

        // Entries are recorded in order: once the later event counts, both deliveries of the hit have been seen.
        await().atMost(Duration.ofSeconds(20)).until(() -> orZero(PrometheusScrape.value(marker)) > markerBefore);
        // 1,000 x 3.00 + 1,000 x 15.00 = 18,000 micro-USD, once although delivered twice; no cost
        assertEquals(0.018, orZero(PrometheusScrape.value(saved)) - savedBefore, 1e-9);
        assertEquals(0.003, orZero(PrometheusScrape.value(marker)) - markerBefore, 1e-9);
        assertEquals(costBefore, orZero(PrometheusScrape.value(cost)), 1e-9);
        assertTrue(PrometheusScrape.series("sluice_cache_saved_usd_total").stream()
                .noneMatch(series -> series.contains("tenant") || series.contains(tenant)));
    }

    @Test
    void providerStatisticsLeaveHitsOutSinceTheyCalledNoProvider() {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String tenant = LedgerFixture.unique("tenant-cache-components");
        String called = LedgerFixture.unique("dep-called");
        String onlyHits = LedgerFixture.unique("dep-only-hits");
        LocalDate day = LedgerFixture.today().minusDays(4);
        List<UsageEvent> events = List.of(
                event(LedgerFixture.unique("req-c"), tenant, "sim-gpt", "openai", called, day)
                        .timing(800, -1).tokens(10, 10, 0).build(),
                event(LedgerFixture.unique("req-c"), tenant, "sim-gpt", "openai", called, day)
                        .tokens(10, 10, 0).cacheHit(true).build(),
                event(LedgerFixture.unique("req-c"), tenant, "sim-gpt", "openai", onlyHits, day)
                        .tokens(10, 10, 0).cacheHit(true).build());
        events.forEach(ledger::publish);
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.rowsOfTenant(tenant) == events.size());

        JsonPath components = given().header("Authorization", LedgerFixture.ADMIN)
                .queryParam("from", day.toString()).queryParam("to", day.toString())
                .get("/admin/usage/components").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> data = components.getList("data");
        Map<String, Object> component = data.stream().filter(c -> called.equals(c.get("deployment"))).findFirst()
                .orElseThrow(() -> new AssertionError(components.prettify()));
        assertEquals(1, component.get("calls"));
        assertEquals(800, ((Map<?, ?>) component.get("latency_ms")).get("min"));
        assertTrue(data.stream().noneMatch(c -> onlyHits.equals(c.get("deployment"))), components.prettify());
    }

    private static void assertReport(JsonPath report, LocalDate day) {
        Map<String, Object> gpt = row(report, "data", "sim-gpt");
        assertEquals(day.toString(), gpt.get("date"));
        assertEquals(2, gpt.get("requests"));
        assertEquals(2, gpt.get("successes"));
        assertEquals(1, gpt.get("cache_hits"));
        assertEquals(new BigDecimal("0.007000"), gpt.get("cost_usd"));
        assertEquals(new BigDecimal("0.007000"), gpt.get("saved_cost_usd"));
        Map<String, Object> claude = row(report, "by_model", "sim-claude");
        assertEquals(1, claude.get("requests"));
        assertEquals(1, claude.get("cache_hits"));
        assertEquals(new BigDecimal("0.000000"), claude.get("cost_usd"));
        assertEquals(new BigDecimal("0.243000"), claude.get("saved_cost_usd"));
        Map<String, Object> total = report.getMap("total");
        assertEquals(3, total.get("requests"));
        assertEquals(2, total.get("cache_hits"));
        assertEquals(new BigDecimal("0.007000"), total.get("cost_usd"));
        assertEquals(new BigDecimal("0.250000"), total.get("saved_cost_usd"));
    }

    private static JsonPath report(String tenant, LocalDate day) {
        return asGateway().config(DECIMALS).queryParam("tenant_id", tenant).queryParam("from", day.toString())
                .queryParam("to", day.toString()).get("/internal/usage/report")
                .then().statusCode(200).extract().jsonPath();
    }

    private static String csv(String tenant, LocalDate day) {
        return asGateway().queryParam("tenant_id", tenant).queryParam("from", day.toString())
                .queryParam("to", day.toString()).queryParam("format", "csv").get("/internal/usage/report")
                .then().statusCode(200).extract().asString();
    }

    private static UsageEvent.Builder event(String requestId, String tenant, String model, String provider,
            String deployment, LocalDate day) {
        return UsageEvent.builder(requestId).tenant(tenant, "key-cache", "PRO").route(model, provider, deployment)
                .timing(5, -1).result(200, Outcome.SUCCESS).createdAt(LedgerFixture.millisAt(day, 12));
    }

    private static Map<String, Object> row(JsonPath report, String list, String model) {
        return report.<Map<String, Object>>getList(list).stream().filter(row -> model.equals(row.get("model")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + list + " row for " + model));
    }

    private static double orZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }
}
