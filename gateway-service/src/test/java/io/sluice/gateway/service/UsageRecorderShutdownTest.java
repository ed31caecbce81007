package io.sluice.gateway.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.contracts.UsageEvent;
import io.sluice.gateway.StandInPeers;
import io.sluice.gateway.WithStandInPeers;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedRedisStore;

/**
 * A stopping gateway saves the usage events it holds (a Redis outage's buffer): to Redis when it answers, else to
 * telemetry-service's intake (a real HTTP server here, recording what it is given), and counts what it could save
 * nowhere. Saving stops the recorder's retries, so this class runs on an application of its own.
 */
@QuarkusTest
@TestProfile(UsageRecorderShutdownTest.OwnApplication.class)
@QuarkusTestResource(RedisTestResource.class)
class UsageRecorderShutdownTest {
    /** The recorder's retries stop at the first save: no other test may share its application. */
    public static class OwnApplication extends WithStandInPeers {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.usage.shutdown-budget", "20s");
        }
    }

    @Inject
    UsageRecorder recorder;

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry registry;

    @InjectStore
    EmbeddedRedisStore redisServer;

    @InjectStore
    StandInPeers peers;

    @AfterEach
    void redisBack() {
        if (!redisServer.isRunning()) {
            redisServer.startServer();
        }
        peers.telemetryStatus(200);
    }

    @Test
    void whatIsBufferedReachesRedisWhenItAnswersAndTelemetryWhenItDoesNot() {
        // Redis answers: the buffered events go to the stream, none to telemetry.
        List<UsageEvent> first = bufferedDuringAnOutage(30);
        redisServer.startServer();
        assertEquals(0, recorder.saveHeld(Duration.ofSeconds(20)));
        await().atMost(Duration.ofSeconds(10)).until(() -> inStream(first).size() == first.size());
        assertTrue(peers.telemetryEvents().isEmpty());

        // Redis does not answer: more than one call's worth (1,000) go to telemetry, field for field.
        List<UsageEvent> second = bufferedDuringAnOutage(1_500);
        assertEquals(0, recorder.saveHeld(Duration.ofSeconds(20)));
        Set<String> handedOver = peers.telemetryEvents().stream().map(event -> event.getString("request_id"))
                .collect(Collectors.toSet());
        assertEquals(ids(second), handedOver);
        assertEquals(second.get(0).toFields(), peers.telemetryEvents().stream()
                .filter(event -> event.getString("request_id").equals(second.get(0).requestId())).findFirst()
                .orElseThrow().getMap().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> String.valueOf(entry.getValue()))));

        // Neither answers: counted, not lost silently.
        peers.telemetryStatus(503);
        List<UsageEvent> third = bufferedDuringAnOutage(20);
        assertEquals(third.size(), recorder.saveHeld(Duration.ofSeconds(20)));
    }

    /** Events recorded while Redis is down, once all of them wait in the outage buffer (Redis stays down). */
    private List<UsageEvent> bufferedDuringAnOutage(int count) {
        if (redisServer.isRunning()) {
            redisServer.stopServer();
        }
        String batch = UUID.randomUUID().toString();
        List<UsageEvent> events = IntStream.range(0, count)
                .mapToObj(i -> UsageEvent.builder("req-shutdown-" + batch + "-" + i).tenant("t-1", "k-1", "FREE")
                        .route("sim-gpt", "openai", "sim-gpt-a").tokens(i, 1, 0)
                        .result(200, UsageEvent.Outcome.SUCCESS).build())
                .toList();
        double before = buffered();
        events.forEach(recorder::record);
        await().atMost(Duration.ofSeconds(30)).until(() -> buffered() >= before + count);
        return events;
    }

    private double buffered() {
        return registry.get("sluice_usage_events_buffered").gauge().value();
    }

    private Set<String> inStream(List<UsageEvent> events) {
        Set<String> wanted = ids(events);
        return redis.stream(String.class).xrange(UsageEvent.STREAM, StreamRange.of("-", "+")).stream()
                .map(message -> message.payload().get("request_id"))
                .filter(wanted::contains)
                .collect(Collectors.toSet());
    }

    private static Set<String> ids(List<UsageEvent> events) {
        return events.stream().map(UsageEvent::requestId).collect(Collectors.toSet());
    }
}
