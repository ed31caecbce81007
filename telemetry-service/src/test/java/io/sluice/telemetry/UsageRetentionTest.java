package io.sluice.telemetry;

import static io.restassured.RestAssured.given;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.contracts.UsageEvent;
import io.sluice.contracts.UsageEvent.Outcome;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/**
 * Raw rows older than sluice.ledger.retention.raw-days (30) are pruned once their day is rolled up, and the reports
 * say the same before and after; a late event for a pruned day still ends up in that day's rollup.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class UsageRetentionTest {
    @Inject
    RedisDataSource redis;

    @InjectStore
    EmbeddedPostgresStore postgres;

    @Test
    void reportsAreTheSameBeforeAndAfterRollupAndPruning() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String tenant = LedgerFixture.unique("tenant-retention");
        LocalDate today = LedgerFixture.today();
        LocalDate old = today.minusDays(40);
        LocalDate older = today.minusDays(35);
        LocalDate recent = today.minusDays(2);
        List<UsageEvent> events = List.of(
                event(tenant, old, "sim-gpt", 1_000, 200, Outcome.SUCCESS),
                event(tenant, old, "sim-gpt", 3_000, 100, Outcome.INCOMPLETE),
                event(tenant, old, "sim-claude", 500, 50, Outcome.SUCCESS),
                event(tenant, older, "sim-gpt-mini", 7_000, 900, Outcome.SUCCESS),
                event(tenant, older, "sim-gpt-mini", 0, 0, Outcome.REJECTED),
                event(tenant, recent, "sim-gpt", 10, 20, Outcome.SUCCESS),
                event(tenant, today, "sim-gpt", 40, 50, Outcome.SUCCESS));
        events.forEach(ledger::publish);
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.rowsOfTenant(tenant) == events.size());
        String from = old.minusDays(1).toString();
        String to = today.toString();
        JsonPath before = tenantReport(tenant, from, to);
        String adminBefore = adminCsv(from, to);
        assertEquals(7, before.getInt("total.requests"));

        rollUp();

        // Only the rows older than 30 days are gone; the recent day is rolled up but kept, today is not rolled up.
        assertEquals(2, ledger.rowsOfTenant(tenant));
        assertEquals(before.getMap("total"), tenantReport(tenant, from, to).getMap("total"));
        assertEquals(before.getList("data"), tenantReport(tenant, from, to).getList("data"));
        assertEquals(before.getList("by_model"), tenantReport(tenant, from, to).getList("by_model"));
        assertEquals(adminBefore, adminCsv(from, to));

        // Running it again changes nothing.
        rollUp();
        assertEquals(before.getList("data"), tenantReport(tenant, from, to).getList("data"));

        // A late event for the pruned day counts at once (raw) and stays counted once rolled up and pruned.
        ledger.publish(event(tenant, old, "sim-claude", 100, 10, Outcome.SUCCESS));
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.rowsOfTenant(tenant) == 3);
        JsonPath withLate = tenantReport(tenant, from, to);
        assertEquals(8, withLate.getInt("total.requests"));
        rollUp();
        assertEquals(2, ledger.rowsOfTenant(tenant));
        assertEquals(withLate.getList("data"), tenantReport(tenant, from, to).getList("data"));
        assertEquals(withLate.getMap("total"), tenantReport(tenant, from, to).getMap("total"));
        Map<String, Object> claudeOnOldDay = withLate.<Map<String, Object>>getList("data").stream()
                .filter(row -> old.toString().equals(row.get("date")) && "sim-claude".equals(row.get("model")))
                .findFirst().orElseThrow();
        assertEquals(2, claudeOnOldDay.get("requests"));
        assertEquals(600, claudeOnOldDay.get("prompt_tokens"));
    }

    @Test
    void aDayWhoseRollupFailsIsSkippedWhileTheOtherDaysAreRolledUpAndPruned() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String tenant = LedgerFixture.unique("tenant-rollup-failure");
        LocalDate today = LedgerFixture.today();
        LocalDate before = today.minusDays(45);
        LocalDate broken = today.minusDays(44);
        LocalDate after = today.minusDays(43);
        // A model name too large for an index entry of usage_daily's key (54000): the raw row is stored, its day
        // cannot be rolled up.
        UsageEvent tooLarge = UsageEvent.builder(LedgerFixture.unique("req-retention")).tenant(tenant, "key-r", "PRO")
                .route(DeadLetterTest.randomText(5_000), null, null).tokens(5, 0, 0).result(404, Outcome.ERROR)
                .createdAt(LedgerFixture.millisAt(broken, 10)).build();
        List<UsageEvent> events = List.of(
                event(tenant, before, "sim-gpt", 100, 10, Outcome.SUCCESS),
                event(tenant, broken, "sim-gpt", 200, 20, Outcome.SUCCESS),
                tooLarge,
                event(tenant, after, "sim-gpt", 300, 30, Outcome.SUCCESS));
        events.forEach(ledger::publish);
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.rowsOfTenant(tenant) == events.size());

        JsonPath run = rollUpResult();

        assertTrue(run.getList("days_rolled_up").containsAll(List.of(before.toString(), after.toString())),
                run.prettify());
        assertEquals(List.of(broken.toString()), run.getList("days_failed"));
        // The other days are rolled up and their raw rows pruned; the broken day keeps its rows, and counts.
        assertEquals(2, ledger.rowsOfTenant(tenant));
        String from = before.toString();
        String to = after.toString();
        assertEquals(4, tenantReport(tenant, from, to).getInt("total.requests"));

        // The day is tried again on every run: still failing while the row is as it is, rolled up once it is fixed.
        assertEquals(List.of(broken.toString()), rollUpResult().getList("days_failed"));
        ledger.update(
                "UPDATE telemetry.usage_records SET model = 'renamed' WHERE tenant_id = ? AND length(model) > 128",
                tenant);
        JsonPath fixed = rollUpResult();
        assertTrue(fixed.getList("days_rolled_up").contains(broken.toString()), fixed.prettify());
        assertEquals(List.of(), fixed.getList("days_failed"));
        assertEquals(0, ledger.rowsOfTenant(tenant));
        assertEquals(4, tenantReport(tenant, from, to).getInt("total.requests"));
    }

    private static void rollUp() {
        rollUpResult();
    }

    private static JsonPath rollUpResult() {
        return given().header("Authorization", LedgerFixture.ADMIN).post("/admin/usage/rollups").then().statusCode(200)
                .extract().jsonPath();
    }

    private static JsonPath tenantReport(String tenant, String from, String to) {
        return asGateway().queryParam("tenant_id", tenant).queryParam("from", from).queryParam("to", to)
                .get("/internal/usage/report").then().statusCode(200).extract().jsonPath();
    }

    private static String adminCsv(String from, String to) {
        String csv = given().header("Authorization", LedgerFixture.ADMIN).queryParam("from", from)
                .queryParam("to", to).queryParam("group_by", "day").queryParam("format", "csv")
                .get("/admin/usage").then().statusCode(200).extract().asString();
        assertTrue(csv.startsWith("date,requests,"), csv);
        return csv;
    }

    private static UsageEvent event(String tenant, LocalDate day, String model, int prompt, int completion,
            Outcome outcome) {
        return UsageEvent.builder(LedgerFixture.unique("req-retention")).tenant(tenant, "key-r", "PRO")
                .route(model, "openai", model + "-a").tokens(prompt, completion, 0).timing(100, -1)
                .result(outcome == Outcome.REJECTED ? 429 : 200, outcome)
                .createdAt(LedgerFixture.millisAt(day, 10)).build();
    }
}
