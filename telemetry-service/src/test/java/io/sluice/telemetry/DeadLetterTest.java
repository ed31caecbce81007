package io.sluice.telemetry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.security.SecureRandom;
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
import io.restassured.path.json.JsonPath;
import io.sluice.contracts.UsageEvent;
import io.sluice.contracts.UsageEvent.Outcome;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.PostgresTestResource;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;

/**
 * An entry the ledger cannot store is a property of that entry, not of its batch: it moves to the dead-letter
 * stream with the reason, is acknowledged, and the consumer goes on with the others and with what comes next.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class DeadLetterTest {
    private static final Duration LANDING = Duration.ofSeconds(30);
    private static final String DEAD_LETTERED = "sluice_usage_events_dead_lettered_total";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    RedisDataSource redis;

    @InjectStore
    EmbeddedPostgresStore postgres;

    @Test
    void rowsPostgresRefusesAreDeadLetteredAndTheGoodRowsOfTheirBatchAndLaterEventsAreRecorded() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        double deadLetteredBefore = PrometheusScrape.value(DEAD_LETTERED);
        String prefix = LedgerFixture.unique("req-poison") + "-";
        // A NUL character cannot be stored in a text column (22021); a 5,000-character random tenant id does not
        // fit an index entry of (tenant_id, created_at) (54000).
        UsageEvent nul = event(prefix + "nul").route("sim\u0000gpt", null, null).build();
        UsageEvent huge = event(prefix + "huge").tenant(randomText(5_000), "key-poison", "FREE").build();

        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            entries.add(ledger.publish(event(prefix + "good-" + i).build()));
            if (i == 3) {
                entries.add(ledger.publish(nul));
            }
            if (i == 6) {
                entries.add(ledger.publish(huge));
            }
        }
        String nulEntry = entries.get(4);
        String hugeEntry = entries.get(8);

        await().atMost(LANDING).until(() -> ledger.rowsWithPrefix(prefix + "good-") == 10);
        await().atMost(LANDING).until(
                () -> ledger.deadLetterOf(nulEntry) != null && ledger.deadLetterOf(hugeEntry) != null);
        await().atMost(LANDING).until(() -> ledger.pendingCount() == 0);

        assertDeadLetter(ledger.deadLetterOf(nulEntry), nul, "data_exception", "22021");
        assertDeadLetter(ledger.deadLetterOf(hugeEntry), huge, "program_limit_exceeded", "54000");
        assertEquals(0, ledger.rowsWithPrefix(prefix + "nul"));
        assertEquals(0, ledger.rowsWithPrefix(prefix + "huge"));
        await().atMost(LANDING).until(() -> PrometheusScrape.value(DEAD_LETTERED) == deadLetteredBefore + 2);
        await().atMost(LANDING).until(() -> PrometheusScrape.value("sluice_usage_ledger_dead_letter_length") >= 2);

        // The consumer did not stall on them: what comes next is recorded.
        UsageEvent next = event(prefix + "next").build();
        ledger.publish(next);
        await().atMost(LANDING).until(() -> ledger.rowsWithPrefix(prefix + "next") == 1);
        await().atMost(LANDING).until(() -> ledger.pendingCount() == 0);
        assertEquals(deadLetteredBefore + 2, PrometheusScrape.value(DEAD_LETTERED));
    }

    @Test
    void anUnparseableEntryIsDeadLetteredWithItsFieldsAsTheyWere() throws Exception {
        LedgerFixture ledger = new LedgerFixture(redis, postgres);
        double invalidBefore = PrometheusScrape.value("sluice_usage_events_invalid_total");
        String requestId = LedgerFixture.unique("req-unparseable");
        Map<String, String> malformed = new LinkedHashMap<>(event(requestId).build().toFields());
        malformed.put("prompt_tokens", "many");

        String entry = ledger.stream().xadd(UsageEvent.STREAM, malformed);
        UsageEvent next = event(LedgerFixture.unique("req-after-unparseable")).build();
        ledger.publish(next);

        await().atMost(LANDING).until(() -> ledger.rowsWithPrefix(next.requestId()) == 1);
        await().atMost(LANDING).until(() -> ledger.deadLetterOf(entry) != null);
        Map<String, String> deadLetter = ledger.deadLetterOf(entry);
        assertEquals("invalid", deadLetter.get("error"));
        assertEquals("NumberFormatException", deadLetter.get("exception"));
        assertEquals("", deadLetter.get("sqlstate"));
        assertEquals(malformed, JsonPath.from(deadLetter.get("fields")).getMap(""));
        await().atMost(LANDING).until(() -> ledger.pendingCount() == 0);
        await().atMost(LANDING).until(
                () -> PrometheusScrape.value("sluice_usage_events_invalid_total") == invalidBefore + 1);
        assertEquals(0, ledger.rowsWithPrefix(requestId));
    }

    private static void assertDeadLetter(Map<String, String> deadLetter, UsageEvent event, String error,
            String sqlState) {
        assertNotNull(deadLetter);
        assertEquals(error, deadLetter.get("error"));
        assertEquals(sqlState, deadLetter.get("sqlstate"));
        assertEquals("PgException", deadLetter.get("exception"));
        assertEquals("stream", deadLetter.get("source"));
        assertNotNull(deadLetter.get("dead_lettered_at"));
        // The original fields, exactly: a replay puts them back as they were.
        assertEquals(event.toFields(), JsonPath.from(deadLetter.get("fields")).getMap(""));
    }

    static UsageEvent.Builder event(String requestId) {
        return UsageEvent.builder(requestId).tenant("tenant-dead-letter", "key-dead-letter", "FREE")
                .route("sim-gpt", "openai", "sim-gpt-a").tokens(10, 20, 0).timing(150L, -1)
                .result(200, Outcome.SUCCESS);
    }

    /** Letters and digits at random: nothing PostgreSQL could compress below an index entry's limit. */
    static String randomText(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
