package io.sluice.gateway.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.contracts.UsageEvent;
import io.sluice.gateway.RedisScriptRuns;
import io.sluice.gateway.quota.QuotaStore.Adjustment;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedRedisStore;
import io.vertx.core.Vertx;

/**
 * Usage events and quota settlements of ended requests: one script run for the requests that end in one event-loop
 * turn or within the write-linger, each settlement applied exactly once, and no event lost to a Redis outage.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class UsageRecorderTest {
    @Inject
    UsageRecorder recorder;

    @Inject
    RedisDataSource redis;

    @Inject
    Vertx vertx;

    @InjectStore
    EmbeddedRedisStore redisServer;

    @Test
    void requestsEndingInOneTurnShareOneScriptRunAndEachSettlementLands() {
        String batch = UUID.randomUUID().toString();
        List<UsageEvent> events = events("req-turn-" + batch, 150);
        List<String> counters = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            counters.add(reservedCounter(batch + "-" + i, 300));
        }
        long scriptRunsBefore = RedisScriptRuns.sofar(redis);

        // 150 requests end in one task on the event loop; write-batch is 100, so two runs carry them.
        vertx.runOnContext(v -> {
            for (int i = 0; i < events.size(); i++) {
                recorder.record(events.get(i), List.of(new Adjustment(counters.get(i), -270 + i)));
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> publishedIds(batch).size() == events.size());
        assertEquals(expectedIds(events), publishedIds(batch));
        assertEquals(2, RedisScriptRuns.sofar(redis) - scriptRunsBefore);
        for (int i = 0; i < events.size(); i++) {
            assertEquals(Integer.toString(30 + i), redis.value(String.class).get(counters.get(i)));
        }
    }

    @Test
    void requestsEndingWithinTheLingerShareOneScriptRun() {
        String batch = UUID.randomUUID().toString();
        List<UsageEvent> events = events("req-linger-" + batch, 2);
        String first = reservedCounter(batch + "-0", 300);
        String second = reservedCounter(batch + "-1", 300);
        long scriptRunsBefore = RedisScriptRuns.sofar(redis);

        // The second ends 5 ms after the first, in a later turn, well within the 20 ms write-linger. Both timers run
        // on this one event loop, which fires them in deadline order, so the second is always in time.
        vertx.runOnContext(v -> {
            recorder.record(events.get(0), List.of(new Adjustment(first, -270)));
            vertx.setTimer(5, id -> recorder.record(events.get(1), List.of(new Adjustment(second, -200))));
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> publishedIds(batch).size() == 2);
        assertEquals(1, RedisScriptRuns.sofar(redis) - scriptRunsBefore);
        assertEquals("30", redis.value(String.class).get(first));
        assertEquals("100", redis.value(String.class).get(second));
    }

    @Test
    void aBatchRedisHasNoCachedScriptForStillLandsButOnlyOnce() {
        String batch = UUID.randomUUID().toString();
        UsageEvent event = events("req-noscript-" + batch, 1).get(0);
        String counter = reservedCounter(batch, 300);
        redis.execute("SCRIPT", "FLUSH"); // as after a Redis restart

        recorder.record(event, List.of(new Adjustment(counter, -270)));

        await().atMost(Duration.ofSeconds(10)).until(() -> publishedIds(batch).size() == 1);
        // Run again by its source after NOSCRIPT; twice would have clamped the counter to 0 and appended two entries.
        assertEquals("30", redis.value(String.class).get(counter));
        assertEquals(1, redis.stream(String.class).xrange(UsageEvent.STREAM, StreamRange.of("-", "+")).stream()
                .filter(message -> message.payload().get("request_id").contains(batch)).count());
    }

    @Test
    void eventsRecordedDuringAnOutageArePublishedWhenRedisReturns() {
        String batch = UUID.randomUUID().toString();
        List<UsageEvent> events = events("req-outage-" + batch, 50);

        redisServer.stopServer();
        try {
            events.forEach(recorder::record);
        } finally {
            redisServer.startServer();
        }

        // Redis came back empty (no persistence): whatever is in the stream now was published after the restart.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertEquals(expectedIds(events), publishedIds(batch)));
    }

    private static List<UsageEvent> events(String idPrefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> UsageEvent.builder(idPrefix + "-" + i).tenant("t-1", "k-1", "FREE")
                        .result(200, UsageEvent.Outcome.SUCCESS).build())
                .toList();
    }

    /** A tokens counter as a reservation leaves it, in its tenant's hash slot. */
    private String reservedCounter(String tenant, long reserved) {
        String key = "sluice:q:{t-" + tenant + "}:tpd:test";
        redis.value(String.class).setex(key, 3600, Long.toString(reserved));
        return key;
    }

    private static Set<String> expectedIds(List<UsageEvent> events) {
        Set<String> ids = new HashSet<>();
        events.forEach(event -> ids.add(event.requestId()));
        return ids;
    }

    private Set<String> publishedIds(String batch) {
        Set<String> ids = new HashSet<>();
        redis.stream(String.class).xrange(UsageEvent.STREAM, StreamRange.of("-", "+"))
                .forEach(message -> {
                    String id = message.payload().get("request_id");
                    if (id.contains(batch)) {
                        ids.add(id);
                    }
                });
        return ids;
    }
}
