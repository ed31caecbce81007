package io.sluice.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.contracts.KeyGrant;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedRedisStore;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class RequestRateLimiterTest {

    @Inject
    RequestRateLimiter limiter;

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry registry;

    @InjectStore
    EmbeddedRedisStore redisServer;

    private static KeyGrant grant(String tenant, long perMinute) {
        return new KeyGrant("key-" + tenant, tenant, tenant, "FREE",
                new KeyGrant.PlanLimits(perMinute, 100, 500, 50_000), null, null);
    }

    @Test
    void admitsExactlyTheLimitPerMinuteWindowInAKeyStampedWithTheWindow() {
        long window = redisMinute();
        List<RateDecision> decisions = java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> limiter.consume(grant("tenant-a", 3)).await().atMost(Duration.ofSeconds(2)))
                .toList();
        // A minute boundary between calls would open a new window; the key name tells which happened.
        if (redisMinute() != window) {
            return;
        }
        assertEquals(List.of(true, true, true, false, false), decisions.stream().map(RateDecision::admitted).toList());
        assertEquals(List.of(2L, 1L, 0L, 0L, 0L), decisions.stream().map(RateDecision::remaining).toList());
        String key = "sluice:rl:{tenant-a}:rpm:" + window;
        assertEquals("3", redis.value(String.class).get(key));
        long ttl = redis.key().ttl(key);
        assertTrue(ttl > 0 && ttl <= 120, "window keys expire: " + ttl);
    }

    @Test
    void tenantsHaveSeparateWindows() {
        assertTrue(limiter.consume(grant("tenant-b", 1)).await().indefinitely().admitted());
        assertTrue(limiter.consume(grant("tenant-c", 1)).await().indefinitely().admitted());
    }

    @Test
    void redisOutageFailsOpenAndIsCounted() {
        double before = registry.counter("sluice_quota_degraded_decisions_total").count();
        redisServer.stopServer();
        try {
            RateDecision decision = limiter.consume(grant("tenant-d", 1)).await().atMost(Duration.ofSeconds(5));
            assertTrue(decision.admitted());
            assertTrue(decision.degraded());
            assertEquals(before + 1, registry.counter("sluice_quota_degraded_decisions_total").count());
        } finally {
            redisServer.startServer();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                !limiter.consume(grant("tenant-e", 1)).await().atMost(Duration.ofSeconds(5)).degraded());
        assertFalse(limiter.consume(grant("tenant-e", 1)).await().indefinitely().admitted(),
                "back on Redis: the second request in the window exceeds a limit of 1");
    }

    private long redisMinute() {
        return Long.parseLong(redis.execute("TIME").get(0).toString()) / 60;
    }
}
