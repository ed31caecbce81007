package io.sluice.telemetry;

import static io.restassured.RestAssured.given;
import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.PendingMessage;
import io.quarkus.redis.datasource.stream.StreamCommands;
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
import io.sluice.testsupport.stores.EmbeddedRedisStore;

/** Events written to the Redis Stream, as the gateway writes them, become exactly one ledger row each. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class UsageLedgerConsumerTest {
    private static final String GROUP = "telemetry";
    private static final Duration LANDING = Duration.ofSeconds(20);

    @Inject
    RedisDataSource redis;

    @InjectStore
    EmbeddedPostgresStore postgres;

    @InjectStore
    EmbeddedRedisStore redisServer;

    @Test
    void publishedEventLandsAsOneRowWithTheSameFields() throws SQLException {
        UsageEvent event = UsageEvent.builder(newRequestId("fields")).tenant("tenant-acme", "key-7f3a", "PRO")
                .route("gpt-4o-mini", "openai", "openai-eu-1").tokens(321, 54, 0).timing(987L, 120L)
                .result(200, Outcome.INCOMPLETE).stream(true).createdAt(1_735_689_600_123L).build();

        publish(event);

        await().atMost(LANDING).untilAsserted(() -> asGateway().get("/internal/usage/{id}", event.requestId())
                .then().statusCode(200)
                .body("request_id", equalTo(event.requestId()))
                .body("tenant_id", equalTo("tenant-acme"))
                .body("key_id", equalTo("key-7f3a"))
                .body("model", equalTo("gpt-4o-mini"))
                .body("provider", equalTo("openai"))
                .body("deployment", equalTo("openai-eu-1"))
                .body("prompt_tokens", equalTo(321))
                .body("completion_tokens", equalTo(54))
                .body("latency_ms", equalTo(987))
                .body("status", equalTo(200))
                .body("outcome", equalTo("incomplete"))
                .body("stream", equalTo(true))
                .body("created_at", equalTo(Instant.ofEpochMilli(1_735_689_600_123L).toString())));
        assertEquals(1, countRows(event.requestId()));
    }

    @Test
    void eventWithoutOptionalFieldsLandsWithNulls() {
        // A request rejected before routing has no key, model, provider or deployment yet.
        UsageEvent event = UsageEvent.builder(newRequestId("sparse")).tenant("tenant-acme", null, null)
                .timing(3L, -1).result(429, Outcome.REJECTED).build();

        publish(event);

        await().atMost(LANDING).untilAsserted(() -> asGateway().get("/internal/usage/{id}", event.requestId())
                .then().statusCode(200)
                .body("outcome", equalTo("rejected"))
                .body("status", equalTo(429))
                .body("model", equalTo(null))
                .body("key_id", equalTo(null)));
    }

    @Test
    void entriesAreAcknowledgedAndDeletedOnceTheRowIsCommitted() {
        UsageEvent event = event(newRequestId("ack"));

        String entryId = publish(event);

        awaitRow(event.requestId());
        await().atMost(LANDING).until(() -> !pendingIds().contains(entryId));
        await().atMost(LANDING).until(() -> stream().xpending(UsageEvent.STREAM, GROUP).getPendingCount() == 0);
        // Recorded entries leave the stream: Redis holds only what the ledger has not written yet.
        await().atMost(LANDING).until(() -> stream().xrange(UsageEvent.STREAM, StreamRange.of(entryId, entryId))
                .isEmpty());
    }

    @Test
    void sameRequestPublishedTwiceIsOneRowAndCountsAsDuplicate() throws SQLException {
        double duplicatesBefore = PrometheusScrape.value("sluice_usage_events_duplicate_total");
        UsageEvent event = event(newRequestId("dup"));

        publish(event);
        publish(event);

        awaitRow(event.requestId());
        await().atMost(LANDING).until(
                () -> PrometheusScrape.value("sluice_usage_events_duplicate_total") >= duplicatesBefore + 1);
        assertEquals(1, countRows(event.requestId()));
    }

    @Test
    void malformedEntryIsAcknowledgedCountedAndDoesNotStopTheLedger() throws SQLException {
        double invalidBefore = PrometheusScrape.value("sluice_usage_events_invalid_total");
        String badRequestId = newRequestId("malformed");
        Map<String, String> malformed = new LinkedHashMap<>(event(badRequestId).toFields());
        malformed.put("prompt_tokens", "many");
        malformed.put("outcome", "exploded");

        String malformedEntry = stream().xadd(UsageEvent.STREAM, malformed);
        UsageEvent next = event(newRequestId("after-malformed"));
        publish(next);

        awaitRow(next.requestId());
        await().atMost(LANDING).until(
                () -> PrometheusScrape.value("sluice_usage_events_invalid_total") >= invalidBefore + 1);
        await().atMost(LANDING).until(() -> !pendingIds().contains(malformedEntry));
        asGateway().get("/internal/usage/{id}", badRequestId).then().statusCode(404);
        assertEquals(0, countRows(badRequestId));
    }

    @Test
    void entriesLeftByADeadConsumerAreClaimedAndRecorded() throws SQLException {
        UsageEvent event = event(newRequestId("claimed"));
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        double persistedBefore = PrometheusScrape.value("sluice_usage_events_persisted_total");

        // A replica read the entry ten minutes ago and died before writing it.
        String entryId = ledger.publishHeldBy("crashed-replica", List.of(event)).get(0);
        ledger.ageHeld("crashed-replica", List.of(entryId));

        awaitRow(event.requestId());
        await().atMost(LANDING).until(() -> !pendingIds().contains(entryId));
        assertEquals(1, countRows(event.requestId()));
        await().atMost(LANDING).until(
                () -> PrometheusScrape.value("sluice_usage_events_persisted_total") >= persistedBefore + 1);
    }

    @Test
    void pendingGaugeShowsEntriesHeldWithoutAcknowledgement() {
        UsageEvent event = event(newRequestId("held"));

        // A live replica holds the entry (not idle long enough to be claimed from it).
        String entryId = new LedgerFixture(redis, postgres).publishHeldBy("busy-replica", List.of(event)).get(0);
        await().atMost(LANDING).until(() -> PrometheusScrape.value("sluice_usage_ledger_pending") >= 1);

        stream().xack(UsageEvent.STREAM, GROUP, entryId);
        await().atMost(LANDING).until(() -> PrometheusScrape.value("sluice_usage_ledger_pending") == 0);
    }

    @Test
    void largeBurstLandsExactlyOnce() throws SQLException {
        String prefix = newRequestId("burst");
        for (int i = 0; i < 500; i++) {
            publish(event(prefix + "-" + i));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> countRowsWithPrefix(prefix) == 500);
        await().atMost(LANDING).until(() -> stream().xpending(UsageEvent.STREAM, GROUP).getPendingCount() == 0);
        assertEquals(500, countRowsWithPrefix(prefix));
    }

    @Test
    void ledgerResumesWhenRedisComesBackEmpty() {
        // Redis without persistence restarts with neither the stream nor the consumer group.
        redisServer.stopServer();
        given().get(ManagementInterface.url("/q/health/ready")).then().statusCode(503);
        redisServer.startServer();
        await().atMost(LANDING).untilAsserted(() -> given().get(ManagementInterface.url("/q/health/ready")).then().statusCode(200));

        UsageEvent event = event(newRequestId("after-restart"));
        String entryId = publish(event);

        awaitRow(event.requestId());
        await().atMost(LANDING).until(() -> !pendingIds().contains(entryId));
    }

    private StreamCommands<String, String, String> stream() {
        return redis.stream(String.class);
    }

    private String publish(UsageEvent event) {
        return stream().xadd(UsageEvent.STREAM, event.toFields());
    }

    private List<String> pendingIds() {
        return stream().xpending(UsageEvent.STREAM, GROUP, StreamRange.of("-", "+"), 10_000).stream()
                .map(PendingMessage::getMessageId).toList();
    }

    private void awaitRow(String requestId) {
        await().atMost(LANDING).untilAsserted(
                () -> asGateway().get("/internal/usage/{id}", requestId).then().statusCode(200));
    }

    private static UsageEvent event(String requestId) {
        return UsageEvent.builder(requestId).tenant("tenant-test", "key-test", "FREE")
                .route("gpt-4o-mini", "sim", "sim-openai").tokens(10, 20, 0).timing(150L, -1)
                .result(200, Outcome.SUCCESS).build();
    }

    private static String newRequestId(String purpose) {
        return "req-" + purpose + "-" + UUID.randomUUID();
    }

    private int countRows(String requestId) throws SQLException {
        return count("SELECT count(*) FROM telemetry.usage_records WHERE request_id = ?", requestId);
    }

    private int countRowsWithPrefix(String prefix) throws SQLException {
        return count("SELECT count(*) FROM telemetry.usage_records WHERE request_id LIKE ?", prefix + "-%");
    }

    private int count(String sql, String parameter) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresStore.USER,
                EmbeddedPostgresStore.USER);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next());
                return rows.getInt(1);
            }
        }
    }
}
