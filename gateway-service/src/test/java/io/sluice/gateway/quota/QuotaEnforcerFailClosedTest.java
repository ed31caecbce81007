package io.sluice.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sluice.contracts.rest.ApiException;
import io.sluice.testsupport.quarkus.InjectStore;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.sluice.testsupport.stores.EmbeddedRedisStore;

@QuarkusTest
@TestProfile(QuotaEnforcerFailClosedTest.FailClosed.class)
@QuarkusTestResource(RedisTestResource.class)
class QuotaEnforcerFailClosedTest {

    public static class FailClosed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.quota.redis-failure-policy", "fail-closed");
        }
    }

    @Inject
    QuotaEnforcer enforcer;

    @InjectStore
    EmbeddedRedisStore redisServer;

    @Test
    void redisOutageRefusesWith503InsteadOfAdmitting() {
        redisServer.stopServer();
        try {
            ApiException refused = assertThrows(ApiException.class, () -> enforcer
                    .reserve(QuotaEnforcerTest.grant(100, 10_000, null), "sim-gpt", new Usage(1, 1), 1.0)
                    .await().atMost(Duration.ofSeconds(5)));
            assertEquals(503, refused.status());
            assertEquals("quota_unavailable", refused.error().error().code());
        } finally {
            redisServer.startServer();
        }
    }
}
