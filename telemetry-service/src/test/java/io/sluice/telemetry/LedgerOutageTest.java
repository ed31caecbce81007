package io.sluice.telemetry;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.PendingMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.contracts.UsageEvent;
import io.sluice.contracts.UsageEvent.Outcome;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.ManagementInterface;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/** PostgreSQL outages and crashed consumers: every event still ends as exactly one row. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class LedgerOutageTest {
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    @Inject
    RedisDataSource redis;

    @InjectStore
    EmbeddedPostgresStore postgres;

    @AfterEach
    void postgresRunsAgain() {
        postgres.startServer();
    }

    @Test
    void eventsPublishedWhilePostgresIsDownLandExactlyOnceWhenItReturns() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String prefix = LedgerFixture.unique("req-pg-down") + "-";
        postgres.stopServer();
        await().atMost(RECOVERY).until(() -> PrometheusScrape.value(PrometheusScrape.POSTGRES_UP) == 0);

        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            entries.add(ledger.publish(event(prefix + i)));
        }
        // The consumer holds a batch it cannot write and retries that same batch (its own pending entries). Had it
        // acknowledged anything meanwhile, those events would be missing below.
        await().atMost(RECOVERY).until(() -> mostDeliveries(ledger, entries) >= 3);

        postgres.startServer();

        await().atMost(RECOVERY).until(() -> ledger.rowsWithPrefix(prefix) == entries.size());
        await().atMost(RECOVERY).until(() -> pendingOf(ledger, entries).isEmpty());
        await().atMost(RECOVERY).until(() -> PrometheusScrape.value(PrometheusScrape.POSTGRES_UP) == 1);
        await().atMost(RECOVERY).untilAsserted(() -> given().get(ManagementInterface.url("/q/health/ready")).then().statusCode(200));
        assertEquals(entries.size(), ledger.rowsWithPrefix(prefix));
        assertEquals(entries.size(), ledger.count(
                "SELECT count(DISTINCT request_id) FROM telemetry.usage_records WHERE request_id LIKE ?", prefix + "%"));
    }

    @Test
    void entriesOfACrashedConsumerAreClaimedAndLandExactlyOnce() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String prefix = LedgerFixture.unique("req-crash") + "-";
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(event(prefix + i));
        }
        double persistedBefore = PrometheusScrape.value("sluice_usage_events_persisted_total");

        // A replica read all 200 entries long ago and crashed: half after its commit, half before it.
        List<String> entries = ledger.publishHeldBy("crashed-replica", events);
        assertEquals(100, ledger.update("INSERT INTO telemetry.usage_records (request_id, tenant_id, created_at) "
                + "SELECT ? || n, 'tenant-outage', now() FROM generate_series(0, 198, 2) AS n", prefix));
        ledger.ageHeld("crashed-replica", entries);
        assertEquals(200, pendingOf(ledger, entries).size());

        await().atMost(RECOVERY).until(() -> pendingOf(ledger, entries).isEmpty());
        assertEquals(200, ledger.rowsWithPrefix(prefix));
        await().atMost(RECOVERY).until(
                () -> PrometheusScrape.value("sluice_usage_events_persisted_total") == persistedBefore + 100);
    }

    private static Set<String> pendingOf(LedgerFixture ledger, List<String> entries) {
        Set<String> ours = Set.copyOf(entries);
        return ledger.stream().xpending(UsageEvent.STREAM, LedgerFixture.GROUP, StreamRange.of("-", "+"), 100_000)
                .stream().map(PendingMessage::getMessageId).filter(ours::contains).collect(Collectors.toSet());
    }

    /** How often the most retried of these entries has been delivered (XREADGROUP of own pending counts). */
    private static long mostDeliveries(LedgerFixture ledger, List<String> entries) {
        Set<String> ours = Set.copyOf(entries);
        return ledger.stream().xpending(UsageEvent.STREAM, LedgerFixture.GROUP, StreamRange.of("-", "+"), 100_000)
                .stream().filter(message -> ours.contains(message.getMessageId()))
                .mapToLong(PendingMessage::getDeliveryCount).max().orElse(0);
    }

    private static UsageEvent event(String requestId) {
        return UsageEvent.builder(requestId).tenant("tenant-outage", "key-outage", "FREE")
                .route("sim-gpt", "openai", "sim-gpt-a").tokens(100, 10, 0).timing(80, -1)
                .result(200, Outcome.SUCCESS).build();
    }
}
