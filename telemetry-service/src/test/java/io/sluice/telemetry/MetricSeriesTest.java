package io.sluice.telemetry;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.contracts.UsageEvent;
import io.sluice.contracts.UsageEvent.Outcome;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.ManagementInterface;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/** telemetry's sluice_* series: the catalogue's names, and a set that does not grow with tenants or keys. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class MetricSeriesTest {
    private static final List<String> MODELS = List.of("sim-gpt", "sim-claude", "sim-gemini");
    private static final List<String> TIERS = List.of("FREE", "ENTERPRISE");

    @Inject
    RedisDataSource redis;

    @InjectStore
    EmbeddedPostgresStore postgres;

    @Test
    void exportsTheCataloguedLedgerSeries() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get(ManagementInterface.url("/q/metrics"))
                .then().statusCode(200)
                .body(containsString("sluice_usage_ledger_stream_length "))
                .body(containsString("sluice_usage_ledger_pending "))
                .body(containsString("sluice_dependency_up{dependency=\"postgresql\"} 1.0"))
                .body(containsString("sluice_dependency_up{dependency=\"redis\"} 1.0"))
                .body(containsString("sluice_usage_events_persisted_total "))
                .body(containsString("sluice_usage_events_duplicate_total "))
                .body(containsString("sluice_usage_events_invalid_total "))
                // At zero from the start, so that the dead-letter alert's increase() sees the first one.
                .body(containsString("sluice_usage_events_dead_lettered_total "))
                .body(containsString("sluice_usage_ledger_dead_letter_length ")));
    }

    @Test
    void seriesDoNotGrowWithTenantsOrKeys() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String few = LedgerFixture.unique("series-few");
        publishFor(ledger, few, 5, 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.rowsWithPrefix(few) == 5 * 1 * 8);
        Set<String> afterFewTenants = PrometheusScrape.series("sluice_");

        String many = LedgerFixture.unique("series-many");
        publishFor(ledger, many, 50, 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.rowsWithPrefix(many) == 50 * 3 * 8);
        Set<String> afterManyTenants = PrometheusScrape.series("sluice_");

        assertEquals(afterFewTenants, afterManyTenants);
        assertFalse(afterManyTenants.stream().anyMatch(series -> series.contains("tenant") || series.contains("key-")),
                afterManyTenants.toString());
    }

    /** Per tenant and key: every model in every tier, plus two refused requests with whatever model was typed. */
    private static void publishFor(LedgerFixture ledger, String prefix, int tenants, int keysPerTenant) {
        for (int t = 0; t < tenants; t++) {
            for (int k = 0; k < keysPerTenant; k++) {
                String tenant = "tenant-" + prefix + "-" + t;
                String key = "key-" + t + "-" + k;
                int n = 0;
                for (String model : MODELS) {
                    for (String tier : TIERS) {
                        ledger.publish(UsageEvent.builder(prefix + "-" + t + "-" + k + "-" + n++)
                                .tenant(tenant, key, tier).route(model, "openai", model + "-a").tokens(100, 20, 0)
                                .timing(50, -1).result(200, Outcome.SUCCESS).build());
                    }
                }
                for (int typo = 0; typo < 2; typo++) {
                    ledger.publish(UsageEvent.builder(prefix + "-" + t + "-" + k + "-" + n++)
                            .tenant(tenant, key, "FREE").route("typo-" + tenant + "-" + typo, null, null)
                            .tokens(10, 0, 0).timing(5, -1).result(404, Outcome.ERROR).build());
                }
            }
        }
    }
}
