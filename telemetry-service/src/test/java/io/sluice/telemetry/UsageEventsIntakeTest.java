package io.sluice.telemetry;

import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/**
 * POST /internal/usage/events, where a gateway stopping during a Redis outage hands over the usage events it still
 * holds: they take the ledger's own path, and the answer says what became of each only once it is committed.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class UsageEventsIntakeTest {
    private static final String PATH = "/internal/usage/events";

    @Inject
    RedisDataSource redis;

    @InjectStore
    EmbeddedPostgresStore postgres;

    @AfterEach
    void postgresRunsAgain() {
        postgres.startServer();
    }

    @Test
    void eventsAreRecordedOnceAndASecondPostCountsThemAsDuplicates() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String prefix = LedgerFixture.unique("req-intake") + "-";
        List<Map<String, String>> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(DeadLetterTest.event(prefix + i).tokens(1_000, 500, 0).build().toFields());
        }

        post(events).statusCode(200).body("recorded", equalTo(3)).body("duplicates", equalTo(0))
                .body("rejected", equalTo(0)).body("rejections", hasSize(0));
        // Answered after the commit: the rows are there now, priced as the stream's are (sim-gpt: 2.50 and 10.00).
        assertEquals(3, ledger.rowsWithPrefix(prefix));
        asGateway().get("/internal/usage/{id}", prefix + 0).then().statusCode(200)
                .body("tenant_id", equalTo("tenant-dead-letter")).body("prompt_tokens", equalTo(1_000))
                .body("cost_usd", equalTo(0.0075f));

        post(events).statusCode(200).body("recorded", equalTo(0)).body("duplicates", equalTo(3))
                .body("rejected", equalTo(0));
        assertEquals(3, ledger.rowsWithPrefix(prefix));
    }

    @Test
    void badEventsAreRejectedAndDeadLetteredWhileTheOthersAreRecorded() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String prefix = LedgerFixture.unique("req-intake-mixed") + "-";
        Map<String, String> nul = DeadLetterTest.event(prefix + "nul").route("sim\u0000gpt", null, null).build()
                .toFields();
        Map<String, String> noOutcome = new LinkedHashMap<>(DeadLetterTest.event(prefix + "no-outcome").build()
                .toFields());
        noOutcome.remove("outcome");
        List<Object> events = List.of(DeadLetterTest.event(prefix + "good-0").build().toFields(), nul, noOutcome,
                "not an event", DeadLetterTest.event(prefix + "good-1").build().toFields());

        JsonPath answer = post(events).statusCode(200)
                .body("recorded", equalTo(2)).body("duplicates", equalTo(0)).body("rejected", equalTo(3))
                .body("rejections.index", equalTo(List.of(1, 2, 3)))
                .body("rejections[0].error.kind", equalTo("data_exception"))
                .body("rejections[0].error.sqlstate", equalTo("22021"))
                .body("rejections[1].error.kind", equalTo("invalid"))
                .body("rejections[1].error.sqlstate", nullValue())
                .body("rejections[2].error.kind", equalTo("invalid"))
                .body("rejections.dead_letter_id", everyItem(notNullValue()))
                .extract().jsonPath();

        assertEquals(2, ledger.rowsWithPrefix(prefix + "good-"));
        assertEquals(0, ledger.rowsWithPrefix(prefix + "nul"));
        assertEquals(0, ledger.rowsWithPrefix(prefix + "no-outcome"));
        Map<String, String> deadLetter = ledger.deadLetters().stream()
                .filter(message -> message.id().equals(answer.getString("rejections[0].dead_letter_id")))
                .findFirst().orElseThrow().payload();
        assertEquals("http", deadLetter.get("source"));
        assertEquals("", deadLetter.get("original_id"));
        assertEquals(nul, JsonPath.from(deadLetter.get("fields")).getMap(""));
    }

    @Test
    void aBodyWithoutAnEventsArrayOrWithTooManyEventsGets400() {
        asGateway().contentType(ContentType.JSON).body("{}").post(PATH).then().statusCode(400)
                .body("error.param", equalTo("events")).body("error.code", equalTo("invalid_events"));
        asGateway().contentType(ContentType.JSON).body(Map.of("events", "all of them")).post(PATH).then()
                .statusCode(400).body("error.param", equalTo("events"));
        post(Collections.nCopies(1_001, Map.of())).statusCode(400)
                .body("error.param", equalTo("events")).body("error.code", equalTo("too_many_events"));
    }

    @Test
    void aBodyAboveTheLimitIsRefusedBeforeItIsRead() {
        String padding = "x".repeat(3 * 1024 * 1024);
        asGateway().contentType(ContentType.JSON).body("{\"events\":[],\"padding\":\"" + padding + "\"}").post(PATH)
                .then().statusCode(413);
    }

    @Test
    void whilePostgresIsDownTheAnswerIs503AndNothingIsConfirmed() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String prefix = LedgerFixture.unique("req-intake-down") + "-";
        List<Map<String, String>> events = List.of(DeadLetterTest.event(prefix + 0).build().toFields(),
                DeadLetterTest.event(prefix + 1).build().toFields());
        postgres.stopServer();
        await().atMost(Duration.ofSeconds(30)).until(() -> PrometheusScrape.value(PrometheusScrape.POSTGRES_UP) == 0);

        post(events).statusCode(503).body("error.type", equalTo("server_error"))
                .body("error.code", equalTo("ledger_unavailable"));

        postgres.startServer();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> post(events).statusCode(200)
                .body("recorded", equalTo(2)).body("rejected", equalTo(0)));
        assertEquals(2, ledger.rowsWithPrefix(prefix));
    }

    private static ValidatableResponse post(List<?> events) {
        return asGateway().contentType(ContentType.JSON).body(Map.of("events", events)).post(PATH).then();
    }
}
