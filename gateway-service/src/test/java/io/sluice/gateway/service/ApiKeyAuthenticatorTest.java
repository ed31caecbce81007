package io.sluice.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.inject.Vetoed;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.sluice.contracts.KeyGrant;
import io.sluice.contracts.rest.ApiException;
import io.sluice.gateway.TestKeys;
import io.sluice.gateway.client.QuotaServiceClient;
import io.sluice.gateway.config.AuthConfig;

/**
 * The key cache against a quota-service whose every answer the test decides (when, and what): unusable keys never
 * reach it, its lookups in flight are bounded, and a revoked key is never served again from a cache.
 */
class ApiKeyAuthenticatorTest {
    private final QuotaService quotaService = new QuotaService();

    @Test
    void aKeyNotOfTheFormQuotaServiceMintsIsRefusedWithoutALookup() {
        ApiKeyAuthenticator authenticator = authenticator(Duration.ofSeconds(30), 64);
        for (String key : List.of("sk-sluice-unverifiable", "sk-" + "a".repeat(60), TestKeys.wellFormed() + "x",
                TestKeys.wellFormed().replace('-', '+'))) {
            ApiException refused = assertThrows(ApiException.class, () -> await(authenticator.authenticate(key)));
            assertEquals(401, refused.status());
        }
        assertEquals(0, quotaService.calls.get(), "quota-service is never asked about a key that cannot exist");
    }

    @Test
    void lookupsInFlightAreBoundedAndTheRestAnsweredAtOnceWith503() {
        ApiKeyAuthenticator authenticator = authenticator(Duration.ofSeconds(30), 2);
        quotaService.holdAnswers();
        List<CompletableFuture<KeyGrant>> waiting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String key = TestKeys.wellFormed();
            quotaService.grant(key, "t-" + i, "FREE");
            waiting.add(authenticator.authenticate(key).subscribeAsCompletionStage());
        }

        String third = TestKeys.wellFormed();
        quotaService.grant(third, "t-3", "FREE");
        ApiException refused = assertThrows(ApiException.class, () -> await(authenticator.authenticate(third)));
        assertEquals(503, refused.status());
        assertEquals("auth_unavailable", refused.error().error().code());
        assertEquals(2, quotaService.calls.get(), "the third lookup was not queued behind the two in flight");

        quotaService.releaseAnswers();
        waiting.forEach(CompletableFuture::join);
        assertEquals("t-3", await(authenticator.authenticate(third)).tenantId(), "a slot is free again");
    }

    @Test
    void aKeyQuotaServiceNoLongerKnowsIsNotServedFromTheLastConfirmedGrant() {
        // No cache TTL to speak of: every request asks quota-service, as after a missed invalidation and a TTL.
        ApiKeyAuthenticator authenticator = authenticator(Duration.ofMillis(1), 64);
        String key = TestKeys.wellFormed();
        quotaService.grant(key, "t-revoked", "FREE");
        assertEquals("t-revoked", await(authenticator.authenticate(key)).tenantId());

        quotaService.revoke(key);
        awaitRefused(authenticator, key, 401);
        quotaService.goDown();

        // Old behaviour: the 404 left the confirmed grant in place, and the outage served it again.
        awaitRefused(authenticator, key, 503);
    }

    @Test
    void aLookupInFlightDuringAnInvalidationDoesNotBringTheGrantBack() {
        ApiKeyAuthenticator authenticator = authenticator(Duration.ofSeconds(30), 64);
        String key = TestKeys.wellFormed();
        quotaService.grant(key, "t-race", "FREE");
        quotaService.holdAnswers();
        CompletableFuture<KeyGrant> inFlight = authenticator.authenticate(key).subscribeAsCompletionStage();

        // Revoked while quota-service's answer (from before the revocation) is on its way.
        quotaService.revoke(key);
        authenticator.invalidateKey(ApiKeyAuthenticator.sha256Hex(key));
        quotaService.releaseAnswers();
        inFlight.join();
        quotaService.goDown();

        ApiException refused = assertThrows(ApiException.class, () -> await(authenticator.authenticate(key)));
        assertEquals(503, refused.status(), "neither the cache nor the last confirmed grant holds the revoked key");
    }

    @Test
    void aPlanChangeDropsTheGrantsOfThatPlanOnlyInOneCall() {
        ApiKeyAuthenticator authenticator = authenticator(Duration.ofSeconds(30), 64);
        String first = TestKeys.wellFormed();
        String second = TestKeys.wellFormed();
        String elsewhere = TestKeys.wellFormed();
        quotaService.grant(first, "t-a", "TEAM");
        quotaService.grant(second, "t-b", "TEAM");
        quotaService.grant(elsewhere, "t-c", "FREE");
        for (String key : List.of(first, second, elsewhere)) {
            await(authenticator.authenticate(key));
        }
        int lookups = quotaService.calls.get();

        assertEquals(Set.of("t-a", "t-b"), authenticator.invalidatePlan("TEAM"));

        for (String key : List.of(first, second, elsewhere)) {
            await(authenticator.authenticate(key));
        }
        assertEquals(lookups + 2, quotaService.calls.get(), "the TEAM keys were looked up again, the FREE one not");
    }

    private void awaitRefused(ApiKeyAuthenticator authenticator, String key, int status) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            ApiException refused = assertThrows(ApiException.class, () -> await(authenticator.authenticate(key)));
            assertEquals(status, refused.status());
        });
    }

    private ApiKeyAuthenticator authenticator(Duration ttl, int maxLookups) {
        return new ApiKeyAuthenticator(quotaService, new Config(ttl, maxLookups), Clock.systemUTC());
    }

    private static KeyGrant await(Uni<KeyGrant> grant) {
        return grant.await().atMost(Duration.ofSeconds(5));
    }

    /** quota-service's lookup as the test scripts it: grants by hash, answers held back or not, up or down. */
    @Vetoed
    private static final class QuotaService implements QuotaServiceClient {
        final AtomicInteger calls = new AtomicInteger();
        final Map<String, KeyGrant> grants = new ConcurrentHashMap<>();
        volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
        volatile boolean down;

        void grant(String key, String tenantId, String plan) {
            grants.put(ApiKeyAuthenticator.sha256Hex(key), new KeyGrant("k-" + tenantId, tenantId, tenantId, plan,
                    new KeyGrant.PlanLimits(10, 100, 1000, 10_000), null, null, null, null));
        }

        void revoke(String key) {
            grants.remove(ApiKeyAuthenticator.sha256Hex(key));
        }

        void holdAnswers() {
            gate = new CompletableFuture<>();
        }

        void releaseAnswers() {
            gate.complete(null);
        }

        void goDown() {
            down = true;
        }

        @Override
        public Uni<KeyGrant> lookup(String sha256Hex) {
            calls.incrementAndGet();
            // What quota-service knows when the question arrives; the answer may be held back.
            KeyGrant known = grants.get(sha256Hex);
            boolean upNow = !down;
            return Uni.createFrom().completionStage(gate.thenApply(v -> {
                if (!upNow) {
                    throw new IllegalStateException("quota-service unreachable");
                }
                if (known == null) {
                    throw new WebApplicationException(Response.status(404).build());
                }
                return known;
            }));
        }
    }

    @Vetoed
    private record Config(Duration cacheTtl, int maxConcurrentLookups) implements AuthConfig {
        @Override
        public Duration negativeCacheTtl() {
            return Duration.ofMillis(1);
        }

        @Override
        public long cacheMaxSize() {
            return 1_000;
        }

        @Override
        public Duration staleIfError() {
            return Duration.ofMinutes(10);
        }
    }
}
