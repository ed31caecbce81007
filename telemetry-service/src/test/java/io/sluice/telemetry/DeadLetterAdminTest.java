package io.sluice.telemetry;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.sluice.contracts.UsageEvent;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/**
 * The admin API over the dead-letter stream: an operator sees what could not be recorded and why, replays it once
 * the cause is fixed (or sees it come back if it is not), and deletes what is beyond repair.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class DeadLetterAdminTest {
    private static final Duration LANDING = Duration.ofSeconds(30);
    private static final String PATH = "/admin/usage/dead-letters";
    /** A constraint that refuses one tenant's rows (SQLSTATE 23514) until it is dropped: a cause that can be fixed. */
    private static final String BLOCK = "test_dead_letter_blocked_tenant";

    @Inject
    RedisDataSource redis;

    @InjectStore
    EmbeddedPostgresStore postgres;

    @AfterEach
    void unblock() throws Exception {
        ledger().execute("ALTER TABLE telemetry.usage_records DROP CONSTRAINT IF EXISTS " + BLOCK);
    }

    @Test
    void listShowsErrorAndFieldsReplayRecordsOnceFixedDeleteRemoves() throws Exception {
        LedgerFixture ledger = ledger();
        String tenant = block();
        UsageEvent first = event(tenant, "first");
        UsageEvent second = event(tenant, "second");
        String firstEntry = ledger.publish(first);
        String secondEntry = ledger.publish(second);
        await().atMost(LANDING).until(() -> ledger.deadLetterOf(secondEntry) != null);

        // Newest first, one per page: the second, then the first.
        JsonPath newest = admin().queryParam("limit", 1).get(PATH).then().statusCode(200).extract().jsonPath();
        assertEquals("list", newest.getString("object"));
        assertTrue(newest.getBoolean("has_more"));
        assertEquals(second.toFields(), newest.getMap("data[0].fields"));
        assertEquals(secondEntry, newest.getString("data[0].original_id"));
        assertEquals("stream", newest.getString("data[0].source"));
        assertEquals("integrity_constraint_violation", newest.getString("data[0].error.kind"));
        assertEquals("23514", newest.getString("data[0].error.sqlstate"));
        assertNotNull(newest.getString("data[0].dead_lettered_at"));
        String secondId = newest.getString("last_id");
        JsonPath next = admin().queryParam("limit", 1).queryParam("after", secondId).get(PATH)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(first.toFields(), next.getMap("data[0].fields"));
        assertEquals(firstEntry, next.getString("data[0].original_id"));
        String firstId = next.getString("data[0].id");
        // Oldest first from just before the first: the first, then the second.
        JsonPath oldest = admin().queryParam("order", "oldest").queryParam("after", previousId(firstId))
                .queryParam("limit", 2).get(PATH).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(firstId, secondId), oldest.getList("data.id"));
        admin().get(PATH + "/{id}", firstId).then().statusCode(200)
                .body("id", equalTo(firstId)).body("fields.request_id", equalTo(first.requestId()));

        unblock();
        String requeued = admin().post(PATH + "/{id}/replay", firstId).then().statusCode(200)
                .body("id", equalTo(firstId)).extract().path("usage_entry_id");
        await().atMost(LANDING).until(() -> ledger.rowsWithPrefix(first.requestId()) == 1);
        admin().get(PATH + "/{id}", firstId).then().statusCode(404).body("error.code", equalTo("not_found"));
        assertNull(ledger.deadLetterOf(requeued));

        admin().delete(PATH + "/{id}", secondId).then().statusCode(200).body("deleted", equalTo(true));
        admin().delete(PATH + "/{id}", secondId).then().statusCode(404);
        admin().get(PATH + "/{id}", secondId).then().statusCode(404);
        assertEquals(0, ledger.rowsWithPrefix(second.requestId()));
    }

    @Test
    void anEntryThatIsStillBadComesBackUnderANewId() throws Exception {
        LedgerFixture ledger = ledger();
        UsageEvent nul = DeadLetterTest.event(LedgerFixture.unique("req-still-bad")).route("sim\u0000gpt", null, null)
                .build();
        String entry = ledger.publish(nul);
        await().atMost(LANDING).until(() -> ledger.deadLetterOf(entry) != null);
        String deadLetterId = idOfDeadLetter(ledger, entry);

        String requeued = admin().post(PATH + "/{id}/replay", deadLetterId).then().statusCode(200)
                .extract().path("usage_entry_id");

        await().atMost(LANDING).until(() -> ledger.deadLetterOf(requeued) != null);
        assertNotEquals(deadLetterId, idOfDeadLetter(ledger, requeued));
        assertEquals(nul.toFields(), JsonPath.from(ledger.deadLetterOf(requeued).get("fields")).getMap(""));
        admin().get(PATH + "/{id}", deadLetterId).then().statusCode(404);
        assertEquals(0, ledger.rowsWithPrefix(nul.requestId()));
    }

    @Test
    void replayAllRequeuesEveryEntryPresentAndEnds() throws Exception {
        LedgerFixture ledger = ledger();
        String tenant = block();
        List<UsageEvent> fixable = List.of(event(tenant, "a"), event(tenant, "b"), event(tenant, "c"));
        List<String> entries = fixable.stream().map(ledger::publish).toList();
        UsageEvent nul = DeadLetterTest.event(LedgerFixture.unique("req-replay-all-bad"))
                .route("sim\u0000gpt", null, null).build();
        String nulEntry = ledger.publish(nul);
        await().atMost(LANDING).until(() -> ledger.deadLetterOf(nulEntry) != null
                && entries.stream().allMatch(entry -> ledger.deadLetterOf(entry) != null));
        int deadLettersBefore = ledger.deadLetters().size();
        unblock();

        admin().post(PATH + "/replay").then().statusCode(200)
                .body("replayed", greaterThanOrEqualTo(4)).body("skipped", equalTo(0));

        await().atMost(LANDING).until(() -> ledger.rowsWithPrefix("req-replay-" + tenant) == 3);
        // Everything else comes back (the bad one too), and nothing else is left in flight.
        await().atMost(LANDING).until(() -> ledger.deadLetters().size() == deadLettersBefore - 3
                && ledger.pendingCount() == 0);
        assertEquals(1, ledger.deadLetters().stream()
                .filter(message -> message.payload().get("fields").contains(nul.requestId())).count());
    }

    @Test
    void everyCallNeedsTheAdminToken() {
        for (RequestSpecification anonymous : List.of(given(), given().header("Authorization", "Bearer wrong"))) {
            anonymous.get(PATH).then().statusCode(401).body("error.type", equalTo("authentication_error"));
            anonymous.get(PATH + "/1-0").then().statusCode(401);
            anonymous.post(PATH + "/1-0/replay").then().statusCode(401);
            anonymous.post(PATH + "/replay").then().statusCode(401);
            anonymous.delete(PATH + "/1-0").then().statusCode(401);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "limit, 0", "limit, 101", "limit, ten", "order, sideways", "after, yesterday", "after, 1-2-3" })
    void badQueryParametersGet400NamingThem(String param, String value) {
        admin().queryParam(param, value).get(PATH).then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo(param));
    }

    @Test
    void badIdsGet400AndUnknownIds404() {
        for (String id : List.of("abc", "1-2-3", "-1-0", "12345678901234567890123-0")) {
            admin().get(PATH + "/{id}", id).then().statusCode(400).body("error.param", equalTo("id"));
            admin().post(PATH + "/{id}/replay", id).then().statusCode(400).body("error.param", equalTo("id"));
            admin().delete(PATH + "/{id}", id).then().statusCode(400).body("error.param", equalTo("id"));
        }
        admin().get(PATH + "/1-0").then().statusCode(404).body("error.code", equalTo("not_found"));
        admin().post(PATH + "/1-0/replay").then().statusCode(404);
        admin().delete(PATH + "/1-0").then().statusCode(404);
    }

    private LedgerFixture ledger() {
        return new LedgerFixture(redis, postgres);
    }

    private String block() throws Exception {
        String tenant = LedgerFixture.unique("blocked");
        ledger().execute("ALTER TABLE telemetry.usage_records ADD CONSTRAINT " + BLOCK
                + " CHECK (tenant_id IS DISTINCT FROM '" + tenant + "') NOT VALID");
        return tenant;
    }

    private static UsageEvent event(String tenant, String name) {
        return DeadLetterTest.event("req-replay-" + tenant + "-" + name).tenant(tenant, "key-replay", "PRO").build();
    }

    private static String idOfDeadLetter(LedgerFixture ledger, String originalId) {
        return ledger.deadLetterEntryOf(originalId).id();
    }

    /** The stream id just before {@code id}, so that a listing after it starts at {@code id}. */
    private static String previousId(String id) {
        String[] parts = id.split("-");
        long sequence = Long.parseLong(parts[1]);
        return sequence > 0 ? parts[0] + "-" + (sequence - 1) : (Long.parseLong(parts[0]) - 1) + "-" + Long.MAX_VALUE;
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", LedgerFixture.ADMIN);
    }
}
