package io.sluice.orchestrator.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sluice.contracts.KeyGrant.MemoryPolicy;
import io.sluice.contracts.rest.ApiException;
import io.sluice.orchestrator.conversation.ConversationStore;
import io.sluice.orchestrator.conversation.MemoryItem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.sluice.contracts.memory.HistoryReference;

/**
 * The hand-over from the gateway's sizing call to the turn of the same request, against the real stores (the
 * module's PostgreSQL and Redis): the turn sends exactly what was sized, once, and only to its own tenant.
 */
@QuarkusTest
class HistoryRecallTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    ConversationStore store;

    String tenant;
    String conversation;
    TestClock clock;
    HistoryRecall recall;

    @BeforeEach
    void oneMessageConversation() {
        tenant = "th-" + UUID.randomUUID();
        conversation = store.createConversation(tenant, null, List.of(message("first")), MemoryPolicy.DEFAULT)
                .await().atMost(WAIT).id();
        clock = new TestClock();
        recall = new HistoryRecall(store, clock);
    }

    @Test
    void theTurnSendsWhatItsSizingReadOnceThenReadsTheStore() {
        HistoryReference reference = HistoryReference.of(null, conversation);
        assertEquals(List.of("first"), texts(recall.forSizing(tenant, "req_1", reference)));
        append("second");

        assertEquals(List.of("first"), texts(recall.forTurn(tenant, "req_1", reference)),
                "the turn sends the history its reservation was sized on");
        assertEquals(List.of("first", "second"), texts(recall.forTurn(tenant, "req_1", reference)),
                "taken once: a second turn with that id reads the store");
        assertEquals(0, recall.heldCount());
    }

    @Test
    void onlyTheSameTenantRequestAndHistoryTakeWhatWasHeld() {
        HistoryReference reference = HistoryReference.of(null, conversation);
        recall.forSizing(tenant, "req_1", reference).await().atMost(WAIT);
        append("second");

        ApiException notFound = assertThrows(ApiException.class,
                () -> recall.forTurn("other-tenant", "req_1", reference).await().atMost(WAIT));
        assertEquals(404, notFound.status());
        assertEquals(List.of("first", "second"), texts(recall.forTurn(tenant, "req_2", reference)));
        assertThrows(ApiException.class, () -> recall.forTurn(tenant, "req_1",
                HistoryReference.of("resp_" + UUID.randomUUID().toString().replace("-", ""), null)).await().atMost(WAIT));
        assertEquals(1, recall.heldCount(), "still held for its own turn");
    }

    @Test
    void aHeldHistoryExpiresAndTheHoldIsBounded() {
        HistoryReference reference = HistoryReference.of(null, conversation);
        recall.forSizing(tenant, "req_1", reference).await().atMost(WAIT);
        append("second");
        clock.advance(HistoryRecall.HOLD);
        assertEquals(List.of("first", "second"), texts(recall.forTurn(tenant, "req_1", reference)),
                "a sizing older than the hold is not used");

        for (int i = 0; i < HistoryRecall.MAX_HELD + 20; i++) {
            recall.forSizing(tenant, "req_n" + i, reference).await().atMost(WAIT);
        }
        assertEquals(HistoryRecall.MAX_HELD, recall.heldCount());
        clock.advance(HistoryRecall.HOLD);
        recall.forSizing(tenant, "req_late", reference).await().atMost(WAIT);
        assertEquals(1, recall.heldCount(), "expired holds make room");
    }

    @Test
    void anUnknownHistoryIsA404AndHoldsNothing() {
        ApiException notFound = assertThrows(ApiException.class, () -> recall.forSizing(tenant, "req_1",
                HistoryReference.of(null, "conv_" + UUID.randomUUID().toString().replace("-", ""))).await().atMost(WAIT));
        assertEquals(404, notFound.status());
        assertEquals("conversation", notFound.error().error().param());
        assertEquals(0, recall.heldCount());
    }

    private void append(String text) {
        store.appendItems(tenant, conversation, List.of(message(text)), MemoryPolicy.DEFAULT).await().atMost(WAIT);
    }

    private static List<String> texts(Uni<List<MemoryItem>> items) {
        return items.await().atMost(WAIT).stream()
                .map(item -> item.item().getJsonArray("content").getJsonObject(0).getString("text")).toList();
    }

    private static JsonObject message(String text) {
        return new JsonObject().put("type", "message").put("role", "user")
                .put("content", new JsonArray().add(new JsonObject().put("type", "input_text").put("text", text)));
    }

    private static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-12-08T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
