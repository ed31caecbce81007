package io.sluice.telemetry;

import static io.sluice.testsupport.quarkus.ServiceToken.asGateway;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sluice.contracts.UsageEvent;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/**
 * The ledger row names the endpoint of its request and the stored response and conversation a Responses API request
 * created or extended; an event that carries a malformed one is set aside as other malformed events are.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class UsageMemoryFieldsTest {
    private static final Duration LANDING = Duration.ofSeconds(30);
    private static final String RESPONSE_ID = "resp_0123456789abcdef0123456789abcdef";
    private static final String CONVERSATION_ID = "conv_fedcba9876543210fedcba9876543210";

    @Inject
    RedisDataSource redis;

    @InjectStore
    EmbeddedPostgresStore postgres;

    @Test
    void aResponsesEventIsStoredAndReturnedWithItsEndpointAndIds() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        UsageEvent event = DeadLetterTest.event(LedgerFixture.unique("req-responses")).endpoint("responses")
                .memory(RESPONSE_ID, CONVERSATION_ID).build();

        ledger.publish(event);

        await().atMost(LANDING).until(() -> ledger.rowsWithPrefix(event.requestId()) == 1);
        asGateway().get("/internal/usage/{id}", event.requestId()).then().statusCode(200)
                .body("endpoint", equalTo("responses"))
                .body("response_id", equalTo(RESPONSE_ID))
                .body("conversation_id", equalTo(CONVERSATION_ID));
        assertEquals(1, ledger.count("SELECT count(*) FROM telemetry.usage_records WHERE request_id = ?"
                + " AND endpoint = 'responses' AND response_id = '" + RESPONSE_ID + "' AND conversation_id = '"
                + CONVERSATION_ID + "'", event.requestId()));
    }

    @Test
    void anEventFromAnOlderGatewayIsStoredWithoutThem() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String requestId = LedgerFixture.unique("req-before-memory");
        Map<String, String> older = new LinkedHashMap<>(DeadLetterTest.event(requestId).build().toFields());
        older.keySet().removeAll(List.of("endpoint", "response_id", "conversation_id"));

        ledger.stream().xadd(UsageEvent.STREAM, older);

        await().atMost(LANDING).until(() -> ledger.rowsWithPrefix(requestId) == 1);
        asGateway().get("/internal/usage/{id}", requestId).then().statusCode(200)
                .body("prompt_tokens", equalTo(10))
                .body("endpoint", nullValue())
                .body("response_id", nullValue())
                .body("conversation_id", nullValue());
    }

    @Test
    void aMalformedIdOnTheStreamIsDeadLetteredAndTheNextEventRecorded() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String requestId = LedgerFixture.unique("req-bad-response-id");
        Map<String, String> malformed = DeadLetterTest.event(requestId).endpoint("responses")
                .memory("resp_not-an-id'); DROP TABLE usage_records; --", null).build().toFields();

        String entry = ledger.stream().xadd(UsageEvent.STREAM, malformed);
        UsageEvent next = DeadLetterTest.event(LedgerFixture.unique("req-after-bad-id")).endpoint("chat").build();
        ledger.publish(next);

        await().atMost(LANDING).until(() -> ledger.rowsWithPrefix(next.requestId()) == 1);
        await().atMost(LANDING).until(() -> ledger.deadLetterOf(entry) != null);
        Map<String, String> deadLetter = ledger.deadLetterOf(entry);
        assertEquals("invalid", deadLetter.get("error"));
        assertEquals("IllegalArgumentException", deadLetter.get("exception"));
        assertEquals(malformed, JsonPath.from(deadLetter.get("fields")).getMap(""));
        assertEquals(0, ledger.rowsWithPrefix(requestId));
    }

    @Test
    void theIntakeRejectsEachMalformedFieldAndRecordsTheRest() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        String prefix = LedgerFixture.unique("req-memory-intake") + "-";
        List<Object> events = new ArrayList<>();
        events.add(DeadLetterTest.event(prefix + "good").endpoint("responses").memory(RESPONSE_ID, null).build()
                .toFields());
        events.add(DeadLetterTest.event(prefix + "endpoint").endpoint("completions").build().toFields());
        events.add(DeadLetterTest.event(prefix + "kind").memory(CONVERSATION_ID, null).build().toFields());
        events.add(DeadLetterTest.event(prefix + "long").memory(null, "conv_" + "a".repeat(65)).build().toFields());
        events.add(DeadLetterTest.event(prefix + "charset").memory("resp_ab\u00e9", null).build().toFields());
        events.add(DeadLetterTest.event(prefix + "good-embeddings").endpoint("embeddings").build().toFields());

        asGateway().contentType(ContentType.JSON).body(Map.of("events", events)).post("/internal/usage/events")
                .then().statusCode(200)
                .body("recorded", equalTo(2)).body("rejected", equalTo(4))
                .body("rejections.index", equalTo(List.of(1, 2, 3, 4)))
                .body("rejections.error.kind", equalTo(List.of("invalid", "invalid", "invalid", "invalid")));

        assertEquals(2, ledger.rowsWithPrefix(prefix + "good"));
        asGateway().get("/internal/usage/{id}", prefix + "good-embeddings").then().statusCode(200)
                .body("endpoint", equalTo("embeddings"))
                .body("response_id", nullValue());
    }
}
