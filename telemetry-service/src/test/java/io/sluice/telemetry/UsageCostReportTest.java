package io.sluice.telemetry;

import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
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
 * A fixed set of requests costs what the price table says, to the micro-dollar: expectations are computed by hand
 * from the defaults shipped in api-contracts (USD per 1M tokens: sim-gpt 2.50 in / 10.00 out / 1.25 cached,
 * sim-claude 3.00 / 15.00 / 0.30, sim-gpt-mini 0.15 / 0.60, default 1.00 / 3.00) and the test's own entry
 * acme-custom 7.00 / 21.00 (application.properties, %test), which shows that telemetry reads overrides.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class UsageCostReportTest {
    private static final LocalDate DAY = LocalDate.of(2025, 3, 10);
    private static final RestAssuredConfig DECIMALS = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(NumberReturnType.BIG_DECIMAL));

    @Inject
    RedisDataSource redis;

    @InjectStore
    EmbeddedPostgresStore postgres;

    private LedgerFixture ledger;
    private String tenant;

    @BeforeEach
    void publishTheFixedRequests() throws Exception {
        ledger = new LedgerFixture(redis, postgres);
        tenant = LedgerFixture.unique("tenant-cost");
        List<UsageEvent> events = List.of(
                // 100,000 x 2.50 + 20,000 x 1.25 + 30,000 x 10.00 = 575,000 micro-USD
                event("sim-gpt", "openai", "sim-gpt-a").tokens(120_000, 30_000, 20_000).build(),
                // an interrupted stream bills what was delivered: 10,000 x 2.50 + 2,000 x 10.00 = 45,000
                event("sim-gpt", "openai", "sim-gpt-b").tokens(10_000, 2_000, 0).result(200, Outcome.INCOMPLETE)
                        .stream(true).timing(900, 120).build(),
                // 40,000 x 3.00 + 10,000 x 0.30 + 8,000 x 15.00 = 243,000
                event("sim-claude", "anthropic", "sim-claude").tokens(50_000, 8_000, 10_000).build(),
                // 333 x 0.15 + 77 x 0.60 = 96.15, rounded up to 97
                event("sim-gpt-mini", "openai", "sim-gpt-mini").tokens(333, 77, 0).build(),
                // 1,000 x 7.00 + 100 x 21.00 = 9,100 (the test's price override)
                event("acme-custom", "openai", "acme-1").tokens(1_000, 100, 0).build(),
                // not in the table: the default price, 1,000 x 1.00 + 1,000 x 3.00 = 4,000
                event("mystery-model", "openai", "mystery-1").tokens(1_000, 1_000, 0).build(),
                // refused by a quota: a request, no cost
                event("whatever-the-client-typed", null, null).result(429, Outcome.REJECTED).build(),
                // failed before routing, with tokens: the default price, 2,000 x 1.00 = 2,000
                event("typed-by-client-123", null, null).tokens(2_000, 0, 0).result(502, Outcome.ERROR).build());
        for (UsageEvent event : events) {
            ledger.publish(event);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.rowsOfTenant(tenant) == events.size());
    }

    @Test
    void reportCostsMatchThePriceTableToTheMicroDollar() {
        JsonPath report = asGateway().config(DECIMALS)
                .queryParam("tenant_id", tenant).queryParam("from", DAY.toString()).queryParam("to", DAY.toString())
                .get("/internal/usage/report")
                .then().statusCode(200).contentType(containsString("application/json"))
                .body("object", equalTo("usage_report"))
                .body("tenant_id", equalTo(tenant))
                .body("from", equalTo("2025-03-10"))
                .body("to", equalTo("2025-03-10"))
                .extract().jsonPath();

        assertEquals(new BigDecimal("0.620000"), costOf(report, "data", "sim-gpt"));
        assertEquals(new BigDecimal("0.243000"), costOf(report, "data", "sim-claude"));
        assertEquals(new BigDecimal("0.000097"), costOf(report, "data", "sim-gpt-mini"));
        assertEquals(new BigDecimal("0.009100"), costOf(report, "data", "acme-custom"));
        assertEquals(new BigDecimal("0.004000"), costOf(report, "data", "mystery-model"));
        assertEquals(new BigDecimal("0.000000"), costOf(report, "data", "whatever-the-client-typed"));
        assertEquals(new BigDecimal("0.002000"), costOf(report, "by_model", "typed-by-client-123"));

        Map<String, Object> total = report.getMap("total");
        assertEquals(new BigDecimal("0.878197"), total.get("cost_usd"));
        assertEquals(8, total.get("requests"));
        assertEquals(5, total.get("successes"));
        assertEquals(3, total.get("errors"));
        assertEquals(184_333, total.get("prompt_tokens"));
        assertEquals(41_177, total.get("completion_tokens"));
        assertEquals(30_000, total.get("cached_tokens"));
        // No answer came from the response cache.
        assertEquals(0, total.get("cache_hits"));
        assertEquals(new BigDecimal("0.000000"), total.get("saved_cost_usd"));
        Map<String, Object> gpt = row(report, "data", "sim-gpt");
        assertEquals("2025-03-10", gpt.get("date"));
        assertEquals(2, gpt.get("requests"));
        assertEquals(1, gpt.get("errors"));
        assertEquals(20_000, gpt.get("cached_tokens"));
    }

    @Test
    void eachLedgerRowCarriesItsOwnPrice() {
        String requestId = LedgerFixture.unique("req-priced");
        ledger.publish(UsageEvent.builder(requestId).tenant(tenant, "key-1", "PRO")
                .route("sim-gpt", "openai", "sim-gpt-a").tokens(1_000, 500, 400).createdAt(LedgerFixture.millisAt(DAY, 9))
                .build());

        // 600 x 2.50 + 400 x 1.25 + 500 x 10.00 = 7,000 micro-USD
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> asGateway().config(DECIMALS)
                .get("/internal/usage/{id}", requestId).then().statusCode(200)
                .body("cost_usd", equalTo(new BigDecimal("0.007000")))
                .body("cached_tokens", equalTo(400))
                .body("tier", equalTo("PRO")));
    }

    @Test
    void csvHasTheSameRowsAsTheJsonReport() {
        JsonPath json = asGateway().config(DECIMALS).queryParam("tenant_id", tenant)
                .queryParam("from", DAY.toString()).queryParam("to", DAY.toString())
                .get("/internal/usage/report").then().statusCode(200).extract().jsonPath();
        String csv = asGateway().queryParam("tenant_id", tenant).queryParam("from", DAY.toString())
                .queryParam("to", DAY.toString()).queryParam("format", "csv")
                .get("/internal/usage/report")
                .then().statusCode(200).contentType(containsString("text/csv"))
                .extract().asString();

        List<String> lines = List.of(csv.split("\r\n"));
        assertEquals("date,model,requests,successes,errors,prompt_tokens,completion_tokens,cached_tokens,cost_usd,"
                + "cache_hits,saved_cost_usd", lines.get(0));
        List<String> fromJson = new ArrayList<>();
        for (Map<String, Object> row : json.<Map<String, Object>>getList("data")) {
            fromJson.add(String.join(",", String.valueOf(row.get("date")), String.valueOf(row.get("model")),
                    String.valueOf(row.get("requests")), String.valueOf(row.get("successes")),
                    String.valueOf(row.get("errors")), String.valueOf(row.get("prompt_tokens")),
                    String.valueOf(row.get("completion_tokens")), String.valueOf(row.get("cached_tokens")),
                    ((BigDecimal) row.get("cost_usd")).toPlainString(), String.valueOf(row.get("cache_hits")),
                    ((BigDecimal) row.get("saved_cost_usd")).toPlainString()));
        }
        assertEquals(7, fromJson.size());
        assertEquals(fromJson, lines.subList(1, lines.size()));
    }

    @Test
    void costMetricCountsEachNewRowOnceWithBoundedLabels() {
        String metric = "sluice_cost_usd_total{model=\"sim-claude\",provider=\"anthropic\",tier=\"BASIC\"}";
        String other = "sluice_cost_usd_total{model=\"other\",provider=\"none\",tier=\"BASIC\"}";
        double before = orZero(PrometheusScrape.value(metric));
        double otherBefore = orZero(PrometheusScrape.value(other));
        UsageEvent routed = UsageEvent.builder(LedgerFixture.unique("req-metric")).tenant(tenant, "key-1", "BASIC")
                .route("sim-claude", "anthropic", "sim-claude").tokens(1_000, 1_000, 0).build();
        UsageEvent unrouted = UsageEvent.builder(LedgerFixture.unique("req-metric-other"))
                .tenant(tenant, "key-1", "BASIC").route("free-text-" + tenant, null, null).tokens(1_000, 0, 0)
                .result(502, Outcome.ERROR).build();

        ledger.publish(routed);
        ledger.publish(routed);
        ledger.publish(unrouted);

        // 1,000 x 3.00 + 1,000 x 15.00 = 18,000 micro-USD, once although delivered twice
        await().atMost(Duration.ofSeconds(20)).until(() -> orZero(PrometheusScrape.value(other)) > otherBefore);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Math.abs(orZero(PrometheusScrape.value(metric)) - before - 0.018) < 1e-9);
        assertEquals(0.001, orZero(PrometheusScrape.value(other)) - otherBefore, 1e-9);
    }

    private UsageEvent.Builder event(String model, String provider, String deployment) {
        return UsageEvent.builder(LedgerFixture.unique("req-cost")).tenant(tenant, "key-cost", "PRO")
                .route(model, provider, deployment).timing(250, -1).result(200, Outcome.SUCCESS)
                .createdAt(LedgerFixture.millisAt(DAY, 12));
    }

    private static BigDecimal costOf(JsonPath report, String list, String model) {
        return (BigDecimal) row(report, list, model).get("cost_usd");
    }

    private static Map<String, Object> row(JsonPath report, String list, String model) {
        return report.<Map<String, Object>>getList(list).stream().filter(row -> model.equals(row.get("model")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + list + " row for " + model));
    }

    private static double orZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }
}
