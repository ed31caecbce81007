package io.sluice.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.sluice.testsupport.suite.LocalSuite;
import io.sluice.testsupport.suite.QuotaAdmin;
import io.sluice.testsupport.suite.QuotaAdmin.IssuedKey;
import io.sluice.testsupport.suite.SuitePorts;

/**
 * Redis killed outright under a steady stream of requests, then started again (empty, as after a crash without
 * persistence): the gateway keeps serving (fail-open, the default policy), says so in its degraded-decisions metric,
 * answers the requests of a tenant with the response cache on as misses, and goes back to the shared counters once
 * Redis is back; every service is ready again afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisOutageIT {
    private static final String DEGRADED = "sluice_quota_degraded_decisions_total";
    private static final int FREE_REQUESTS_PER_MINUTE = 10;
    private static final int CLIENTS = 8;
    /** Bounds the stream below the ENTERPRISE tenant's 1,000 requests a minute, so no request is refused by quota. */
    private static final int MAX_REQUESTS = 900;
    /** Requests that must complete in each phase: with Redis, without it, and after it came back. */
    private static final int PER_PHASE = 40;

    private static LocalSuite suite;
    private static LocalSuite.Started started;
    private static QuotaAdmin admin;
    private static String gateway;

    @BeforeAll
    static void startSuite() throws IOException {
        Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
        suite = new LocalSuite(root, Files.createTempDirectory("sluice-e2e-outage-"));
        started = suite.up(SuitePorts.free(), null);
        admin = started.admin();
        gateway = started.gatewayUrl();
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.down();
        }
    }

    @Test
    @Order(1)
    void gatewayKeepsServingWhileRedisIsDownAndUsesRedisAgainOnceItIsBack() throws Exception {
        // A tenant large enough that the stream itself never meets its limit: every answer should be a 200. Its
        // response cache is on: a lookup that cannot reach Redis is a miss answered by the provider, never an error.
        String steady = admin.createTenant("e2e-steady-" + UUID.randomUUID(), "ENTERPRISE");
        admin.cacheOn(steady, "semantic", 600, "tenant");
        IssuedKey key = admin.issueKey(steady, "steady");
        double degradedBefore = degradedDecisions();
        double failedLookupsBefore = failedCacheLookups();

        SteadyLoad load = SteadyLoad.start(gateway, key.key(), CLIENTS, MAX_REQUESTS);
        try (load) {
            awaitLoad("requests served with Redis up").until(() -> load.completed() >= PER_PHASE);

            suite.stop("redis");
            int atKill = load.completed();
            awaitLoad("requests served and counted as degraded with Redis down")
                    .until(() -> load.completed() >= atKill + PER_PHASE && degradedDecisions() > degradedBefore
                            && failedCacheLookups() > failedLookupsBefore);
            // Still ready (taking every replica out would turn a Redis outage into a full outage), and says why.
            assertEquals("degraded", quotaStoreMode());

            suite.start("redis");
            int atRestart = load.completed();
            awaitLoad("requests served after Redis came back").until(() -> load.completed() >= atRestart + PER_PHASE);
        }
        Map<Integer, Integer> statuses = load.statuses();
        assertEquals(Map.of(200, load.completed()), statuses,
                "every request of the stream is served; first other answers: " + load.unexpectedAnswers());
        assertTrue(degradedDecisions() > degradedBefore, "decisions taken without Redis are counted");

        // Back on Redis: a fresh FREE tenant gets exactly its limit, counted in Redis, with no degraded decision.
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                .untilAsserted(RedisOutageIT::freshFreeTenantIsLimitedThroughRedis);
        assertEquals("redis", quotaStoreMode());

        // Everything that uses Redis (gateway, telemetry, quota-service) is ready again.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String service : List.of("gateway-service", "quota-service", "telemetry-service",
                    "orchestrator-service")) {
                given().get(started.managementUrl(service) + "/q/health/ready")
                        .then().statusCode(200).body("status", equalTo("UP"));
            }
        });
    }

    @Test
    @Order(2)
    void usageReachesTheLedgerAgainAfterRedisCameBack() {
        HttpResponse<String> answer = ChatCalls.chat(gateway, started.demoKey());
        assertEquals(200, answer.statusCode(), answer.body());
        String requestId = answer.headers().firstValue("x-request-id").orElseThrow();
        assertEquals("success", LedgerRows.awaitRow(started, requestId).getString("outcome"));
    }

    @Test
    @Order(3)
    void revocationStillReachesTheGatewayAfterRedisCameBack() {
        // Invalidations travel over Redis pub/sub: the gateway must have subscribed again to the restarted Redis.
        String tenant = admin.createTenant("e2e-revoke-after-outage-" + UUID.randomUUID(), "FREE");
        IssuedKey key = admin.issueKey(tenant, "revoke-after-outage");
        assertEquals(200, ChatCalls.chat(gateway, key.key()).statusCode(), "the key works and is now cached");

        admin.revokeKey(key.id());

        await().atMost(Duration.ofSeconds(2)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> ChatCalls.chat(gateway, key.key()).statusCode() == 401);
    }

    @Test
    @Order(100)
    void downLeavesNothingBehindAfterRedisWasRestarted() {
        SuiteShutdown.assertDownLeavesNothingBehind(suite, List.of("gateway-service"));
    }

    private static void freshFreeTenantIsLimitedThroughRedis() {
        String tenant = admin.createTenant("e2e-after-outage-" + UUID.randomUUID(), "FREE");
        IssuedKey key = admin.issueKey(tenant, "after-outage");
        double degradedBefore = degradedDecisions();
        List<Integer> statuses = new ArrayList<>();
        List<Long> remaining = new ArrayList<>();
        for (int i = 0; i <= FREE_REQUESTS_PER_MINUTE; i++) {
            HttpResponse<String> answer = ChatCalls.chat(gateway, key.key());
            statuses.add(answer.statusCode());
            remaining.add(ChatCalls.longHeader(answer, "x-ratelimit-remaining-requests"));
        }
        List<Integer> expectedStatuses = new ArrayList<>(Collections.nCopies(FREE_REQUESTS_PER_MINUTE, 200));
        expectedStatuses.add(429);
        assertEquals(expectedStatuses, statuses, "the request after the limit, in the same window, is refused");
        // Counting down from limit - 1 to 0 on the shared counter; the refused one sees 0 left.
        List<Long> expectedRemaining = new ArrayList<>(LongStream.range(0, FREE_REQUESTS_PER_MINUTE)
                .map(used -> FREE_REQUESTS_PER_MINUTE - 1 - used).boxed().toList());
        expectedRemaining.add(0L);
        assertEquals(expectedRemaining, remaining);
        assertEquals(degradedBefore, degradedDecisions(), "decided by Redis, not by the local fallback");
        assertEquals(Long.valueOf(FREE_REQUESTS_PER_MINUTE), QuotaCounters
                .requestsPerMinute(started.ports().redis(), tenant).values().stream().reduce(0L, Long::sum));
    }

    /** Where the gateway takes quota decisions, from its readiness detail: redis or degraded. */
    private static String quotaStoreMode() {
        return given().get(started.managementUrl("gateway-service") + "/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .extract().jsonPath().getString("checks.find { it.name == 'quota-store' }.data.mode");
    }

    private static double degradedDecisions() {
        return PrometheusScrape.sum(started.managementUrl("gateway-service"), DEGRADED);
    }

    private static double failedCacheLookups() {
        return PrometheusScrape.sum(started.managementUrl("gateway-service"), "sluice_cache_lookups_total",
                "result=\"error\"");
    }

    /** Waits for the stream to reach a point; it runs out after MAX_REQUESTS, so a stuck phase fails here. */
    private static ConditionFactory awaitLoad(String phase) {
        return await(phase + " (" + MAX_REQUESTS + " at most in all)").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50));
    }
}
