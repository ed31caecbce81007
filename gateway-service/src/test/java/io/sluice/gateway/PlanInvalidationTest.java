package io.sluice.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.contracts.KeyInvalidations;
import io.sluice.gateway.service.ApiKeyAuthenticator;

/** One {@code plan:<name>} message drops the cached grants of every tenant on the plan, and no other. */
@QuarkusTest
@TestProfile(WithStandInPeers.class)
class PlanInvalidationTest extends StandInPeersTest {
    @Inject
    ApiKeyAuthenticator authenticator;

    @Test
    void aPlanMessageRefreshesTheGrantsOfThePlansTenantsOnly() {
        String plan = "TEAM_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        List<String> onPlan = List.of(peers.issueKey("t-" + UUID.randomUUID(), plan, 1_000, null, null),
                peers.issueKey("t-" + UUID.randomUUID(), plan, 1_000, null, null));
        String elsewhere = peers.issueKey("t-" + UUID.randomUUID(), "FREE", 1_000, null, null);
        for (String key : List.of(onPlan.get(0), onPlan.get(1), elsewhere)) {
            tokensPerDay(key); // cached
            peers.changeTokensPerDay(key, 2_000);
        }

        redis.pubsub(String.class).publish(KeyInvalidations.CHANNEL, KeyInvalidations.forPlan(plan));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals(2_000, tokensPerDay(onPlan.get(0)));
            assertEquals(2_000, tokensPerDay(onPlan.get(1)));
        });
        assertEquals(1_000, tokensPerDay(elsewhere), "another plan's grant stays cached");
    }

    private long tokensPerDay(String key) {
        return authenticator.authenticate(key).await().atMost(Duration.ofSeconds(5)).limits().tokensPerDay();
    }
}
