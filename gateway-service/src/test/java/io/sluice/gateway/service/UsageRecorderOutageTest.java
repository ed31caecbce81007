package io.sluice.gateway.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
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
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedRedisStore;

/** Usage events recorded while Redis is down reach the stream once it is back: a Redis outage loses no ledger row. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class UsageRecorderOutageTest {

    @Inject
    UsageRecorder recorder;

    @Inject
    RedisDataSource redis;

    @InjectStore
    EmbeddedRedisStore redisServer;

    @Test
    void eventsRecordedDuringAnOutageArePublishedWhenRedisReturns() {
        String batch = UUID.randomUUID().toString();
        List<UsageEvent> events = IntStream.range(0, 50)
                .mapToObj(i -> UsageEvent.builder("req-outage-" + batch + "-" + i).tenant("t-1", "k-1", "FREE")
                        .result(200, UsageEvent.Outcome.SUCCESS).build())
                .toList();

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
