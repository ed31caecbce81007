package io.sluice.orchestrator.conversation;

import org.awaitility.Awaitility;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.contracts.KeyGrant.MemoryPolicy;
import io.sluice.contracts.memory.MemoryKeys;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.stores.EmbeddedPostgresStore;
import io.sluice.testsupport.stores.EmbeddedRedisStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The conversation memory store against a real PostgreSQL and Redis (the module's global test resources, declared
 * on SimProviderTest). Every test uses tenants of its own, so rows of other tests never interfere.
 */
@QuarkusTest
class ConversationStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final MemoryPolicy POLICY = MemoryPolicy.DEFAULT;

    @Inject
    ConversationStore store;

    @Inject
    RetentionJob retention;

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @Inject
    ReactiveRedisDataSource reactiveRedis;

    @Inject
    MemoryConfig config;

    @Inject
    MeterRegistry registry;

    @InjectStore
    EmbeddedPostgresStore postgres;

    @InjectStore
    EmbeddedRedisStore redisServer;

    String tenantA;
    String tenantB;

    @BeforeEach
    void tenants() {
        tenantA = "ta-" + UUID.randomUUID();
        tenantB = "tb-" + UUID.randomUUID();
    }

    @Test
    void appending150ItemsKeepsExactlyTheLast100OldestFirstInPostgresAndRedis() {
        StoredConversation conversation = await(store.createConversation(tenantA, null, List.of(), POLICY));
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            List<MemoryItem> added = await(store.appendItems(tenantA, conversation.id(),
                    List.of(message(i % 2 == 0 ? "assistant" : "user", "turn " + i)), POLICY)).orElseThrow();
            assertEquals(1, added.size());
            assertTrue(added.get(0).id().startsWith("msg_"));
            assertTrue(added.get(0).tokens() > 0);
            ids.add(added.get(0).id());
        }
        List<String> last100 = ids.subList(50, 150);

        assertEquals(last100, sqlStrings("SELECT id FROM memory.conversation_items WHERE tenant = $1 "
                + "AND conversation_id = $2 ORDER BY seq", tenantA, conversation.id()));
        assertEquals(last100, redisIds(tenantA, conversation.id()), "the hot list was kept warm and pruned alike");
        assertEquals(await(store.history(tenantA, conversation.id())).orElseThrow().stream()
                        .map(item -> (long) item.tokens()).toList(),
                redis.list(Long.class).lrange(MemoryKeys.itemTokens(tenantA, conversation.id()), 0, -1),
                "the token counts beside it, item for item (the gateway sizes reservations with them)");
        assertEquals(last100, idsOf(await(store.history(tenantA, conversation.id())).orElseThrow()));
        assertEquals("turn 51", text(await(store.history(tenantA, conversation.id())).orElseThrow().get(0)));
    }

    @Test
    void concurrentAppendsLoseNoItemAndRedisMatchesPostgres() {
        MemoryPolicy roomy = new MemoryPolicy(1000, 30);
        StoredConversation conversation = await(store.createConversation(tenantA, null,
                List.of(message("user", "first")), roomy));
        List<Uni<Optional<List<MemoryItem>>>> appends = IntStream.range(0, 20)
                .mapToObj(i -> store.appendItems(tenantA, conversation.id(), List.of(message("user", i + "a"),
                        message("assistant", i + "b"), message("user", i + "c")), roomy))
                .toList();
        await(Uni.join().all(appends).andFailFast());

        List<String> inPostgres = sqlStrings("SELECT id FROM memory.conversation_items WHERE tenant = $1 "
                + "AND conversation_id = $2 ORDER BY seq", tenantA, conversation.id());
        assertEquals(61, inPostgres.size());
        // each append's three items stay together and in order
        List<MemoryItem> history = await(store.history(tenantA, conversation.id())).orElseThrow();
        assertEquals(inPostgres, idsOf(history));
        for (int i = 1; i < history.size(); i += 3) {
            String turn = text(history.get(i)).replace("a", "");
            assertEquals(turn + "b", text(history.get(i + 1)));
            assertEquals(turn + "c", text(history.get(i + 2)));
        }
        redis.flushall();
        assertEquals(inPostgres, idsOf(await(store.history(tenantA, conversation.id())).orElseThrow()));
    }

    @Test
    void anotherTenantFindsNothingOfTenantAs() {
        StoredResponse response = await(saved(tenantA, MemoryIds.response(), null));
        StoredConversation conversation = await(store.createConversation(tenantA, new JsonObject().put("k", "v"),
                List.of(message("user", "hello")), POLICY));
        String itemId = await(store.history(tenantA, conversation.id())).orElseThrow().get(0).id();

        for (int pass = 0; pass < 2; pass++) { // warm, then cold
            assertTrue(await(store.findResponse(tenantB, response.id())).isEmpty());
            assertTrue(await(store.findConversation(tenantB, conversation.id())).isEmpty());
            assertTrue(await(store.history(tenantB, conversation.id())).isEmpty());
            assertTrue(await(store.listItems(tenantB, conversation.id(), null, 20, true)).isEmpty());
            assertTrue(await(store.findItem(tenantB, conversation.id(), itemId)).isEmpty());
            redis.flushall();
        }
        assertTrue(await(store.appendItems(tenantB, conversation.id(), List.of(message("user", "x")), POLICY))
                .isEmpty());
        assertTrue(await(store.updateMetadata(tenantB, conversation.id(), new JsonObject())).isEmpty());
        assertTrue(await(store.deleteItem(tenantB, conversation.id(), itemId)).isEmpty());
        assertFalse(await(store.deleteResponse(tenantB, response.id())));
        assertFalse(await(store.deleteConversation(tenantB, conversation.id())));

        // tenant A still has everything
        assertTrue(await(store.findResponse(tenantA, response.id())).isPresent());
        assertEquals("v", await(store.findConversation(tenantA, conversation.id())).orElseThrow().metadata()
                .getString("k"));
        assertEquals(List.of(itemId), idsOf(await(store.history(tenantA, conversation.id())).orElseThrow()));
    }

    @Test
    void deletionLeavesNoRowInPostgresAndNoKeyInRedis() {
        StoredResponse response = await(saved(tenantA, MemoryIds.response(), null));
        StoredConversation conversation = await(store.createConversation(tenantA, null,
                List.of(message("user", "a"), message("assistant", "b")), POLICY));
        await(store.appendItems(tenantA, conversation.id(), List.of(message("user", "c")), POLICY));
        assertTrue(await(store.findResponse(tenantA, response.id())).isPresent());
        assertEquals(3, await(store.history(tenantA, conversation.id())).orElseThrow().size());
        assertFalse(redis.key().keys("sluice:mem:{" + tenantA + "}:*").isEmpty());

        assertTrue(await(store.deleteResponse(tenantA, response.id())));
        assertTrue(await(store.deleteConversation(tenantA, conversation.id())));

        assertEquals(0L, count("SELECT count(*) FROM memory.responses WHERE tenant = $1", tenantA));
        assertEquals(0L, count("SELECT count(*) FROM memory.conversations WHERE tenant = $1", tenantA));
        assertEquals(0L, count("SELECT count(*) FROM memory.conversation_items WHERE tenant = $1", tenantA));
        assertTrue(await(store.findResponse(tenantA, response.id())).isEmpty());
        assertTrue(await(store.findConversation(tenantA, conversation.id())).isEmpty());
        assertTrue(await(store.history(tenantA, conversation.id())).isEmpty());
        // no data is left in Redis at once; the short tombstones (which hold none) expire within seconds
        for (String key : redis.key().keys("sluice:mem:{" + tenantA + "}:*")) {
            String value = redis.value(String.class).get(key);
            assertTrue(HotCache.TOMBSTONE.equals(value) || key.endsWith(":seq"), key + " holds " + value);
        }
        Awaitility.await().atMost(WAIT).until(() -> redis.key().keys("sluice:mem:{" + tenantA + "}:*").isEmpty());
        assertFalse(await(store.deleteResponse(tenantA, response.id())));
    }

    @Test
    void deletingAnItemRemovesItFromPostgresAndFromTheHotList() {
        StoredConversation conversation = await(store.createConversation(tenantA, null,
                List.of(message("user", "a"), message("assistant", "b"), message("user", "c")), POLICY));
        List<MemoryItem> items = await(store.history(tenantA, conversation.id())).orElseThrow();
        assertEquals(Optional.of(true), await(store.deleteItem(tenantA, conversation.id(), items.get(1).id())));
        assertEquals(Optional.of(false), await(store.deleteItem(tenantA, conversation.id(), items.get(1).id())));
        assertEquals(Optional.empty(), await(store.deleteItem(tenantA, "conv_missing", items.get(1).id())));

        List<String> expected = List.of(items.get(0).id(), items.get(2).id());
        assertEquals(expected, sqlStrings("SELECT id FROM memory.conversation_items WHERE tenant = $1 "
                + "AND conversation_id = $2 ORDER BY seq", tenantA, conversation.id()));
        assertEquals(expected, idsOf(await(store.history(tenantA, conversation.id())).orElseThrow()));
        assertEquals(expected, redisIds(tenantA, conversation.id()), "rebuilt after the deletion");
        // appends after a deletion keep the hot list in step
        MemoryItem d = await(store.appendItems(tenantA, conversation.id(), List.of(message("user", "d")), POLICY))
                .orElseThrow().get(0);
        assertEquals(List.of(items.get(0).id(), items.get(2).id(), d.id()), redisIds(tenantA, conversation.id()));
        assertTrue(await(store.findItem(tenantA, conversation.id(), d.id())).isPresent());
        assertTrue(await(store.findItem(tenantA, conversation.id(), items.get(1).id())).isEmpty());
    }

    @Test
    void historyReadColdFromPostgresEqualsHistoryReadWarmFromRedis() {
        JsonObject call = new JsonObject().put("type", "function_call").put("call_id", "call_1")
                .put("name", "weather").put("arguments", "{\"city\":\"Oslo\"}").put("status", "completed");
        JsonObject output = new JsonObject().put("type", "function_call_output").put("call_id", "call_1")
                .put("output", "{\"temp\":3}");
        JsonObject image = new JsonObject().put("type", "message").put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "input_text").put("text", "what is this"))
                .add(new JsonObject().put("type", "input_image").put("image_url", "https://x/y.png")
                        .put("detail", "auto")));
        StoredConversation conversation = await(store.createConversation(tenantA, null,
                List.of(message("user", "hi"), call, output), POLICY));
        await(store.appendItems(tenantA, conversation.id(), List.of(image, message("assistant", "a cat")), POLICY));

        List<MemoryItem> warm = await(store.history(tenantA, conversation.id())).orElseThrow();
        assertEquals(5, redis.list(String.class).llen(HotCache.itemsKey(tenantA, conversation.id())));
        redis.flushall();
        List<MemoryItem> cold = await(store.history(tenantA, conversation.id())).orElseThrow();
        assertEquals(warm, cold);
        assertTrue(cold.get(1).id().startsWith("fc_") && cold.get(2).id().startsWith("fco_"));
        assertEquals(cold.get(1).id(), cold.get(1).item().getString("id"), "the item carries its id");
        assertEquals(5, redis.list(String.class).llen(HotCache.itemsKey(tenantA, conversation.id())),
                "a cold read re-warms Redis");
        long ttl = redis.key().pttl(HotCache.itemsKey(tenantA, conversation.id()));
        assertTrue(ttl > 0 && ttl <= config.hotTtl().toMillis(), "bounded TTL: " + ttl);
    }

    @Test
    void aNewStoreInstanceReadsWhatAnotherWroteAfterRedisLostEverything() {
        StoredResponse response = await(saved(tenantA, MemoryIds.response(), null));
        StoredConversation conversation = await(store.createConversation(tenantA, new JsonObject().put("k", "v"),
                List.of(message("user", "hello")), POLICY));
        redis.flushall();

        Clock clock = Clock.systemUTC();
        MemoryDatabase db = new MemoryDatabase(pool, config);
        ConversationStore restarted = new ConversationStore(new ResponseRepository(db),
                new ConversationRepository(db), new HotCache(reactiveRedis, config, clock), clock);

        StoredResponse read = await(restarted.findResponse(tenantA, response.id())).orElseThrow();
        assertEquals(response.response(), read.response());
        assertEquals(response.inputItems(), read.inputItems());
        assertEquals(response.context(), read.context());
        assertEquals(response.contextTokens(), read.contextTokens());
        assertEquals("v", await(restarted.findConversation(tenantA, conversation.id())).orElseThrow().metadata()
                .getString("k"));
        assertEquals("hello", text(await(restarted.history(tenantA, conversation.id())).orElseThrow().get(0)));
    }

    @Test
    void savingAResponseKeepsItsContextToTheMaxItemsAndServesItWarmAndCold() {
        MemoryPolicy small = new MemoryPolicy(3, 30);
        List<MemoryItem> context = IntStream.range(0, 5).mapToObj(i -> MemoryItem.of(message("user", "c" + i)))
                .toList();
        String id = MemoryIds.response();
        StoredResponse response = new StoredResponse(tenantA, id, new JsonObject().put("id", id)
                .put("object", "response"), context.subList(4, 5), context, null, null, null);
        await(store.saveResponse(response, small));

        StoredResponse warm = await(store.findResponse(tenantA, id)).orElseThrow();
        assertEquals(context.subList(2, 5), warm.context());
        assertEquals((long) ItemLists.tokens(context.subList(2, 5)),
                redis.value(Long.class).get(MemoryKeys.responseTokens(tenantA, id)));
        assertNotNull(warm.expiresAt());
        redis.flushall();
        StoredResponse cold = await(store.findResponse(tenantA, id)).orElseThrow();
        assertEquals(warm, cold);
        assertEquals(ItemLists.tokens(context.subList(2, 5)), cold.contextTokens());
        assertEquals((long) cold.contextTokens(), redis.value(Long.class).get(MemoryKeys.responseTokens(tenantA, id)),
                "re-warmed with its count");
        assertTrue(await(store.deleteResponse(tenantA, id)));
        assertFalse(redis.key().exists(MemoryKeys.responseTokens(tenantA, id)), "a deleted response is not sized");
    }

    @Test
    void listItemsPagesInBothOrders() {
        List<JsonObject> items = IntStream.range(0, 5).mapToObj(i -> message("user", "m" + i)).toList();
        StoredConversation conversation = await(store.createConversation(tenantA, null, items, POLICY));
        List<String> ids = idsOf(await(store.history(tenantA, conversation.id())).orElseThrow());

        ItemPage first = await(store.listItems(tenantA, conversation.id(), null, 2, true)).orElseThrow();
        assertEquals(ids.subList(0, 2), idsOf(first.items()));
        assertTrue(first.hasMore());
        ItemPage second = await(store.listItems(tenantA, conversation.id(), ids.get(1), 2, true)).orElseThrow();
        assertEquals(ids.subList(2, 4), idsOf(second.items()));
        assertTrue(second.hasMore());
        ItemPage last = await(store.listItems(tenantA, conversation.id(), ids.get(3), 2, true)).orElseThrow();
        assertEquals(ids.subList(4, 5), idsOf(last.items()));
        assertFalse(last.hasMore());

        ItemPage newest = await(store.listItems(tenantA, conversation.id(), null, 3, false)).orElseThrow();
        assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2)), idsOf(newest.items()));
        assertTrue(newest.hasMore());
        ItemPage older = await(store.listItems(tenantA, conversation.id(), ids.get(2), 3, false)).orElseThrow();
        assertEquals(List.of(ids.get(1), ids.get(0)), idsOf(older.items()));
        assertFalse(older.hasMore());

        ItemPage all = await(store.listItems(tenantA, conversation.id(), null, 100, true)).orElseThrow();
        assertEquals(ids, idsOf(all.items()));
        assertFalse(all.hasMore());
        assertTrue(await(store.listItems(tenantA, conversation.id(), "msg_unknown", 10, true)).orElseThrow()
                .items().isEmpty());
        assertTrue(await(store.listItems(tenantA, "conv_unknown", null, 10, true)).isEmpty());
    }

    @Test
    void appendingAnItemWhoseIdTheConversationHoldsDoesNotAddItTwice() {
        StoredConversation conversation = await(store.createConversation(tenantA, null,
                List.of(message("user", "a")), POLICY));
        MemoryItem a = await(store.history(tenantA, conversation.id())).orElseThrow().get(0);
        List<MemoryItem> added = await(store.appendItems(tenantA, conversation.id(),
                List.of(a.item(), message("user", "b")), POLICY)).orElseThrow();
        assertEquals(1, added.size());
        assertEquals("b", text(added.get(0)));
        List<String> expected = List.of(a.id(), added.get(0).id());
        assertEquals(expected, idsOf(await(store.history(tenantA, conversation.id())).orElseThrow()));
        redis.flushall();
        assertEquals(expected, idsOf(await(store.history(tenantA, conversation.id())).orElseThrow()));
    }

    @Test
    void metadataUpdatesAreServedWarmAndCold() {
        StoredConversation conversation = await(store.createConversation(tenantA, new JsonObject().put("a", "1"),
                List.of(), POLICY));
        assertEquals(List.of(), await(store.history(tenantA, conversation.id())).orElseThrow());
        StoredConversation updated = await(store.updateMetadata(tenantA, conversation.id(),
                new JsonObject().put("a", "2"))).orElseThrow();
        assertEquals("2", updated.metadata().getString("a"));
        assertEquals(updated, await(store.findConversation(tenantA, conversation.id())).orElseThrow());
        redis.flushall();
        assertEquals(updated, await(store.findConversation(tenantA, conversation.id())).orElseThrow());
    }

    @Test
    void theRetentionJobDeletesExpiredRowsAndTheirKeys() {
        MemoryPolicy oneDay = new MemoryPolicy(100, 1);
        MemoryPolicy month = new MemoryPolicy(100, 30);
        String expiring = MemoryIds.response();
        String kept = MemoryIds.response();
        await(store.saveResponse(response(tenantA, expiring), oneDay));
        await(store.saveResponse(response(tenantA, kept), month));
        StoredConversation expiringConversation = await(store.createConversation(tenantA, null,
                List.of(message("user", "x")), oneDay));
        StoredConversation keptConversation = await(store.createConversation(tenantA, null,
                List.of(message("user", "y")), month));
        assertEquals(1, redis.list(String.class).llen(HotCache.itemsKey(tenantA, expiringConversation.id())));
        double before = expired("response") + expired("conversation");

        QuarkusMock.installMockForType(Clock.offset(Clock.systemUTC(), Duration.ofDays(2)), Clock.class);
        long deleted = await(retention.runOnce());

        assertTrue(deleted >= 2, "at least this test's two expired rows: " + deleted);
        assertTrue(expired("response") + expired("conversation") - before >= 2);
        assertEquals(List.of(kept), sqlStrings("SELECT id FROM memory.responses WHERE tenant = $1", tenantA));
        assertEquals(List.of(keptConversation.id()),
                sqlStrings("SELECT id FROM memory.conversations WHERE tenant = $1", tenantA));
        assertEquals(1L, count("SELECT count(*) FROM memory.conversation_items WHERE tenant = $1", tenantA));
        assertFalse(redis.key().exists(HotCache.responseKey(tenantA, expiring)));
        assertFalse(redis.key().exists(MemoryKeys.conversation(tenantA, expiringConversation.id())));
        assertFalse(redis.key().exists(HotCache.itemsKey(tenantA, expiringConversation.id())));
        assertFalse(redis.key().exists(MemoryKeys.itemTokens(tenantA, expiringConversation.id())));
        assertFalse(redis.key().exists(MemoryKeys.responseTokens(tenantA, expiring)));
        assertTrue(redis.key().exists(HotCache.responseKey(tenantA, kept)));
        assertTrue(redis.key().exists(MemoryKeys.responseTokens(tenantA, kept)));
        assertTrue(await(store.findResponse(tenantA, kept)).isPresent());
        assertTrue(await(store.history(tenantA, keptConversation.id())).isPresent());
    }

    @Test
    void whenPostgresIsDownStoreCallsFailFastWithMemoryUnavailable() {
        StoredResponse warm = await(saved(tenantA, MemoryIds.response(), null));
        postgres.stopServer();
        try {
            long start = System.nanoTime();
            Throwable failure = assertThrows(Throwable.class,
                    () -> await(store.findResponse(tenantA, MemoryIds.response())));
            assertInstanceOf(MemoryUnavailableException.class, failure);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(config.dbTimeout().plusSeconds(2)) < 0);
            assertInstanceOf(MemoryUnavailableException.class, assertThrows(Throwable.class,
                    () -> await(saved(tenantA, MemoryIds.response(), null))));
            assertInstanceOf(MemoryUnavailableException.class, assertThrows(Throwable.class,
                    () -> await(store.createConversation(tenantA, null, List.of(), POLICY))));
            // what Redis holds is still served
            assertTrue(await(store.findResponse(tenantA, warm.id())).isPresent());
        } finally {
            postgres.startServer();
        }
        Awaitility.await().atMost(WAIT).ignoreExceptions()
                .until(() -> await(store.findResponse(tenantA, MemoryIds.response())).isEmpty());
    }

    @Test
    void whenRedisIsDownEverythingIsServedFromPostgres() {
        StoredConversation conversation = await(store.createConversation(tenantA, null,
                List.of(message("user", "a")), POLICY));
        redisServer.stopServer();
        try {
            StoredResponse response = await(saved(tenantA, MemoryIds.response(), null));
            assertEquals(response, await(store.findResponse(tenantA, response.id())).orElseThrow());
            MemoryItem b = await(store.appendItems(tenantA, conversation.id(), List.of(message("user", "b")),
                    POLICY)).orElseThrow().get(0);
            assertEquals(List.of("a", "b"), await(store.history(tenantA, conversation.id())).orElseThrow().stream()
                    .map(ConversationStoreTest::text).toList());
            assertTrue(await(store.findConversation(tenantA, conversation.id())).isPresent());
            assertTrue(await(store.findItem(tenantA, conversation.id(), b.id())).isPresent());
        } finally {
            redisServer.startServer();
        }
        Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> {
            redis.flushall();
            return true;
        });
        assertEquals(2, await(store.history(tenantA, conversation.id())).orElseThrow().size());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private Uni<StoredResponse> saved(String tenant, String id, String conversationId) {
        StoredResponse r = response(tenant, id);
        return store.saveResponse(r, POLICY).chain(() -> store.findResponse(tenant, id)).map(Optional::orElseThrow);
    }

    private static StoredResponse response(String tenant, String id) {
        MemoryItem input = MemoryItem.of(message("user", "question"));
        MemoryItem output = MemoryItem.of(message("assistant", "answer"));
        JsonObject body = new JsonObject().put("id", id).put("object", "response").put("status", "completed")
                .put("output", new JsonArray().add(output.item()));
        return new StoredResponse(tenant, id, body, List.of(input), List.of(input, output), null, Instant.now(),
                null);
    }

    private static JsonObject message(String role, String text) {
        return new JsonObject().put("type", "message").put("role", role).put("status", "completed")
                .put("content", new JsonArray().add(new JsonObject()
                        .put("type", "assistant".equals(role) ? "output_text" : "input_text").put("text", text)));
    }

    private static String text(MemoryItem item) {
        return item.item().getJsonArray("content").getJsonObject(0).getString("text");
    }

    private static List<String> idsOf(List<MemoryItem> items) {
        return items.stream().map(MemoryItem::id).toList();
    }

    private List<String> redisIds(String tenant, String conversationId) {
        return redis.list(String.class).lrange(HotCache.itemsKey(tenant, conversationId), 0, -1).stream()
                .map(entry -> new JsonObject(entry).getString("id")).toList();
    }

    private List<String> sqlStrings(String sql, Object... args) {
        List<String> values = new ArrayList<>();
        for (Row row : await(pool.preparedQuery(sql).execute(Tuple.from(args)))) {
            values.add(row.getString(0));
        }
        return values;
    }

    private long count(String sql, Object... args) {
        return await(pool.preparedQuery(sql).execute(Tuple.from(args))).iterator().next().getLong(0);
    }

    private double expired(String kind) {
        return registry.counter("sluice_memory_expired_total", "kind", kind).count();
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }
}
